"""Searching from the library: ranking, highlight spans, totals, paging, documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import kvsearch
from kvsearch import QueryError
from kvsearch.query.stats import StatsRow

from .conftest import (
    ALL_DOCUMENTS,
    BLOK,
    DE_JONGE,
    EVERY_DOCUMENT,
    FILTER_CASES,
    GRAPPERHAUS,
    KOOLMEES,
    KUIPERS,
    PLOUMEN,
    VAN_DER_WAL,
    filter_ids,
)


def words(hit: kvsearch.Hit) -> list[str]:
    return [hit.text[a:b] for a, b in hit.spans]


def test_compound_query_finds_facial_recognition_passage_with_word_highlighted(index_dir: Path) -> None:
    result = kvsearch.search("gezichtsherkenning", index_dir=index_dir)
    assert (result.total, documents(result)) == (5, {GRAPPERHAUS, BLOK})
    top = next(h for h in result.hits if h.doc_id == "kv-2020Z25656")
    assert "gezichtsherkenning" in " ".join(words(top)).lower()
    for a, b in top.spans:
        assert top.text[a:b].lower().startswith("gezichtsherkenning")


def test_passage_with_all_query_words_ranks_first(index_dir: Path) -> None:
    result = kvsearch.search("Huawei verklaring website", index_dir=index_dir)
    top = result.hits[0]
    assert top.doc_id == "kv-2020Z25656"
    assert "verklaring op de website van Huawei" in top.text
    marked = {w.lower() for w in words(top)}
    assert {"huawei", "verklaring", "website"} <= marked


def test_stemmed_and_folded_matches_are_marked_on_the_original_words(index_dir: Path) -> None:
    result = kvsearch.search("financiele gevolg", index_dir=index_dir)
    top = result.hits[0]
    assert top.doc_id == "2021/ah-tk-20202021-1002"
    assert words(top) == ["financiële", "gevolgen"]


def test_an_infinitive_finds_the_participle_and_marks_it(index_dir: Path) -> None:
    # "komen" and "gekomen" share no Snowball stem; the lemma joins them.
    result = kvsearch.search("mensenrechten orde komen", index_dir=index_dir)
    top = result.hits[0]
    assert "Mensenrechten zijn ook aan de orde gekomen" in top.text
    assert {"mensenrechten", "orde", "gekomen"} <= {w.lower() for w in words(top)}


def one_document_index(tmp_path: Path, *paragraphs: str) -> Path:
    """An index of a single answer document with these paragraphs."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    header = "Beantwoord | 3 maart 2022 |\n---|---|\n"
    (corpus / "kv-een.txt").write_text(header + "".join(p + "\n" for p in paragraphs), encoding="utf-8")
    kvsearch.build_index(corpus, tmp_path / "ix")
    return tmp_path / "ix"


def test_the_acronym_om_finds_the_public_prosecutor_not_the_preposition(tmp_path: Path) -> None:
    ix = one_document_index(
        tmp_path,
        "Het OM heeft besloten de verdachte niet te vervolgen.",
        "Om die reden is de zaak voor de politie afgesloten.",
        "De regeling zal ook de kosten van de pachtsommen om-vatten.",  # hyphenated at a line break
    )
    for query in ("OM", "Waarom heeft het OM besloten de verdachte niet te vervolgen?"):
        result = kvsearch.search(query, index_dir=ix)
        assert result.hits[0].text.startswith("Het OM heeft besloten")
        assert "OM" in words(result.hits[0])
    assert kvsearch.search("OM", index_dir=ix).total == 1


def test_a_name_with_a_number_glued_on_is_found_by_the_name_and_marked(tmp_path: Path) -> None:
    ix = one_document_index(
        tmp_path,
        "Gemeenten hebben bij de uitvoering van de Wmo2015 veel beleidsruimte gekregen.",
        "De Jeugdwet stelt kwaliteitseisen aan jeugdhulpaanbieders.",
    )
    for query in ("Wmo", "Wmo 2015", "Wmo2015", "wmo 2015 gemeenten"):
        result = kvsearch.search(query, index_dir=ix)
        assert result.total == 1, query
        assert "Wmo2015" in words(result.hits[0]), query


def test_a_pasted_run_of_thousands_of_letters_finds_nothing_and_offers_no_correction(index_dir: Path) -> None:
    result = kvsearch.search("gezichtsherkenning" * 1000, index_dir=index_dir)
    assert result.total == 0 and result.suggestion is None


def test_a_pasted_question_quoting_a_headline_finds_the_answer(index_dir: Path) -> None:
    # Read as a phrase AND-ed with every other word, this found nothing.
    result = kvsearch.search(
        'Bent u bekend met het bericht "Politie zet gezichtsherkenning in tegen Oeigoeren"?', index_dir=index_dir
    )
    assert (result.hits[0].doc_id, result.hits[0].paragraph) == (GRAPPERHAUS, 2)
    assert "gezichtsherkenning" in words(result.hits[0])


def test_hit_carries_document_metadata(index_dir: Path) -> None:
    hit = kvsearch.search("kinderopvangtoeslag", index_dir=index_dir).hits[0]
    assert hit.doc_id == "2021/ah-tk-20202021-1001"
    meta = hit.document
    assert meta.answered is not None and meta.answered.isoformat() == "2021-03-15"
    assert meta.days == 40
    assert [s.party for s in meta.submitters] == ["CDA", "PvdA"]
    assert meta.answer_id == "ah-tk-20202021-1001"
    assert meta.url == "https://zoek.officielebekendmakingen.nl/ah-tk-20202021-1001.html"


def test_total_counts_every_match_not_just_the_page(index_dir: Path) -> None:
    result = kvsearch.search("kabinet", index_dir=index_dir, limit=2, per_document=None)
    assert len(result.hits) == 2
    assert (result.total, result.total_documents) == (9, 2)
    everything = kvsearch.search("kabinet", index_dir=index_dir, limit=100, per_document=None)
    assert len(everything.hits) == result.total


def test_offset_pages_through_the_same_ranking(index_dir: Path) -> None:
    everything = kvsearch.search("kabinet", index_dir=index_dir, limit=100, per_document=None)
    page2 = kvsearch.search("kabinet", index_dir=index_dir, limit=3, offset=3, per_document=None)
    assert [(h.doc_id, h.paragraph) for h in page2.hits] == [(h.doc_id, h.paragraph) for h in everything.hits[3:6]]


