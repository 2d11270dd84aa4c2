"""Queries scored from the posting lists with numpy: the same answers as Whoosh's own scoring."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest

import kvsearch
from kvsearch.query.filters import Filters

from .conftest import FIXTURES, REPO

search_module = importlib.import_module("kvsearch.query.plan")

QUESTIONS = [
    "Klopt het dat de politie gezichtsherkenning (realtime) gebruikt bij demonstraties?",
    "Bent u bekend met het bericht dat Huawei betrokken is bij de surveillance van Oeigoeren in Xinjiang?",
    "Kunt u aangeven welke maatregelen het kabinet neemt tegen de export van goederen voor onderdrukking?",
]


def _key(result: kvsearch.SearchResult) -> tuple[object, ...]:
    hits = [(h.doc_id, h.paragraph, round(h.score, 6), h.more, h.spans) for h in result.hits]
    return result.total, result.total_documents, hits


def _both(ix: kvsearch.Index, monkeypatch: pytest.MonkeyPatch, text: str, **kwargs: object) -> tuple[object, object]:
    with monkeypatch.context() as m:
        m.setattr(search_module, "NUMPY_MIN_POSTINGS", 0)  # numpy even for tiny posting lists
        fast = ix.search(text, **kwargs)  # type: ignore[arg-type]
    with monkeypatch.context() as m:
        m.setattr(search_module, "NUMPY_SCORING", False)  # Whoosh's own scoring
        slow = ix.search(text, **kwargs)  # type: ignore[arg-type]
    return _key(fast), _key(slow)


def test_pages_and_filters_agree_with_whoosh(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with kvsearch.open_index(index_dir) as ix:
        for offset in (0, 3):
            fast, slow = _both(ix, monkeypatch, QUESTIONS[1], limit=3, offset=offset)
            assert fast == slow
        fast, slow = _both(ix, monkeypatch, QUESTIONS[1], filters=Filters(since="2021", until="2021"))
        assert fast == slow
        hits = ix.search(QUESTIONS[1], filters=Filters(since="2021", until="2021")).hits
        assert hits and all(h.document.answered and h.document.answered.year == 2021 for h in hits)


def test_changed_file_never_returns_its_old_passages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES, corpus)
    reference = corpus / "kv-2020Z25656.txt"
    shutil.copy(REPO / "corpus" / "kv-2020Z25656.txt", reference)
    kvsearch.build_index(corpus, tmp_path / "ix")
    # The new version drops the Huawei passages: the old segment keeps them, marked deleted.
    lines = reference.read_text(encoding="utf-8").splitlines()
    reference.write_text("\n".join(line for line in lines if "Huawei" not in line) + "\n", encoding="utf-8")
    kvsearch.build_index(corpus, tmp_path / "ix")
    with kvsearch.open_index(tmp_path / "ix") as ix:
        fast, slow = _both(ix, monkeypatch, QUESTIONS[1], limit=20, per_document=None)
        assert fast == slow
        assert not any("Huawei" in h.text for h in ix.search(QUESTIONS[1], limit=50, per_document=None).hits)


KEYWORD_QUERIES = [
    "gezichtsherkenning",
    "Huawei Oeigoeren",
    "camera's politie",
    "Huawei OR gezichtsherkenning",
    "Huawei -Oeigoeren",
    "(export OR uitvoer) China",
    "Oeigoeren beantwoord:2021",
    "Oeigoeren ingediend:..2020-12",
    "Huawei walvis",  # no passage has both: all-words first, then any word
    '"zwarte lijst"',
    '"de Europese Unie"',  # phrases: words at consecutive positions
    '"van de EU"',
    '"van de" Huawei',
    '"de EU" -Oeigoeren',
    '"Europese Unie" OR gezichtsherkenning',
    "minister:blok Huawei",  # an inline metadata field: Whoosh scores it
    "gezichtsherk*",
    "gezicht* OR huawei",  # a prefix expands to its words, a constant each
    "gezichtsherkening~",
    "Blok",  # a word also matches the names of ministers and members
    "Blok Huawei",
    "Helvert OR Oeigoeren",
]


@pytest.mark.parametrize("text", QUESTIONS + KEYWORD_QUERIES)
@pytest.mark.parametrize("per_document", [3, 1, None])
def test_every_kind_of_query_ranks_exactly_as_whoosh_does(
    index_dir: Path, monkeypatch: pytest.MonkeyPatch, text: str, per_document: int | None
) -> None:
    with kvsearch.open_index(index_dir) as ix:
        fast, slow = _both(ix, monkeypatch, text, limit=6, per_document=per_document)
        assert fast == slow
        assert fast[0] > 0  # type: ignore[index]
        fast, slow = _both(ix, monkeypatch, text, limit=6, filters=Filters(since="2021"))
        assert fast == slow


def test_a_phrase_needs_its_words_in_order_and_adjacent(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with kvsearch.open_index(index_dir) as ix:
        for text in ('"de de"', '"Unie Europese"', '"EU van de"'):
            fast, slow = _both(ix, monkeypatch, text)
            assert fast == slow
            assert fast[0] == 0  # type: ignore[index]


def test_the_terminal_command_searches_a_few_words_without_loading_numpy(index_dir: Path) -> None:
    import subprocess
    import sys

    code = ("import sys\nfrom kvsearch import cli\n"
            "try:\n    cli.main(['search', 'Huawei', '--index', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
            "print('numpy loaded' if 'numpy' in sys.modules else 'numpy not loaded')")
    out = subprocess.run([sys.executable, "-c", code, str(index_dir)], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("numpy not loaded")
    assert "Huawei" in out.stdout


@pytest.mark.parametrize("sort", ["newest", "oldest"])
@pytest.mark.parametrize("text", ["kabinet OR minister OR politie", "Huawei walvis", QUESTIONS[0]])
def test_date_order_agrees_with_whoosh(index_dir: Path, monkeypatch: pytest.MonkeyPatch, text: str, sort: str) -> None:
    # Undated answers last, the same date by relevance, partial matches after full ones.
    with kvsearch.open_index(index_dir) as ix:
        for per_document in (None, 1):
            fast, slow = _both(ix, monkeypatch, text, sort=sort, limit=50, per_document=per_document)
            assert fast == slow


def test_an_undated_answer_between_dated_ones_is_neither_in_an_open_range_nor_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Indexed in name order, so the undated answer lies between the dated ones: Whoosh's date
    # column holds its default (the largest value) there, not "absent".
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, date in (("a-2021", "15 maart 2021"), ("b-zonder-datum", ""), ("c-2024", "2 december 2024")):
        (corpus / f"{name}.txt").write_text(
            f"Beantwoord | {date} |\n---|---|\nDe minister antwoordt over de stikstofuitstoot.\n", encoding="utf-8"
        )
    kvsearch.build_index(corpus, tmp_path / "ix")
    with kvsearch.open_index(tmp_path / "ix") as ix:
        for text in ("stikstofuitstoot beantwoord:2021..", "stikstofuitstoot beantwoord:..2030"):
            fast, slow = _both(ix, monkeypatch, text)
            assert fast == slow
            assert sorted(h.doc_id for h in ix.search(text).hits) == ["a-2021", "c-2024"]
        for sort, order in (("oldest", ["a-2021", "c-2024", "b-zonder-datum"]),
                            ("newest", ["c-2024", "a-2021", "b-zonder-datum"])):
            fast, slow = _both(ix, monkeypatch, "stikstofuitstoot", sort=sort)
            assert fast == slow
            assert [h.doc_id for h in ix.search("stikstofuitstoot", sort=sort).hits] == order


DOCUMENTS = frozenset({"2021/ah-tk-20202021-1001", "kv-2020Z25656"})


@pytest.mark.parametrize("text", ["kabinet", "kinderopvang toeslag", QUESTIONS[1], ""])
def test_a_restriction_to_some_documents_agrees_with_whoosh(
    index_dir: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    # An alert searches only the documents new since it last ran (Filters.documents); no words
    # at all list every passage of them ("everything VWS answers").
    sort = "newest" if not text else "relevance"
    with kvsearch.open_index(index_dir) as ix:
        for documents in (DOCUMENTS, frozenset({"kv-2020Z25656"}), frozenset()):
            filters = Filters(documents=documents)
            fast, slow = _both(ix, monkeypatch, text, filters=filters, limit=50, per_document=None, sort=sort)
            assert fast == slow
            hits = ix.search(text, filters=filters, limit=50, per_document=None, sort=sort).hits
            assert {h.doc_id for h in hits} <= documents
            if not text:
                assert len(hits) == sum(len(ix.document(d).paragraphs) for d in documents)
        everywhere = ix.search("kabinet OR politie", limit=50, per_document=None)
        assert {h.doc_id for h in everywhere.hits} - DOCUMENTS  # the restriction did restrict


def test_no_words_and_no_filter_is_still_an_empty_query(index_dir: Path) -> None:
    with kvsearch.open_index(index_dir) as ix, pytest.raises(kvsearch.QueryError, match="empty"):
        ix.search("  ")


QUESTION_FIELD_QUERIES = [
    "geverifieerd",  # in a question only
    "Stikstoffonds basispad",
    "taxateur foto's",  # in a question and in its answers
    "Gazprom -Stikstoffonds",  # NOT looks in the questions too
    "wolvenschade OR Stikstoffonds",
    "Hoeveel geld wordt er in totaal gereserveerd voor het Stikstoffonds tot 2035?",
    "Klopt het dat een taxateur enkel op basis van foto's kan besluiten om geen onderzoek ter plaatse uit te voeren?",
]


@pytest.mark.parametrize("text", QUESTION_FIELD_QUERIES)
def test_the_question_field_is_scored_exactly_as_whoosh_does(
    questions_index: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    from kvsearch.query import match

    scored_by_numpy: list[bool] = []
    numpy_candidates = match._numpy_candidates

    def recording(*args: object) -> object:
        found = numpy_candidates(*args)  # type: ignore[arg-type]
        scored_by_numpy.append(found is not None)
        return found

    monkeypatch.setattr(match, "_numpy_candidates", recording)
    with kvsearch.open_index(questions_index) as ix:
        fast, slow = _both(ix, monkeypatch, text, limit=8, per_document=None)
        assert fast == slow
        assert fast[0] > 0  # type: ignore[index]
    assert scored_by_numpy == [True]  # numpy scored the question field itself, no fallback


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_filters_without_words_agree_with_whoosh(semantics_index: Path, monkeypatch: pytest.MonkeyPatch, sort: str) -> None:
    with kvsearch.open_index(semantics_index) as ix:
        for filters in (Filters(since="2021"), Filters(ministry="BZ"), Filters(minister="Eelco Brinkman")):
            fast, slow = _both(ix, monkeypatch, "", filters=filters, sort=sort, limit=20)
            assert fast == slow and fast[0] > 0  # type: ignore[index]


def test_short_passages_score_the_same_in_numpy_and_whoosh(semantics_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with kvsearch.open_index(semantics_index) as ix:
        for text in ("groningen", "tweede kamer", "Veldkamp", "stikstofbeleid"):
            fast, slow = _both(ix, monkeypatch, text, per_document=None)
            assert fast == slow
