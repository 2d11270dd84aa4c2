"""An update that would empty the index because it reads the wrong corpus is refused."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kvsearch

from .conftest import FIXTURES


def _corpus(root: Path) -> Path:
    shutil.copytree(FIXTURES, root)
    (root / "2024" / "kapot.txt").unlink()
    return root


def _index(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kvsearch", "index", "--quiet", *args], capture_output=True, text=True)


def test_an_empty_corpus_directory_does_not_wipe_the_index(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    index = tmp_path / "index"
    built = kvsearch.build_index(corpus, index)
    before = (index / "CURRENT").read_text()
    for path in corpus.rglob("*.txt"):  # the same directory, now an unmounted mount point
        path.unlink()
    done = _index("--corpus", str(corpus), "--index", str(index))
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and f"holds none of the {built.documents} documents" in lines[0] and "--full" in lines[0]
    assert (index / "CURRENT").read_text() == before
    assert _index("--full", "--corpus", str(corpus), "--index", str(index)).returncode == 0
    assert kvsearch.check_index(corpus, index).documents == 0


def test_another_corpus_directory_that_would_remove_most_documents_is_refused(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    index = tmp_path / "index"
    kvsearch.build_index(corpus, index)
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(next(corpus.rglob("*.txt")), other / "elsewhere.txt")
    with pytest.raises(kvsearch.UpdateRefusedError) as refused:
        kvsearch.build_index(other, index)
    message = str(refused.value)
    assert str(corpus.resolve()) in message and str(other.resolve()) in message and "--full" in message
    assert kvsearch.check_index(corpus, index).ok
    assert kvsearch.build_index(other, index, full=True).documents == 1


def test_ordinary_removals_and_a_moved_corpus_are_updates_as_before(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    index = tmp_path / "index"
    built = kvsearch.build_index(corpus, index)
    moved = tmp_path / "moved"
    shutil.copytree(corpus, moved)
    assert kvsearch.build_index(moved, index).removed == 0
    next(moved.rglob("*.txt")).unlink()
    assert kvsearch.build_index(moved, index).removed == 1
    for path in list(moved.rglob("*.txt"))[1:]:
        path.unlink()
    # The directory it was last built from, with one document left: removals are not refused.
    report = kvsearch.build_index(moved, index)
    assert report.documents == 1 and report.removed == built.documents - 2