def test_passages_per_document_are_capped_and_the_rest_counted(index_dir: Path) -> None:
    result = kvsearch.search("kabinet", index_dir=index_dir, per_document=2)
    per_doc: dict[str, list[kvsearch.Hit]] = {}
    for hit in result.hits:
        per_doc.setdefault(hit.doc_id, []).append(hit)
    assert max(len(v) for v in per_doc.values()) == 2
    left_out = sum(v[0].more for v in per_doc.values())
    assert len(result.hits) + left_out == result.total


def test_nothing_found_is_an_empty_result_not_an_error(index_dir: Path) -> None:
    result = kvsearch.search("zeppelinhangar", index_dir=index_dir)
    assert result.total == 0 and result.hits == ()


def test_short_query_falls_back_to_any_word_with_a_warning(index_dir: Path) -> None:
    result = kvsearch.search("Hikvision zeppelinhangar", index_dir=index_dir)
    assert result.warnings == ("no passage has all the words; showing passages with some of them",)
    assert [(h.doc_id, h.paragraph) for h in result.hits] == [(BLOK, 14)]
    assert "Hikvision" in result.hits[0].text


def test_pasted_question_with_trailing_question_mark_is_searched_as_text(index_dir: Path) -> None:
    question = "Bent u bekend met het bericht dat Hikvision camera's levert aan overheidsinstellingen?"
    result = kvsearch.search(question, index_dir=index_dir)
    assert (result.hits[0].doc_id, result.hits[0].paragraph) == (BLOK, 14)
    assert "Hikvision" in result.hits[0].text
    assert result.warnings == ()


@pytest.mark.parametrize("query", ["", "   ", "\x00"])
def test_empty_query_raises_query_error(index_dir: Path, query: str) -> None:
    with pytest.raises(QueryError):
        kvsearch.search(query, index_dir=index_dir)


def documents(result: kvsearch.SearchResult) -> set[str]:
    return {h.doc_id for h in result.hits}


def test_every_document_matches_the_unfiltered_query(index_dir: Path) -> None:
    # The premise of the filter cases: unfiltered, every answer is there.
    result = kvsearch.search(EVERY_DOCUMENT, index_dir=index_dir, per_document=1, limit=100)
    assert documents(result) == ALL_DOCUMENTS and result.total_documents == len(ALL_DOCUMENTS)


@pytest.mark.parametrize(("filters", "expected"), FILTER_CASES, ids=filter_ids(FILTER_CASES))
def test_a_filter_leaves_exactly_the_documents_it_selects(
    index_dir: Path, filters: dict[str, Any], expected: set[str]
) -> None:
    result = kvsearch.search(EVERY_DOCUMENT, index_dir=index_dir, per_document=1, limit=100, **filters)
    assert documents(result) == expected
    assert result.total_documents == len(expected)


# The query syntax's field clauses select what the filter options select.
FIELD_CLAUSES = {"minister": "minister", "ministry": "ministerie", "submitter": "indiener", "party": "partij",
                 "subject": "onderwerp", "id": "id"}


FIELD_CASES = [case for case in FILTER_CASES if len(case[0]) == 1 and next(iter(case[0])) in FIELD_CLAUSES]


@pytest.mark.parametrize(("filters", "expected"), FIELD_CASES, ids=filter_ids(FIELD_CASES))
def test_a_field_clause_selects_what_its_filter_selects(
    index_dir: Path, filters: dict[str, Any], expected: set[str]
) -> None:
    ((name, value),) = filters.items()
    query = f'({EVERY_DOCUMENT}) {FIELD_CLAUSES[name]}:"{value}"'
    assert documents(kvsearch.search(query, index_dir=index_dir, per_document=1, limit=100)) == expected


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("beantwoord:2021-03", {KOOLMEES}),
        ("beantwoord:2021-03-15..2022-03-07", {KOOLMEES, BLOK, VAN_DER_WAL}),
        ("answered:..2016", {PLOUMEN}),
        ("ingediend:2022", {VAN_DER_WAL, KUIPERS}),
        ("submitted:2020-12..2021-01", {BLOK, GRAPPERHAUS}),
    ],
)
def test_a_date_clause_selects_answers_by_date(index_dir: Path, clause: str, expected: set[str]) -> None:
    query = f"({EVERY_DOCUMENT}) {clause}"
    assert documents(kvsearch.search(query, index_dir=index_dir, per_document=1, limit=100)) == expected


NARROWING_FILTERS = [{"late": True}, {"party": "CDA"}, {"since": "2021-03", "until": "2023"}, {"ministry": "veiligheid"}]
WORDS = "kabinet OR minister OR politie OR Jemen OR woningen OR camera OR wachttijden"


def assert_narrowed_without_reordering(index_dir: Path, query: str, filters: dict[str, Any], **options: Any) -> None:
    """The filtered ranking is the unfiltered one with the other documents' passages taken out."""
    everything = kvsearch.search(query, index_dir=index_dir, per_document=None, limit=1000, **options)
    filtered = kvsearch.search(query, index_dir=index_dir, per_document=None, limit=1000, **options, **filters)
    selected = documents(kvsearch.search(EVERY_DOCUMENT, index_dir=index_dir, per_document=1, limit=100, **filters))
    assert 0 < len(filtered.hits) < len(everything.hits)
    assert [(h.doc_id, h.paragraph) for h in filtered.hits] == [
        (h.doc_id, h.paragraph) for h in everything.hits if h.doc_id in selected
    ]
    assert filtered.total == len(filtered.hits)


@pytest.mark.parametrize("filters", NARROWING_FILTERS, ids=lambda f: ",".join(f))
@pytest.mark.parametrize(
    ("query", "options"),
    [("kabinet* OR minister OR politie* OR jemen* OR woning* OR camera* OR wacht*", {}),
     (WORDS, {"sort": "newest"}), (WORDS, {"sort": "oldest"})],
    ids=["prefixes", "newest", "oldest"],
)
def test_a_filter_narrows_the_ranking_without_reordering_it(
    index_dir: Path, filters: dict[str, Any], query: str, options: dict[str, Any]
) -> None:
    assert_narrowed_without_reordering(index_dir, query, filters, **options)


