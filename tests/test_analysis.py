"""Dutch analysis: folding, repaired stemming, hyphens, apostrophes, identifiers, compounds, offsets."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kvsearch.analysis import (
    exact_analyzer,
    fold,
    name_analyzer,
    split_compound,
    text_analyzer,
)

PAIRS = Path(__file__).parent / "data" / "stem_pairs.tsv"


@pytest.fixture(scope="module")
def word_lists() -> None:
    """The word list and lemma table loaded before a test times its examples: with an empty
    cache (~/.cache/kvsearch) deriving them takes seconds, which Hypothesis would charge to the
    first example against its 200 ms deadline."""
    from kvsearch.analysis.stemming import lemmas
    from kvsearch.analysis.wordlists import lexicon

    assert lexicon() and "vond" in lemmas()


def stems(text: str, mode: str = "index") -> list[str]:
    return [t.text for t in text_analyzer()(text, mode=mode)]


def query_stem(word: str) -> str:
    (only,) = stems(word, mode="query")
    return only


def load_pairs() -> list[tuple[str, str, str]]:
    rows = []
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            a, b, rel = line.split("\t")
            rows.append((a, b, rel))
    return rows


@pytest.mark.parametrize(("a", "b", "relation"), load_pairs())
def test_stem_regression_pairs(a: str, b: str, relation: str) -> None:
    same = query_stem(a) == query_stem(b)
    assert same == (relation == "same"), f"{a} -> {query_stem(a)}, {b} -> {query_stem(b)}"


def test_irregular_forms_meet_their_lemma() -> None:
    # Snowball alone leaves strong verbs and separable verbs apart from their infinitive.
    assert query_stem("vinden") in stems("Er is vorig jaar geen oplossing gevonden.")
    assert query_stem("genomen") == query_stem("nemen") == query_stem("neemt")
    assert query_stem("plaatsvond") == query_stem("plaatsgevonden") == query_stem("plaatsvinden")
    assert query_stem("ging") == query_stem("gaan")


def test_lemmas_leave_function_words_and_names_alone() -> None:
    from kvsearch.analysis import lemmas

    assert "den" not in lemmas()  # "Den Haag" is not the article "de"
    assert stems("Den Haag") == ["den", "haag"]


def test_an_acronym_spelled_as_a_stop_word_is_kept() -> None:
    # Het Openbaar Ministerie is "het OM"; the preposition "om" stays a stop word.
    assert stems("Het OM heeft om die reden besloten.") == [
        query_stem("OM"), query_stem("reden"), query_stem("besloten")]
    assert stems("om die reden", mode="query") == [query_stem("reden")]


def test_lemma_table_finds_every_form_and_nothing_else() -> None:
    from kvsearch.analysis import LemmaTable

    pairs = {"afgewezen": "afwijzen", "gevonden": "vinden", "ging": "gaan", "vond": "vinden", "zocht": "zoeken"}
    lines = "".join(f"{w}\t{b}\n" for w, b in sorted(pairs.items()))
    table = LemmaTable(lines)
    for word, base in pairs.items():
        assert table.get(word) == base
    for absent in ("", "a", "afgewezenen", "gevond", "gingen", "vondst", "zz", "aaa"):
        assert table.get(absent) is None
    table._DICT_AFTER = 0  # the same answers once it has turned into a dict
    assert table.get("ging") == "gaan" and table.get("gingen") is None


def test_a_lemma_cache_cut_short_is_derived_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kvsearch import analysis
    from kvsearch.analysis import wordlists

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    analysis.lemmas.cache_clear()
    try:
        cache = wordlists._cache_file(f"lemmas-nl-{wordlists._dist_version('simplemma')}-v4.txt")
        cache.parent.mkdir(parents=True)
        cache.write_text("vond\tvinden\nzocht\tzoek", encoding="utf-8")  # a disk that filled up
        assert analysis.lemmas().get("ging") == "gaan"
        assert analysis.lemmas().get("zocht") == "zoeken"
        assert cache.read_text(encoding="utf-8").endswith("~end\t~\n")
    finally:
        analysis.lemmas.cache_clear()


def test_accents_fold_per_token() -> None:
    assert fold("Geïmplementeerd") == "geimplementeerd"
    assert stems("financiële") == stems("financiele")


def test_stop_words_go_but_een_with_accents_stays() -> None:
    assert stems("de minister en het kabinet") == [query_stem("minister"), query_stem("kabinet")]
    assert stems("één") == ["een"]


def test_compound_parts_are_indexed_at_the_compound() -> None:
    # Whoosh reuses one Token object: copy what is needed while iterating.
    tokens = [(t.text, t.pos) for t in text_analyzer()("gezichtsherkenningssoftware", positions=True, mode="index")]
    texts = {text for text, _ in tokens}
    assert query_stem("gezichtsherkenning") in texts
    assert query_stem("herkenning") in texts
    assert query_stem("software") in texts
    assert {pos for _, pos in tokens} == {0}


def test_kinderopvangtoeslag_is_found_by_its_parts() -> None:
    texts = set(stems("kinderopvangtoeslag"))
    assert query_stem("kinderopvang") in texts and query_stem("toeslag") in texts


@pytest.mark.parametrize("word", ["minister", "verklaring", "ontwikkeling", "regering", "gemeente", "ministerie"])
def test_ordinary_words_are_never_split(word: str) -> None:
    assert split_compound(word) == ()


def test_query_words_are_not_decompounded() -> None:
    assert stems("kinderopvangtoeslag", mode="query") == [query_stem("kinderopvangtoeslag")]


def test_hyphenated_words_match_joined_and_by_halves() -> None:
    indexed = set(stems("EU-controlelijst"))
    assert query_stem("EU-controlelijst") in indexed
    assert query_stem("controlelijst") in indexed
    assert query_stem("wiskunde-onderwijs") == query_stem("wiskundeonderwijs")


def test_apostrophes() -> None:
    assert query_stem("camera's") == query_stem("camera")
    assert query_stem("auto’s") == query_stem("auto")


@pytest.mark.parametrize(("typed", "text"), [("2020Z25656", "kv-tk 2020Z25656"), ("F-35", "de F-35 straaljager")])
def test_identifiers_are_searchable_as_typed(typed: str, text: str) -> None:
    assert query_stem(typed) in stems(text)


def test_a_number_glued_to_a_name_is_found_by_either_half() -> None:
    indexed = set(stems("De Wmo2015 en de ramp met de MH17; zie de brief van september2024."))
    assert {query_stem("Wmo2015"), query_stem("Wmo"), "2015", query_stem("MH17"), "mh", "17"} <= indexed
    assert query_stem("september") in indexed  # a word PDF extraction glued to a year
    assert stems("zie van21") == [query_stem("zie"), "van21", "21"]  # no stop word "van"
    assert stems("2020Z25656") == ["2020z25656"]  # identifiers that start with digits stay whole
    assert stems("CO2") == ["co2"]


def test_invisible_characters_pasted_inside_a_word_join_it() -> None:
    word = query_stem("gezichtsherkenning")
    assert query_stem("ge\u00adzichtsherkenning") == word  # soft hyphen, from web pages and PDFs
    assert query_stem("gezichts\u200bherkenning") == word  # zero-width space
    assert word in stems("De ge\u00adzichts\u00adherkennings\u00adsoftware van de politie")


def test_stop_words_are_no_parts_of_hyphenated_words_or_compounds() -> None:
    # "om-vatten" is "omvatten" hyphenated at a line break, "pachtsommen" has the part "ommen":
    # neither may be found by the acronym OM (Openbaar Ministerie), whose term is "om".
    for text in ("om-vatten", "om-trent", "pachtsommen", "van-daag"):
        assert not set(stems(text)) & {"om", "van"}, text
    assert stems("om-vatten") == [query_stem("omvatten"), query_stem("vatten")]


def test_a_run_of_thousands_of_letters_is_one_term_and_not_split() -> None:
    # Text glued by OCR: splitting it as a compound once recursed per letter and crashed.
    run = "gezichtsherkenning" * 300
    assert stems(run) == stems(run, mode="query") and len(stems(run)) == 1


def test_kamerstuk_number_with_space_and_hyphen() -> None:
    assert stems("21 501-20", mode="query") == ["21", "50120"]


def test_every_token_offset_slices_back_to_its_original_word() -> None:
    text = "Het gebruik van gezichtsherkenningssoftware, EU-controlelijst en camera’s is geïmplementeerd."
    words = {(m.start(), m.end()) for m in re.finditer(r"\w+(?:[-'’]\w+)*", text)}
    for analyzer in (text_analyzer(), exact_analyzer()):
        for t in analyzer(text, chars=True, mode="index"):
            assert (t.startchar, t.endchar) in words, (t.text, text[t.startchar : t.endchar])


def test_names_fold_without_stemming() -> None:
    assert [t.text for t in name_analyzer()("Martijn van Helvert")] == ["martijn", "van", "helvert"]


@pytest.mark.parametrize("make", [text_analyzer, exact_analyzer, name_analyzer])
def test_analyzers_pickle_small(make) -> None:  # type: ignore[no-untyped-def]
    data = pickle.dumps(make())
    assert len(data) < 2000
    assert [t.text for t in pickle.loads(data)("Gemeenten financiële")] == [t.text for t in make()("Gemeenten financiële")]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_yields_tokens_with_valid_offsets(text: str) -> None:
    for t in text_analyzer()(text, chars=True, positions=True, mode="index"):
        assert 0 <= t.startchar < t.endchar <= len(text)
        assert t.text


INDEXED_PASSAGES = [
    "De gezichtsherkenningssoftware van de politie is niet ingezet bij demonstraties in Den Haag.",
    "Ouders met kinderopvangtoeslag ontvangen vóór 1 juli een beschikking; de EU-controlelijst geldt.",
    "Camera's en auto's: zie Kamerstuk 21 501-20 en vraag 2020Z25656 over de F-35 en de F-35.",
    "Het OM heeft om die reden besloten de zaak te seponeren.",
    "Gemeenten voeren de Wmo2015 uit; zie de brief van september2024 over COVID19.",
    "Het OM kan de ge\u00adzichtsherkenning om-vatten, zegt de pachtsommen-commissie.",
]


@pytest.mark.parametrize("passage", INDEXED_PASSAGES)
def test_indexing_shortcuts_give_what_the_chains_give(passage: str) -> None:
    """The segment writer counts terms without Token objects: same terms, counts, positions."""
    from collections import Counter

    text, exact = text_analyzer(), exact_analyzer()
    freqs, length = text.term_frequencies(passage)
    chain = Counter(t.text for t in text(passage, mode="index"))
    assert freqs == dict(chain) and length == sum(chain.values())
    assert "de" not in freqs  # a stop word
    positions, length = exact.term_positions(passage)
    expected: dict[str, list[int]] = {}
    for t in exact(passage, mode="index", positions=True):
        expected.setdefault(t.text, []).append(t.pos)
    assert positions == expected and length == sum(map(len, expected.values()))


@given(st.text(max_size=200))
def test_indexing_shortcuts_agree_on_any_text(word_lists: None, passage: str) -> None:
    from collections import Counter

    freqs, _ = text_analyzer().term_frequencies(passage)
    assert freqs == dict(Counter(t.text for t in text_analyzer()(passage, mode="index")))
    positions, _ = exact_analyzer().term_positions(passage)
    assert positions == {
        form: [t.pos for t in exact_analyzer()(passage, mode="index", positions=True) if t.text == form]
        for form in positions
    }
