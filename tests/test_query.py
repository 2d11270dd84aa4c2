"""Reading what users type: syntax, lenient errors, pasted questions, dates."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from kvsearch import QueryError
from kvsearch.query.parse import looks_like_question, parse, parse_date_range


def test_plain_words_must_all_match() -> None:
    parsed = parse("kinderopvang toeslag")
    assert parsed.mode == "syntax"
    assert isinstance(parsed.query, wq.And)
    assert parsed.relaxed is not None


def test_with_some_of_the_words_a_compound_also_looks_for_its_parts() -> None:
    parsed = parse("toeslagpartners Oeigoeren")
    parts = {(t.text, t.boost) for t in parsed.relaxed.leaves() if t.boost < 1}
    assert parts == {("toeslag", 0.3), ("partner", 0.3)}
    assert "toeslag" not in {t for _, t in parsed.query.iter_all_terms()}  # all words: the whole word only


def test_an_acronym_is_a_word_but_caps_lock_is_not_a_row_of_acronyms() -> None:
    assert {t for _, t in parse("het OM seponeert").query.iter_all_terms()} >= {"om"}
    assert parse("OM").query is not None
    assert parse("DE MINISTER").query == parse("de minister").query
    assert parse("DE MINISTER OR KABINET").query == parse("de minister OR kabinet").query


def test_pasted_question_is_text_mode_even_with_syntax_characters() -> None:
    question = "Klopt het dat de politie gezichtsherkenning (realtime) gebruikt bij demonstraties?"
    parsed = parse(question)
    assert parsed.mode == "text"
    assert isinstance(parsed.query, wq.Or)
    assert not any(isinstance(q, (wq.Wildcard, wq.Prefix)) for q in parsed.query.leaves())


@pytest.mark.parametrize(
    "question",
    [
        'Bent u bekend met het bericht "Ziekenhuizen in Limburg in financiële problemen"?',
        "Bent u bekend met het bericht 'Ziekenhuizen in Limburg in financiële problemen?'",
        "Wat is de stand van zaken rond de opvang in de asielzoekers -kampen op Lesbos?",
    ],
)
def test_a_pasted_question_quoting_a_headline_is_text_not_a_phrase(question: str) -> None:
    parsed = parse(question)
    assert parsed.mode == "text"
    assert not any(isinstance(q, (wq.Phrase, wq.Not)) for q in parsed.query.leaves())


@pytest.mark.parametrize(
    "typed",
    ['"zwarte lijst" exportcontrole?', "china -huawei verklaring", 'minister:blok Waarom is de export van goederen naar China toegestaan?',
     "Huawei OR ZTE export van goederen naar China toegestaan door het kabinet?"],
)
def test_short_queries_with_quotes_and_any_query_with_operators_or_fields_stay_syntax(typed: str) -> None:
    assert parse(typed).mode == "syntax"


def test_long_question_without_question_mark_is_text_mode() -> None:
    assert looks_like_question("Kunt u aangeven hoeveel gemeenten gebruik maken van camera's met gezichtsherkenning")
    assert not looks_like_question("minister:blok huawei")
    assert not looks_like_question('"zwarte lijst" exportcontrole')


def test_operators() -> None:
    assert isinstance(parse("huawei OR zte").query, wq.Or)
    negated = parse("china -huawei").query
    assert isinstance(negated, wq.And)
    assert any(isinstance(q, wq.Not) for q in negated.subqueries)
    assert isinstance(parse("gezicht*").query, wq.Prefix)
    assert isinstance(parse("gezichtsherkening~").query, wq.FuzzyTerm)


def test_phrase_is_positional() -> None:
    q = parse('"zwarte lijst"').query
    assert isinstance(q, (wq.Phrase, wq.Sequence))


def test_unclosed_quote_is_read_leniently_with_warning() -> None:
    parsed = parse('"zwarte lijst')
    assert parsed.warnings and "unclosed quote" in parsed.warnings[0]


def test_unclosed_parenthesis_is_read_leniently_with_warning() -> None:
    parsed = parse("(huawei OR zte")
    assert parsed.warnings and "unclosed '('" in parsed.warnings[0]


@pytest.mark.parametrize("query", ["(" * 300 + "china" + ")" * 300, "NOT " * 300 + "china"])
def test_absurdly_deep_nesting_is_a_query_error_not_a_crash(query: str) -> None:
    with pytest.raises(QueryError, match="nested more than 20 deep"):
        parse(query)


def test_ordinary_brackets_nest() -> None:
    assert not parse("((huawei OR zte) AND (china OR rusland)) -verklaring").warnings


def test_terminal_colour_codes_and_control_characters_are_not_part_of_words() -> None:
    assert parse("huawei\x1b[31m").text == "huawei"
    assert parse("hua\x07wei\udcff").text.split() == ["hua", "wei"]
    with pytest.raises(QueryError, match="empty"):
        parse("\x1b[0m")


@pytest.mark.parametrize(
    "typed",
    [
        "Wat vindt u van de uitspraak ECLI:NL:RVS:2024:3946 van de Raad van State over de stikstofvergunning?",
        "ECLI:NL:RVS:2024:3946",
        "huawei kleur:rood",
        "overleg om 12:30",
        "zie: antwoord vraag 3",
        "Wat is de stand van zaken? Zie:https://www.rijksoverheid.nl/onderwerpen/stikstof",
    ],
)
def test_only_kvsearchs_own_fields_are_fields_any_other_word_colon_is_text(typed: str) -> None:
    parsed = parse(typed)
    assert not parsed.warnings
    fields = {f for f, _ in parsed.query.iter_all_terms()}
    assert fields <= {"text", "exact", "minister", "submitter", "ids"}


def test_an_ecli_number_is_searched_as_its_parts_in_order() -> None:
    parsed = parse("ECLI:NL:RVS:2024:3946")
    assert 'exact:"ecli nl rvs 2024 3946"' in str(parsed.query)


def test_known_fields_stay_fields_in_any_case() -> None:
    parsed = parse("huawei Minister:blok")
    assert ("minister", "blok") in set(parsed.query.iter_all_terms())
    assert parse("huawei Minister:blok").mode == "syntax"


def test_a_pasted_question_with_an_unreadable_field_value_is_read_as_text() -> None:
    question = ("Bent u bekend met de brief van de burgemeester van Groningen over de gaswinning, "
                "beantwoord:gisteren door uw ministerie, en bent u bereid de Kamer daarover te informeren?")
    parsed = parse(question)
    assert parsed.mode == "text"
    assert any("read as plain text" in w for w in parsed.warnings)
    with pytest.raises(QueryError, match="cannot read date"):
        parse("gaswinning beantwoord:gisteren")  # typed, short: the mistake is said


def test_a_very_long_pasted_text_is_cut_and_says_so_never_a_clause_limit() -> None:
    letter = " ".join(["De minister van Economische Zaken en Klimaat heeft minister:blok de gaswinning in Groningen"
                       " besproken met de provincie en de gemeenten in het aardbevingsgebied."] * 60)
    parsed = parse(letter)
    assert parsed.mode == "text" and parsed.warnings
    huge = "Wat gaat u doen aan de schade door aardbevingen in Groningen? " * 400
    parsed = parse(huge)
    assert len(parsed.text) <= 20_000 and any("long" in w for w in parsed.warnings)
    with pytest.raises(QueryError, match="too long"):
        parse(huge, mode="syntax")


def test_impossible_date_is_an_error() -> None:
    with pytest.raises(QueryError, match=r"^impossible date '2021-02-30'$"):
        parse_date_range("2021-02-30")  # an option's value: no position
    with pytest.raises(QueryError, match="impossible date"):
        parse("beantwoord:2021-02-30 huawei")


@pytest.mark.parametrize(
    ("value", "bounds"),
    [
        ("2021", (20210101, 20211231)),
        ("2021-02", (20210201, 20210228)),
        ("2020-12..2021-04", (20201201, 20210430)),
        ("..2021", (None, 20211231)),
        ("2021-03-05", (20210305, 20210305)),
    ],
)
def test_date_ranges(value: str, bounds: tuple[int | None, int | None]) -> None:
    assert parse_date_range(value) == bounds


@pytest.mark.parametrize("query", ["", "  ", "de het een", "?!", "-"])
def test_queries_without_searchable_words_are_errors(query: str) -> None:
    with pytest.raises(QueryError):
        parse(query)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_string_parses_or_raises_query_error(text: str) -> None:
    try:
        parsed = parse(text)
    except QueryError:
        return
    assert parsed.query is not None


def test_pasted_question_with_a_web_address_is_still_text_mode() -> None:
    # "https:" is not a field: 4 of the 876 dev questions cite a source this way.
    question = ("Bent u bereid alsnog een handtekening te zetten onder de «Beyond Oil and Gas Alliance»? "
                "(zie: https://beyondoilandgasalliance.org/who-we-are/)")
    assert parse(question).mode == "text"


def test_web_address_in_a_short_query_is_searched_as_words() -> None:
    parsed = parse("https://www.rijksoverheid.nl/onderwerpen")
    assert parsed.mode == "syntax"
    assert "rijksoverheid" in str(parsed.query)


def test_a_decomposed_or_full_width_query_is_the_plain_query() -> None:
    # "geïmplementeerde" typed as i + U+0308 (macOS, PDF copies) is one word, as in NFC
    assert parse("ge\u0069\u0308mplementeerde maatregelen").query == parse("geïmplementeerde maatregelen").query
    assert parse("\ufb01nanciële ＡＭＶＢ").query == parse("financiële AMVB").query