# The second ranking stage re-scores the head of the list: its 4-gram idf and the scores it
# divides by are taken from the passages in that head, which a filter changes, so a filter can
# swap two close passages of the documents it keeps (a CDA filter puts Blok's paragraph 12,
# 0.370 unfiltered, before Koolmees's paragraph 3, 0.382). Found by this test; the lead decides.
@pytest.mark.xfail(strict=True, reason="the re-ranked head depends on the filter (kvsearch.query.rerank.fuse)")
@pytest.mark.parametrize("query", [WORDS, "Hoe lang zijn de wachttijden voor woningen en camera's bij de politie?"],
                         ids=["words", "question"])
def test_a_filter_narrows_a_re_ranked_list_without_reordering_it(index_dir: Path, query: str) -> None:
    for filters in NARROWING_FILTERS:
        assert_narrowed_without_reordering(index_dir, query, filters)


def test_get_document_by_official_answer_id(index_dir: Path) -> None:
    doc = kvsearch.get_document("ah-tk-20202021-2310", index_dir=index_dir)
    assert doc.doc_id == "kv-2020Z25656"
    assert doc.paragraphs[0] == "Ja."
    assert len(doc.paragraphs) == 20


def test_unknown_document_raises(index_dir: Path) -> None:
    with pytest.raises(kvsearch.DocumentNotFoundError):
        kvsearch.get_document("ah-tk-19991999-0", index_dir=index_dir)


def test_open_index_serves_many_queries(index_dir: Path) -> None:
    with kvsearch.open_index(index_dir) as ix:
        assert ix.search("Oeigoeren").total == 2
        assert ix.search("kinderopvang").total == 3


def test_missing_index_raises_index_not_found(tmp_path: Path) -> None:
    with pytest.raises(kvsearch.IndexNotFoundError):
        kvsearch.search("kabinet", index_dir=tmp_path / "nergens")


def test_unreadable_file_is_rejected_and_the_rest_indexed(corpus_dir: Path, tmp_path: Path) -> None:
    report = kvsearch.build_index(corpus_dir, tmp_path / "ix")
    assert [Path(r.path).name for r in report.rejected] == ["kapot.txt"]
    assert (report.documents, report.passages) == (9, 44)


def test_file_without_header_is_searchable(index_dir: Path) -> None:
    result = kvsearch.search("gevangenis Zwolle", index_dir=index_dir)
    assert result.hits[0].doc_id == "2024/geen-kop"


def test_sort_newest_and_oldest_by_answer_date(index_dir: Path) -> None:
    query = "kabinet OR politie OR Jemen OR woningen OR wachttijden"
    newest = kvsearch.search(query, index_dir=index_dir, sort="newest", per_document=1)
    assert [h.doc_id for h in newest.hits] == [DE_JONGE, KUIPERS, BLOK, KOOLMEES, GRAPPERHAUS, PLOUMEN]
    oldest = kvsearch.search(query, index_dir=index_dir, sort="oldest", per_document=1)
    assert [h.doc_id for h in oldest.hits] == [PLOUMEN, GRAPPERHAUS, KOOLMEES, BLOK, KUIPERS, DE_JONGE]


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_date_sort_puts_undated_answers_last_and_keeps_relevance_scores(index_dir: Path, sort: str) -> None:
    # Whoosh's FieldFacet puts a missing date first when reversed and reports its sort key
    # (-20210413.0) as the score.
    result = kvsearch.search("kabinet OR gevangenis OR personeel", index_dir=index_dir, sort=sort, per_document=None, limit=100)
    dated = [h.document.answered for h in result.hits if h.document.answered]
    undated = [n for n, h in enumerate(result.hits) if h.document.answered is None]
    assert undated and dated and undated == list(range(len(dated), len(result.hits)))
    assert dated == sorted(dated, reverse=(sort == "newest"))
    assert all(0 < h.score < 1000 for h in result.hits)
    for a, b in zip(result.hits, result.hits[1:]):
        if a.document.answered == b.document.answered:
            assert a.score >= b.score


def test_facets_count_matching_documents(index_dir: Path) -> None:
    result = kvsearch.search("camera OR kinderopvang", index_dir=index_dir, facets=True)
    counts = {name: [(c.value, c.count) for c in values] for name, values in result.facets.items()}
    assert counts == {
        "minister": [("Ferd Grapperhaus", 1), ("Stef Blok", 1), ("Wouter Koolmees", 1)],
        "ministry": [("buitenlandse zaken", 1), ("justitie en veiligheid", 1), ("sociale zaken en werkgelegenheid", 1)],
        # The askers' parties, the most documents first: Van Helvert and Van den Berg are CDA.
        "party": [("CDA", 2), ("D66", 1), ("PvdA", 1)],
        "year": [("2021", 3)],
    }


def test_did_you_mean_for_a_misspelled_word(index_dir: Path) -> None:
    result = kvsearch.search("gezichtsherkening", index_dir=index_dir)
    assert result.suggestion == "gezichtsherkenning"


def test_no_did_you_mean_for_a_word_found_through_its_lemma(index_dir: Path) -> None:
    # "vinden" stands nowhere as such, but "vindt" does: that is a match, not a typo.
    result = kvsearch.search("vinden", index_dir=index_dir)
    assert result.total == 1 and "vindt" in words(result.hits[0])
    assert result.suggestion is None


def test_field_clauses_and_filters_combine(index_dir: Path) -> None:
    result = kvsearch.search("kabinet beantwoord:2021-03", index_dir=index_dir, per_document=None, limit=100)
    assert documents(result) == {KOOLMEES}
    result = kvsearch.search("kabinet", index_dir=index_dir, since="2021-04", per_document=None, limit=100)
    assert documents(result) == {BLOK}
    assert kvsearch.search("kabinet", index_dir=index_dir, minister="Grapperhaus").total == 0
    assert documents(kvsearch.search("camera indiener:verhoeven", index_dir=index_dir)) == {GRAPPERHAUS}
    assert documents(kvsearch.search("kabinet id:2020Z25656", index_dir=index_dir)) == {BLOK}
    # A late answer of Blok's, then not late enough: 112 days is late, 14 days (Grapperhaus) not.
    assert documents(kvsearch.search("kabinet", index_dir=index_dir, late=True, minister="blok")) == {BLOK}
    assert kvsearch.search("camera", index_dir=index_dir, late=True, minister="grapperhaus").total == 0
    assert documents(kvsearch.search("camera", index_dir=index_dir, minister="grapperhaus")) == {GRAPPERHAUS}


