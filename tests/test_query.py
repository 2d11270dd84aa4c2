"""Reading what users type: syntax, lenient errors, pasted questions, dates."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh import query as wq

import kvsearch
from kvsearch import QueryError
from kvsearch.index import generations, schema
from kvsearch.query.parse import looks_like_question, parse, parse_date_range

# One answer whose paragraphs (numbered from 1) tell what each kind of query matches.
PARAGRAPHS = [
    "Het kabinet heeft Huawei in China om een verklaring gevraagd.",  # 1
    "ZTE levert netwerkapparatuur aan China.",  # 2
    "China heeft de export van goederen naar Xinjiang toegestaan.",  # 3
    "De gezichtsherkenning van de politie werkt niet.",  # 4
    "In de verordening staat geen zwarte lijst van bedrijven.",  # 5
    "De lijst met zwarte vlaggen is lang.",  # 6: both words, not the phrase
    "Kinderopvang en toeslag worden apart geregeld.",  # 7
    "De kinderopvangtoeslag stijgt volgend jaar.",  # 8
    "Problemen met de financiën van ziekenhuizen spelen ook buiten Limburg.",  # 9
    "De kampen op Lesbos zijn overvol.",  # 10
]

Matches = Callable[[wq.Query], set[int]]


@pytest.fixture(scope="module")
def matches(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Matches]:
    """The paragraphs of PARAGRAPHS that a parsed query matches, as the index reads it."""
    root = tmp_path_factory.mktemp("query")
    (root / "corpus").mkdir()
    text = "Beantwoord | 3 maart 2022 |\n---|---|\n" + "".join(p + "\n" for p in PARAGRAPHS)
    (root / "corpus" / "kv-een.txt").write_text(text, encoding="utf-8")
    kvsearch.build_index(root / "corpus", root / "ix")
    ix = whoosh_index.open_dir(str(generations.current_generation(root / "ix") / generations.WHOOSH_DIR))
    with ix.searcher() as searcher:
        yield lambda q: {int(hit[schema.PARAGRAPH]) for hit in searcher.search(q, limit=None)}


def test_plain_words_must_all_match(matches: Matches) -> None:
    parsed = parse("kinderopvang toeslag")
    assert parsed.mode == "syntax"
    assert matches(parsed.query) == {7, 8}  # the compound has both parts
    # When too few have all the words: those with any of them.
    assert parsed.relaxed is not None and matches(parsed.relaxed) == {7, 8}
    assert matches(parse("kabinet toeslag").query) == set()
    assert matches(parse("kabinet toeslag").relaxed) == {1, 7, 8}


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


def test_pasted_question_is_text_mode_even_with_syntax_characters(matches: Matches) -> None:
    question = "Klopt het dat het kabinet de kinderop* (realtime) gebruikt -politie?"
    parsed = parse(question)
    assert parsed.mode == "text"
    # Any of its words; "kinderop*" is no prefix (it would find 7 and 8), "-politie" no NOT.
    assert matches(parsed.query) == {1, 4}


@pytest.mark.parametrize(
    "question",
    [
        'Bent u bekend met het bericht "Ziekenhuizen in Limburg in financiële problemen"?',
        "Bent u bekend met het bericht 'Ziekenhuizen in Limburg in financiële problemen?'",
        "Wat is de stand van zaken rond de opvang in de asielzoekers -kampen op Lesbos?",
    ],
)
def test_a_pasted_question_quoting_a_headline_is_text_not_a_phrase(question: str, matches: Matches) -> None:
    parsed = parse(question)
    assert parsed.mode == "text"
    # Paragraph 9 has the headline's words but not as a phrase; 10 has "kampen", not negated.
    assert matches(parsed.query) == ({9} if "Limburg" in question else {10})


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


@pytest.mark.parametrize(
    ("typed", "paragraphs"),
    [
        ("huawei OR zte", {1, 2}),
        ("china -huawei", {2, 3}),
        ("china NOT huawei", {2, 3}),
        ("(huawei OR zte) -netwerkapparatuur", {1}),
        ("kinderop*", {7, 8}),
        ("gezichtsherkening~", {4}),
        ("lijst zwarte", {5, 6}),
        ('"zwarte lijst"', {5}),
    ],
)
def test_operators_match_what_they_say(typed: str, paragraphs: set[int], matches: Matches) -> None:
    assert matches(parse(typed).query) == paragraphs


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
