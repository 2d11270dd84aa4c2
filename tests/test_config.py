"""Where the library looks by default: $KVSEARCH_INDEX and $KVSEARCH_CORPUS, else ./index and ./corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

import kvsearch
from kvsearch.config import default_corpus_dir, default_index_dir

from .conftest import PLOUMEN


def test_the_defaults_are_index_and_corpus_in_the_working_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KVSEARCH_INDEX", raising=False)
    monkeypatch.delenv("KVSEARCH_CORPUS", raising=False)
    assert (default_index_dir(), default_corpus_dir()) == (Path("index"), Path("corpus"))
    # Set but empty (KVSEARCH_INDEX= in a crontab) is as good as unset.
    monkeypatch.setenv("KVSEARCH_INDEX", "")
    assert default_index_dir() == Path("index")


def test_the_library_builds_checks_and_searches_where_the_environment_says(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KVSEARCH_CORPUS", str(corpus_dir))
    monkeypatch.setenv("KVSEARCH_INDEX", str(tmp_path / "env-ix"))
    monkeypatch.chdir(tmp_path)  # ./corpus does not exist here: only the environment can be used
    report = kvsearch.build_index()
    assert (report.documents, report.index_dir) == (9, str(tmp_path / "env-ix"))
    assert (tmp_path / "env-ix" / "CURRENT").exists()
    assert kvsearch.check_index().ok
    assert {h.doc_id for h in kvsearch.search("Jemen").hits} == {PLOUMEN}
    assert kvsearch.get_document("2016Z03911").doc_id == PLOUMEN
    assert kvsearch.stats(late=True).documents == 6
    with kvsearch.open_index() as ix:
        assert ix.search("Jemen").total == 2
    # An explicit directory wins over the environment.
    with pytest.raises(kvsearch.IndexNotFoundError, match="nergens"):
        kvsearch.search("Jemen", index_dir=tmp_path / "nergens")