@pytest.mark.parametrize("typed", ["2020Z25656", "ah-tk-20202021-2310", "kv-2020Z25656"])
def test_an_official_id_typed_as_a_word_finds_its_document(index_dir: Path, typed: str) -> None:
    # The answer's text never mentions its own ids; they are in its header.
    result = kvsearch.search(typed, index_dir=index_dir)
    assert result.total_documents == 1
    assert {h.doc_id for h in result.hits} == {"kv-2020Z25656"}


def test_similar_documents_exclude_the_document_itself(index_dir: Path) -> None:
    result = kvsearch.similar("2021/ah-tk-20202021-1002", index_dir=index_dir)
    # Blok's answer on facial recognition cameras is the most alike; never the answer itself.
    assert result.hits[0].doc_id == BLOK
    assert GRAPPERHAUS not in documents(result) and len(documents(result)) == len(result.hits) > 1
    pasted = kvsearch.similar(text="Gebruikt de politie gezichtsherkenning bij camera's?", index_dir=index_dir)
    assert pasted.hits[0].doc_id == "2021/ah-tk-20202021-1002"


def test_the_only_document_has_no_similar_one(tmp_path: Path) -> None:
    # whoosh3's AndNot let a passage of the excluded document through (total 1, no hits) when
    # the document's first passage has none of the words.
    ix = one_document_index(tmp_path, "Ja.", "De politie zet camera's in bij het stadion.")
    result = kvsearch.similar("kv-een", index_dir=ix)
    assert (result.total, result.total_documents, result.hits) == (0, 0, ())


def test_stats_give_median_days_and_the_shares_answered_after_21_and_42_days(index_dir: Path) -> None:
    # Answer times 14, 21, 22, 39, 40, 42, 43, 112: 6 of 8 took more than 21 days, 2 more than 42.
    stats = kvsearch.stats(index_dir=index_dir)
    assert (stats.documents, stats.passages) == (9, 44)
    assert (stats.first_answer, stats.last_answer) == ("2016-03-23", "2024-12-02")
    assert stats.overall == StatsRow("alle", 9, 8, 39.5, 0.75, 0.25)
    assert (stats.by, stats.rows) == (None, ())


def test_stats_by_party_count_the_askers_party_on_both_sides_of_each_mark(index_dir: Path) -> None:
    stats = kvsearch.stats(index_dir=index_dir, by="party")
    assert stats.rows == (
        StatsRow("CDA", 2, 2, 76.0, 1.0, 0.5),  # 40 and 112 days
        StatsRow("ChristenUnie", 2, 2, 32.5, 1.0, 0.5),  # 22 and 43: just past each mark
        StatsRow("D66", 2, 2, 17.5, 0.0, 0.0),  # 14 and 21: three weeks exactly is in time
        StatsRow("(onbekend)", 1, 0, None, None, None),
        StatsRow("GroenLinks-PvdA", 1, 1, 39.0, 1.0, 0.0),
        StatsRow("PVV", 1, 1, 42.0, 1.0, 0.0),  # six weeks exactly is not past six weeks
        StatsRow("PvdA", 1, 1, 40.0, 1.0, 0.0),
        StatsRow("SP", 1, 1, 39.0, 1.0, 0.0),
    )


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("year", [("2016", 1, 22.0, 1.0, 0.0), ("2021", 3, 40.0, 2 / 3, 1 / 3), ("2022", 2, 31.5, 0.5, 0.0),
                  ("2023", 1, 43.0, 1.0, 1.0), ("2024", 1, 39.0, 1.0, 0.0), ("(onbekend)", 1, None, None, None)]),
        ("ministry", [("justitie en veiligheid", 2, 26.5, 0.5, 0.0), ("(onbekend)", 1, None, None, None),
                      ("buitenlandse handel en ontwikkelingssamenwerking", 1, 22.0, 1.0, 0.0),
                      ("buitenlandse zaken", 1, 112.0, 1.0, 1.0), ("natuur en stikstof", 1, 21.0, 0.0, 0.0),
                      ("sociale zaken en werkgelegenheid", 1, 40.0, 1.0, 0.0),
                      ("volksgezondheid, welzijn en sport", 1, 42.0, 1.0, 0.0),
                      ("volkshuisvesting en ruimtelijke ordening", 1, 43.0, 1.0, 1.0)]),
    ],
)
def test_stats_by_year_and_ministry(index_dir: Path, by: str, expected: list[tuple[Any, ...]]) -> None:
    rows = kvsearch.stats(index_dir=index_dir, by=by).rows
    assert [(r.key, r.documents, r.median_days, r.over_21, r.over_42) for r in rows] == expected


def test_stats_count_what_the_query_and_filters_select(index_dir: Path) -> None:
    late = kvsearch.stats(index_dir=index_dir, late=True)
    assert (late.documents, late.overall) == (6, StatsRow("alle", 6, 6, 41.0, 1.0, 2 / 6))
    narrowed = kvsearch.stats("kinderopvang", index_dir=index_dir)
    assert (narrowed.documents, narrowed.passages, narrowed.overall) == (1, 3, StatsRow("alle", 1, 1, 40.0, 1.0, 0.0))
    cda = kvsearch.stats("kabinet OR Jemen OR woningen", index_dir=index_dir, party="cda", since="2021-04")
    assert (cda.documents, cda.first_answer, cda.last_answer) == (1, "2021-04-13", "2021-04-13")


def test_passages_with_all_words_come_first_then_those_with_some(index_dir: Path) -> None:
    # No passage has both words: the one with the rarer word first, then the three with the other.
    result = kvsearch.search("Hikvision kinderopvang", index_dir=index_dir, per_document=None)
    assert [(h.doc_id, h.paragraph) for h in result.hits] == [(BLOK, 14), (KOOLMEES, 3), (KOOLMEES, 2), (KOOLMEES, 1)]
    assert [w.lower() for w in words(result.hits[0])] == ["hikvision"]
    both = kvsearch.search("Hikvision kabinet", index_dir=index_dir, per_document=None)
    assert "Hikvision" in both.hits[0].text and "kabinet" in both.hits[0].text
    assert both.warnings == ("1 passage with all the words; after them, passages with some of them",)
    assert (both.total, len(both.hits)) == (9, 9)


def test_passages_with_some_words_include_those_with_a_part_of_a_compound(index_dir: Path) -> None:
    # No passage says "toeslagpartners"; one says "kinderopvangtoeslag", and its part counts.
    result = kvsearch.search("toeslagpartners Oeigoeren", index_dir=index_dir, per_document=None)
    assert any("Oeigoeren" in h.text for h in result.hits)
    hit = next(h for h in result.hits if h.doc_id == "2021/ah-tk-20202021-1001")
    assert any(w.lower().endswith("toeslag") for w in words(hit))


@pytest.mark.parametrize(
    "text",
    ["Huawei OR gezichtsherkenning", "Klopt het dat de politie gezichtsherkenning gebruikt bij demonstraties?"],
)
def test_scores_descend_through_the_re_ranked_head_and_beyond(
    index_dir: Path, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kvsearch.query import rerank

    monkeypatch.setattr(rerank, "DEPTH_WORDS", 2)  # a short head, so some hits lie beyond it
    monkeypatch.setattr(rerank, "DEPTH_QUESTION", 3)
    result = kvsearch.search(text, index_dir=index_dir, per_document=None, limit=100)
    scores = [h.score for h in result.hits]
    assert len(scores) > 4
    assert scores == sorted(scores, reverse=True)
    # The best first-stage score is 1, plus up to the 4-grams' weight.
    assert 1.0 <= scores[0] <= 1.0 + max(rerank.WEIGHT_QUESTION, rerank.WEIGHT_WORDS)
    assert scores[-1] < 1.0


def test_a_filter_option_names_itself_in_errors_and_a_blank_one_is_ignored(index_dir: Path) -> None:
    with pytest.raises(QueryError) as err:
        kvsearch.search("china", index_dir=index_dir, since="2021-02-30")
    # Its parameter's name, not the command line's option (--since), and no "at position 1".
    assert str(err.value) == "since: impossible date '2021-02-30'"
    with pytest.raises(QueryError, match=r"^until: cannot read date 'morgen' \(use"):
        kvsearch.search("china", index_dir=index_dir, until="morgen")
    with pytest.raises(QueryError, match=r"^since 2022 is after until 2021-06$"):
        kvsearch.search("china", index_dir=index_dir, since="2022", until="2021-06")
    with pytest.raises(QueryError, match=r"^since: cannot read date '\{since\}'"):
        kvsearch.search("china", index_dir=index_dir, since="{since}")
    everything = kvsearch.search("china", index_dir=index_dir)
    for blank in ("", "   "):
        assert kvsearch.search("china", index_dir=index_dir, minister=blank, since=blank) == everything


def rebuilt_twice(corpus_dir: Path, tmp_path: Path, ix_follows: bool = True) -> tuple[kvsearch.Index, Path]:
    """An Index opened on a generation that two full builds since have replaced and deleted."""
    index = tmp_path / "ix"
    kvsearch.build_index(corpus_dir, index)
    ix = kvsearch.open_index(index)
    first = ix.generation
    if not ix_follows:  # as if both builds ran between the check before a query and the query
        ix._follow_current = lambda: None  # type: ignore[method-assign]
    for _ in range(2):
        kvsearch.build_index(corpus_dir, index, full=True)
    assert not first.exists()
    return ix, first


@pytest.mark.parametrize("ix_follows", [True, False], ids=["checked-before", "retried-after-failure"])
def test_an_open_index_follows_rebuilds_that_deleted_its_generation(
    corpus_dir: Path, tmp_path: Path, ix_follows: bool
) -> None:
    ix, first = rebuilt_twice(corpus_dir, tmp_path, ix_follows)
    with ix, kvsearch.open_index(tmp_path / "ix") as fresh:
        assert ix.similar("kv-2020Z25656") == fresh.similar("kv-2020Z25656")
        assert ix.search("gezichtsherkening~") == fresh.search("gezichtsherkening~")
        assert ix.search("kabinet", facets=True) == fresh.search("kabinet", facets=True)
        assert ix.search("kabinet") == fresh.search("kabinet")
        assert ix.generation == fresh.generation != first


def test_an_open_index_whose_generation_vanished_raises_a_kvsearch_error(corpus_dir: Path, tmp_path: Path) -> None:
    import shutil

    index = tmp_path / "ix"
    kvsearch.build_index(corpus_dir, index)
    with kvsearch.open_index(index) as ix:
        shutil.rmtree(ix.generation)  # CURRENT still names it
        for call in (lambda: ix.similar("kv-2020Z25656"), lambda: ix.search("kabinet", facets=True)):
            with pytest.raises(kvsearch.IndexCorruptError, match="missing generation"):
                call()


def test_stats_and_facets_group_spellings_of_a_party_or_ministry_as_the_filters_do(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    spellings = [("P.v.d.A.", "Financiën"), ("P.v.d.A.", "financien"), ("PvdA", "Financiën"), ("P.v.dA.", "Justitie")]
    for n, (party, ministry) in enumerate(spellings):
        (corpus / f"kv-{n}.txt").write_text(
            f"Indiener | Joke de Vries ({party}) |\n---|---|\n"
            f"Beantwoord door | Piet Jansen (minister {ministry}) (VVD) |\nHet kabinet antwoordt.\n",
            encoding="utf-8",
        )
    kvsearch.build_index(corpus, tmp_path / "ix")
    by_party = kvsearch.stats(index_dir=tmp_path / "ix", by="party")
    assert [(r.key, r.documents) for r in by_party.rows] == [("P.v.d.A.", 4)]
    assert kvsearch.stats(index_dir=tmp_path / "ix", party="pvda").documents == 4
    by_ministry = kvsearch.stats(index_dir=tmp_path / "ix", by="ministry")
    assert [(r.key, r.documents) for r in by_ministry.rows] == [("financiën", 3), ("justitie", 1)]
    facets = kvsearch.search("kabinet", index_dir=tmp_path / "ix", facets=True).facets
    assert [(c.value, c.count) for c in facets["party"]] == [("P.v.d.A.", 4)]
    assert [(c.value, c.count) for c in facets["ministry"]] == [("financiën", 3), ("justitie", 1)]


def test_threads_sharing_one_index_get_the_same_answers_as_one_thread(index_dir: Path) -> None:
    # Whoosh's readers seek shared file handles: unguarded, concurrent queries read each
    # other's blocks (wrong passages, ValueError, a false "index damaged").
    import threading

    queries = ["gezichtsherkenning", "Huawei Oeigoeren", "kabinet OR minister", "camera*", "china -huawei",
               "Klopt het dat de politie gezichtsherkenning gebruikt bij demonstraties?"]
    with kvsearch.open_index(index_dir) as ix:
        expected = {q: [(h.doc_id, h.paragraph) for h in ix.search(q, limit=20).hits] for q in queries}
        failures: list[object] = []

        def work(k: int) -> None:
            for i in range(30):
                q = queries[(i + k) % len(queries)]
                try:
                    if [(h.doc_id, h.paragraph) for h in ix.search(q, limit=20).hits] != expected[q]:
                        failures.append(q)
                except Exception as exc:  # noqa: BLE001 - any failure counts
                    failures.append(exc)

        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert failures == []


@pytest.mark.parametrize("per_document", [None, 3])
def test_the_total_is_the_same_on_every_page_and_paging_lists_each_passage_once(
    index_dir: Path, per_document: int | None
) -> None:
    # "Hikvision kabinet": one passage has both words, more have one of them.
    first = kvsearch.search("Hikvision kabinet", index_dir=index_dir, limit=2, per_document=per_document)
    assert first.all_words == 1 and first.total > 2
    seen: list[tuple[str, int]] = []
    for limit in (1, 2, 3):
        for offset in range(0, first.total + 2, limit):
            page = kvsearch.search("Hikvision kabinet", index_dir=index_dir, limit=limit, offset=offset,
                                   per_document=per_document)
            assert (page.total, page.total_documents, page.all_words) == (first.total, first.total_documents, 1)
            if limit == 1:
                seen += [(h.doc_id, h.paragraph) for h in page.hits]
    assert len(seen) == len(set(seen))
    if per_document is None:
        assert len(seen) == first.total  # every matching passage, once


def test_old_answers_without_an_answer_date_are_placed_in_their_time(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # The answer date is in the letter heading only (1937), or only the questions' date is
    # known (1922); a modern answer gives its date in the header.
    (corpus / "sgd-0000062665-2.txt").write_text(
        "Ingediend |  |\n---|---|\nBeantwoord |  |\nBeantwoord door |  |\n"
        "ANTWOORD van den heer Deckers, Minister van Landbouw en Visscherij. (Ingezonden 30 Maart 1937.)\n"
        "1. Van ongerustheid over de keuring van hengsten krachtens de Paardenwet is den ondergeteekende niet gebleken.\n",
        encoding="utf-8",
    )
    (corpus / "sgd-0000291939-1.txt").write_text(
        "Ingediend | 14 maart 1922 |\n---|---|\nBeantwoord |  |\nBeantwoord door | de Geer, Minister van Financiën |\n"
        "De regeering is niet voornemens de heffing op paarden te verhoogen.\n",
        encoding="utf-8",
    )
    (corpus / "ah-tk-20232024-999.txt").write_text(
        "Ingediend | 2 mei 2024 |\n---|---|\nBeantwoord | 30 mei 2024 (na 28 dagen) |\n"
        "Beantwoord door | Minister Adema (Landbouw, Natuur en Voedselkwaliteit) |\n"
        "Het aantal paarden in Nederland is sinds 2015 gelijk gebleven.\n",
        encoding="utf-8",
    )
    ix = tmp_path / "ix"
    kvsearch.build_index(corpus, ix)

    before_1940 = kvsearch.search("paardenwet OR paarden", index_dir=ix, until="1940")
    assert {h.doc_id for h in before_1940.hits} == {"sgd-0000062665-2", "sgd-0000291939-1"}
    assert kvsearch.search("paardenwet", index_dir=ix, since="1937-03", until="1937-03").total == 1

    oldest = kvsearch.search("paardenwet OR paarden", index_dir=ix, sort="oldest")
    assert [h.doc_id for h in oldest.hits] == ["sgd-0000291939-1", "sgd-0000062665-2", "ah-tk-20232024-999"]
    newest = kvsearch.search("paardenwet OR paarden", index_dir=ix, sort="newest")
    assert [h.doc_id for h in newest.hits] == ["ah-tk-20232024-999", "sgd-0000062665-2", "sgd-0000291939-1"]

    document = oldest.hits[1].to_json()["document"]
    assert document["answered"] is None
    assert (document["date"], document["date_source"], document["date_estimated"]) == ("1937-03-30", "text", True)
    assert oldest.hits[1].document.ministers[0].name == "Deckers"
    document = oldest.hits[2].to_json()["document"]
    assert (document["date"], document["date_source"], document["date_estimated"]) == ("2024-05-30", "answered", False)

    stats = kvsearch.stats(index_dir=ix, by="year")
    assert (stats.first_answer, stats.last_answer) == ("1922-03-14", "2024-05-30")
    assert {r.key for r in stats.rows} == {"1922", "1937", "2024"}


def test_decomposed_text_is_found_by_the_composed_word_and_the_other_way_round(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kv-nfd.txt").write_text(
        "Ingediend | 3 maart 2025 |\n---|---|\n"
        "De aanbevelingen van de Raad van State zijn ge\u0069\u0308mplementeerd in de wetgeving over de zorgtoeslag.\n",
        encoding="utf-8",
    )
    (corpus / "kv-nfc.txt").write_text(
        "Ingediend | 4 maart 2025 |\n---|---|\nDe motie is op 1 januari geïmplementeerd door de Belastingdienst.\n",
        encoding="utf-8",
    )
    kvsearch.build_index(corpus, tmp_path / "ix")
    for query in ("geïmplementeerd", "ge\u0069\u0308mplementeerd"):
        result = kvsearch.search(query, index_dir=tmp_path / "ix")
        assert {h.doc_id for h in result.hits} == {"kv-nfd", "kv-nfc"}
        for hit in result.hits:
            assert [hit.text[a:b] for a, b in hit.spans] == ["geïmplementeerd"]




# --- questions beside their answers (issue 15) -------------------------------------------------

WOLF = "koop/ah-1317276"  # Vraag 1 answered by paragraphs 1-2, Vraag 2 by paragraph 3
GAZPROM = "koop/ah-tk-20242025-370"  # Vraag 1 by paragraph 1; Vraag 2 and 3 together by paragraph 2


def test_a_question_is_never_returned_as_a_passage(questions_index: Path) -> None:
    doc = kvsearch.get_document(WOLF, index_dir=questions_index)
    asked = {q.text for q in doc.questions}
    assert len(doc.questions) == 2 and len(doc.paragraphs) == 3
    # The question's own words, as a phrase (exact words of passages only) and pasted whole.
    assert kvsearch.search('"tweede taxateur geverifieerd"', index_dir=questions_index).total == 0
    pasted = kvsearch.search(doc.questions[0].text, index_dir=questions_index, limit=50, per_document=None)
    assert pasted.hits
    for hit in pasted.hits:
        assert hit.text not in asked and not hit.text.startswith("Klopt het dat een taxateur")


def test_words_only_in_a_question_find_every_passage_of_its_answer_which_shows_it(questions_index: Path) -> None:
    # "geverifieerd" is in Vraag 1 only, not in any answer.
    result = kvsearch.search("geverifieerd", index_dir=questions_index)
    assert [(h.doc_id, h.paragraph) for h in result.hits] == [(WOLF, 1), (WOLF, 2)]
    for hit in result.hits:
        assert hit.question is not None and hit.question.startswith("Vraag 1: Klopt het dat een taxateur")
        assert "geverifieerd" not in hit.text and hit.spans == ()  # nothing in the passage to mark
    assert kvsearch.search("wolvenschade", index_dir=questions_index).hits[0].question.startswith("Vraag 2: ")
    # Statistics and facets count the same answers as the search.
    assert kvsearch.stats("geverifieerd", index_dir=questions_index).documents == 1
    assert kvsearch.search("geverifieerd", index_dir=questions_index, facets=True).total == 2


def test_a_grouped_answer_belongs_to_both_questions(questions_index: Path) -> None:
    for words in ("CCS plafond", "Stikstoffonds basispad"):  # one from each question
        top = kvsearch.search(words, index_dir=questions_index).hits[0]
        assert (top.doc_id, top.paragraph) == (GAZPROM, 2)
        assert top.question is not None
        first, second = top.question.splitlines()
        assert first.startswith("Vraag 2: Kunt u aangeven met welke hoeveelheid u het CCS plafond")
        assert second.startswith("Vraag 3: Komt de 25 miljard euro")
    doc = kvsearch.get_document(GAZPROM, index_dir=questions_index)
    assert doc.answers_to == ((0,), (1, 2))
    assert [q.label for q in doc.questions_of(2)] == ["Vraag 2", "Vraag 3"]


def test_a_passage_whose_file_quotes_no_question_has_none(questions_index: Path) -> None:
    hit = kvsearch.search("gezichtsherkenning", index_dir=questions_index).hits[0]
    assert hit.question is None and hit.to_json()["question"] is None


def test_a_similar_pasted_question_finds_the_answer_through_its_question(
    questions_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Asked again in other words: the answer ("vergt nadere uitwerking") shares none of them.
    question = "Hoeveel geld wordt er in totaal gereserveerd voor het Stikstoffonds tot 2035?"
    top = kvsearch.search(question, index_dir=questions_index).hits[0]
    assert (top.doc_id, top.paragraph) == (GAZPROM, 2)
    similar = kvsearch.similar(text=question, index_dir=questions_index)
    assert similar.hits[0].doc_id == GAZPROM
    # Without the question field the answer is not found first.
    from kvsearch.query import plan

    monkeypatch.setitem(plan.QUESTION_WEIGHT, "text", 0.0)
    with kvsearch.open_index(questions_index) as ix:
        hits = ix.search(question).hits
    assert (hits[0].doc_id, hits[0].paragraph) != (GAZPROM, 2)


# --- issue 16: ranking, names, filters without words, compounds, prefixes, phrases ----------


def test_a_passage_that_is_only_the_query_word_does_not_beat_an_answer_about_it(semantics_index: Path) -> None:
    # "Groningen." and "Ja, de Tweede Kamer." are short answers, not page furniture: they stay
    # passages, and BM25's length normalisation alone put them first.
    hits = kvsearch.search("groningen", index_dir=semantics_index, per_document=None).hits
    assert hits[0].text.startswith("De gaswinning uit het Groningenveld")
    assert [h.text for h in hits].index("Groningen.") > 0
    hits = kvsearch.search("tweede kamer", index_dir=semantics_index, per_document=None).hits
    assert hits[0].text.startswith("Het kabinet informeert de Tweede Kamer")
    assert [h.text for h in hits].index("Ja, de Tweede Kamer.") > 0


def test_on_the_shared_corpus_short_lines_do_not_top_a_search(shared_corpus_index: Path) -> None:
    for query in ("groningen", "tweede kamer", "landbouw"):
        top = kvsearch.search(query, index_dir=shared_corpus_index).hits[0]
        assert len(top.text) >= 40, (query, top.text)


def test_a_ministers_name_typed_as_a_word_finds_their_answers_and_the_text_that_names_them(
    semantics_index: Path,
) -> None:
    result = kvsearch.search("Veldkamp", index_dir=semantics_index)
    docs = [h.doc_id for h in result.hits]
    assert "ah-tk-20242025-575" in docs  # answered by Veldkamp; the text never names him
    assert "ah-tk-20232024-1990" in docs  # "zoals minister Veldkamp eerder ... heeft toegezegd"
    # with another word: the answers of that minister about it
    hits = kvsearch.search("Veldkamp kernwapens", index_dir=semantics_index).hits
    assert hits[0].doc_id == "ah-tk-20242025-575" and "kernwapens" in hits[0].text
    # a member of parliament who asked, too
    assert {h.doc_id for h in kvsearch.search("Boswijk", index_dir=semantics_index).hits} == {"ah-tk-20242025-575"}


def test_filters_without_words_list_the_answers_newest_first(semantics_index: Path) -> None:
    result = kvsearch.search(None, index_dir=semantics_index, minister="veldkamp")
    assert result.total == 2 and {h.doc_id for h in result.hits} == {"ah-tk-20242025-575"}
    assert [h.paragraph for h in result.hits] == [1, 2]
    listed = kvsearch.search("", index_dir=semantics_index, since="2021", per_document=1, limit=20).hits
    dates = [h.document.answered for h in listed]
    assert dates == sorted(dates, reverse=True) and len(dates) == 5
    oldest = kvsearch.search("", index_dir=semantics_index, since="2021", per_document=1, sort="oldest").hits
    assert oldest[0].doc_id == "ah-tk-20202021-2310"
    with pytest.raises(QueryError):
        kvsearch.search("", index_dir=semantics_index)  # no words and no filter: nothing asked


@pytest.mark.parametrize(
    ("ministry", "doc_id"),
    [("VWS", "ah-tk-20232024-1500"), ("WVC", "sgd-0000091317-1"), ("EZK", "ah-tk-20232024-1990"),
     ("BZ", "ah-tk-20242025-575"), ("buitenlandse zaken", "ah-tk-20202021-2310")],
)
def test_a_ministry_by_its_acronym(semantics_index: Path, ministry: str, doc_id: str) -> None:
    result = kvsearch.search(None, index_dir=semantics_index, ministry=ministry, per_document=1, limit=20)
    assert doc_id in {h.doc_id for h in result.hits}


def test_ministerie_field_in_a_query_takes_an_acronym(semantics_index: Path) -> None:
    hits = kvsearch.search("wachtlijsten ministerie:VWS", index_dir=semantics_index).hits
    assert [h.doc_id for h in hits] == ["ah-tk-20232024-1500"]


def test_a_full_name_finds_a_minister_recorded_by_surname_only(semantics_index: Path) -> None:
    hits = kvsearch.search(None, index_dir=semantics_index, minister="Eelco Brinkman").hits
    assert {h.doc_id for h in hits} == {"sgd-0000091317-1"}
    hits = kvsearch.search(None, index_dir=semantics_index, minister="Stef Blok").hits
    assert {h.doc_id for h in hits} == {"ah-tk-20202021-2310"}


def test_a_filter_that_matches_nothing_says_so_and_names_the_closest_values(semantics_index: Path) -> None:
    result = kvsearch.search("groningen", index_dir=semantics_index, minister="Veldkam")
    assert result.total == 0
    assert any("minister 'Veldkam'" in w and "Veldkamp" in w for w in result.warnings)
    result = kvsearch.search(None, index_dir=semantics_index, ministry="Volksgezondheid Welzijn Sprot")
    assert any("Volksgezondheid, Welzijn en Sport" in w for w in result.warnings)
    # a filter that matches, with words that do not, is not blamed
    assert not kvsearch.search("zeppelinhangar", index_dir=semantics_index, minister="Veldkamp").warnings


def test_a_lone_compound_not_in_the_index_is_searched_by_its_parts(semantics_index: Path) -> None:
    result = kvsearch.search("stikstofbeleid", index_dir=semantics_index)
    assert [h.doc_id for h in result.hits] == ["ah-tk-20232024-2001"]
    assert any("stikstof + beleid" in w for w in result.warnings)
    # a compound the index has is searched as it is
    assert not kvsearch.search("gezichtsherkenningssoftware", index_dir=semantics_index).warnings


def test_a_prefix_ranks_by_how_many_of_its_words_a_passage_has_not_by_rarity(semantics_index: Path) -> None:
    hits = kvsearch.search("gezicht*", index_dir=semantics_index).hits
    assert hits[0].doc_id == "ah-tk-20202021-2310"  # gezichtsherkenningssoftware, gezichten
    assert hits[0].score > hits[1].score and "gezichtspunt" in hits[1].text
    assert words(hits[0]) == ["gezichtsherkenningssoftware", "gezichten"]


def test_a_phrase_is_highlighted_only_where_it_stands_whole(semantics_index: Path) -> None:
    hit = kvsearch.search('"zwarte lijst"', index_dir=semantics_index).hits[0]
    assert words(hit) == ["zwarte lijst"]
    hit = kvsearch.search('"zwarte lijst" Verenigde', index_dir=semantics_index).hits[0]
    assert words(hit) == ["zwarte lijst", "Verenigde"]


def test_similar_text_ignores_question_boilerplate(semantics_index: Path) -> None:
    result = kvsearch.similar(text="Bent u bereid de provincie Groningen te helpen?", index_dir=semantics_index)
    assert "ah-tk-20232024-1500" not in {h.doc_id for h in result.hits}  # "Ik ben bereid om ..."
    assert "ah-tk-20232024-1990" in {h.doc_id for h in result.hits}


def test_field_clauses_in_the_query_know_names_as_filters_do(semantics_index: Path) -> None:
    hits = kvsearch.search('afslankingsoperatie minister:"Eelco Brinkman"', index_dir=semantics_index).hits
    assert [h.doc_id for h in hits] == ["sgd-0000091317-1"]
    result = kvsearch.search("groningen minister:veldkam", index_dir=semantics_index)
    assert result.warnings == ("no answer has minister 'veldkam' (closest: Veldkamp)",)


def test_every_filter_lists_without_words_even_over_a_passage_without_words(semantics_index: Path) -> None:
    # A file of nothing but "* * *" keeps it as a passage: one with no words, whose length
    # Whoosh reads as None.
    for filters in ({"late": True}, {"party": "cda"}, {"submitter": "Dijkstal"}, {"until": "1990"},
                    {"id": "ah-tk-20242025-575"}):
        result = kvsearch.search(None, index_dir=semantics_index, per_document=None, limit=50, **filters)  # type: ignore[arg-type]
        assert result.total, filters
    late = kvsearch.search(None, index_dir=semantics_index, late=True, per_document=None, limit=50).hits
    assert "* * *" in [h.text for h in late]
