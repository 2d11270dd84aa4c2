"""A damaged index: `check` names the damaged file, the next `index` run rebuilds it from the
corpus by itself, and a search says "index damaged: <file>" instead of a decoder's exception.

Each test damages a copy of a real index the way disks and people do: a truncated postings or
column file, a deleted table of contents or document store, bytes overwritten in place.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import kvsearch
from kvsearch.index import generations, integrity

from .conftest import FIXTURES

REFERENCE = Path(__file__).resolve().parents[1] / "corpus" / "kv-2020Z25656.txt"
QUERIES = ("Oeigoeren", "gezichtsherkenning", "kinderopvangtoeslag", "minister")
FULL_HINT = "run 'kvsearch index --full'"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kvsearch", *args], capture_output=True, text=True, timeout=120)


def passages(index: Path) -> dict[str, list[tuple[str, int]]]:
    """Every passage each query finds, in order: what a user sees."""
    with kvsearch.open_index(index) as ix:
        return {q: [(h.doc_id, h.paragraph) for h in ix.search(q, per_document=None, limit=100).hits] for q in QUERIES}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, list[tuple[str, int]]]]:
    """A corpus of real answers, its index, and what the queries find in it."""
    root = tmp_path_factory.mktemp("integrity")
    corpus = root / "corpus"
    shutil.copytree(FIXTURES, corpus)
    (corpus / "2024" / "kapot.txt").unlink()
    shutil.copy(REFERENCE, corpus / "kv-2020Z25656.txt")
    kvsearch.build_index(corpus, root / "ix")
    return corpus, root / "ix", passages(root / "ix")


@pytest.fixture
def index(built: tuple[Path, Path, dict[str, list[tuple[str, int]]]], tmp_path: Path) -> Path:
    """A private copy of the built index, to damage."""
    copy = tmp_path / "ix"
    shutil.copytree(built[1], copy)
    return copy


def _largest(gen: Path, pattern: str) -> Path:
    return max(gen.glob(pattern), key=lambda p: p.stat().st_size)


def truncate_postings(gen: Path) -> Path:
    path = _largest(gen, "whoosh/*.pst")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    return path


def truncate_stored_column(gen: Path) -> Path:
    path = _largest(gen, "whoosh/*._stored.col")
    path.write_bytes(path.read_bytes()[:100])
    return path


def truncate_doc_id_column(gen: Path) -> Path:
    path = _largest(gen, "whoosh/*.doc_id.col")
    path.write_bytes(path.read_bytes()[:100])
    return path


def delete_toc(gen: Path) -> Path:
    (path,) = gen.glob("whoosh/_MAIN_*.toc")
    path.unlink()
    return path


def delete_store(gen: Path) -> Path:
    path = gen / "documents.sqlite"
    path.unlink()
    return path


def flip_bytes_mid_file(gen: Path) -> Path:
    """Eight bytes in the middle of the postings changed, the size unchanged (bit rot)."""
    path = _largest(gen, "whoosh/*.pst")
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8] = bytes(b ^ 0xFF for b in data[middle : middle + 8])
    path.write_bytes(bytes(data))
    return path


def overwrite_postings(gen: Path) -> Path:
    """Every posting block overwritten with zeros, the size unchanged (a torn or stray write)."""
    path = _largest(gen, "whoosh/*.pst")
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.seek(16)
        fh.write(bytes(size - 16))
    return path


# What any search runs into: a file gone or cut short, or posting blocks it must decode.
NOTICED_BY_SEARCH = [
    truncate_postings, truncate_stored_column, truncate_doc_id_column, delete_toc, delete_store, overwrite_postings
]
ALL_DAMAGE = [*NOTICED_BY_SEARCH, flip_bytes_mid_file]

Damage = Callable[[Path], Path]


@pytest.mark.parametrize("damage", ALL_DAMAGE, ids=lambda d: d.__name__)
def test_check_names_the_damaged_file_and_the_repair(built: tuple[Path, Path, dict], index: Path, damage: Damage) -> None:
    corpus = built[0]
    damaged = damage(generations.current_generation(index))

    report = kvsearch.check_index(corpus, index)
    assert not report.ok
    assert report.damaged[0] == str(damaged)
    assert report.problems[0].startswith(f"index damaged: {damaged} (") and report.problems[0].endswith(FULL_HINT)

    proc = run("check", "--corpus", str(corpus), "--index", str(index))
    assert proc.returncode == 1
    # Only the damage: no counts of documents or files that were never read.
    assert proc.stdout.splitlines() == [f"problem: {report.problems[0]}"]


@pytest.mark.parametrize("damage", ALL_DAMAGE, ids=lambda d: d.__name__)
def test_nightly_update_rebuilds_a_damaged_index_and_finds_what_it_found_before(
    built: tuple[Path, Path, dict], index: Path, damage: Damage
) -> None:
    corpus, _, before = built
    damaged = damage(generations.current_generation(index))

    proc = run("index", "--quiet", "--corpus", str(corpus), "--index", str(index))

    assert proc.returncode == 0
    assert proc.stdout == ""
    # Said in one line, even with --quiet, so cron mails it: what was damaged, and the repair.
    (line,) = proc.stderr.splitlines()
    assert line.startswith(f"kvsearch: index damaged: {damaged} (")
    assert line.endswith("; rebuilt it fully from the corpus")
    assert passages(index) == before
    assert kvsearch.check_index(corpus, index).ok
    again = kvsearch.build_index(corpus, index)  # healed for good: the next night is an update again
    assert not again.full and again.repaired == "" and again.unchanged == 9


def test_library_update_reports_what_it_repaired(built: tuple[Path, Path, dict], index: Path) -> None:
    damaged = delete_toc(generations.current_generation(index))
    report = kvsearch.build_index(built[0], index)
    assert report.full and report.added == 9
    assert report.repaired == f"index damaged: {damaged} (missing)"


@pytest.mark.parametrize("damage", NOTICED_BY_SEARCH, ids=lambda d: d.__name__)
def test_search_on_a_damaged_index_names_the_file(index: Path, damage: Damage) -> None:
    damaged = damage(generations.current_generation(index))

    with pytest.raises(kvsearch.IndexCorruptError) as raised:
        with kvsearch.open_index(index) as ix:
            for q in QUERIES:
                ix.search(q)
    assert str(raised.value).startswith(f"index damaged: {damaged} (")
    assert str(raised.value).endswith(FULL_HINT)

    proc = run("search", "Oeigoeren", "--index", str(index))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [f"kvsearch: error: {raised.value}"]


def test_an_index_without_a_manifest_still_works_and_the_next_update_adds_one(
    built: tuple[Path, Path, dict], index: Path
) -> None:
    corpus, _, before = built
    _as_written_before_manifests(generations.current_generation(index))

    report = kvsearch.check_index(corpus, index)
    assert report.ok and not report.verified
    assert passages(index) == before
    assert "files not verified" in run("check", "--corpus", str(corpus), "--index", str(index)).stdout

    update = kvsearch.build_index(corpus, index)
    assert update.full and update.repaired == ""
    assert (generations.current_generation(index) / integrity.MANIFEST_FILE).exists()
    assert kvsearch.check_index(corpus, index).verified


def _as_written_before_manifests(gen: Path) -> None:
    (gen / integrity.MANIFEST_FILE).unlink()
    info = generations.read_info(gen)
    del info[integrity.INFO_KEY]
    (gen / generations.INFO_FILE).write_text(json.dumps(info), encoding="utf-8")


def test_a_manifest_deleted_from_a_current_index_is_damage(built: tuple[Path, Path, dict], index: Path) -> None:
    corpus = built[0]
    gen = generations.current_generation(index)
    (gen / integrity.MANIFEST_FILE).unlink()
    report = kvsearch.check_index(corpus, index)
    assert not report.ok and report.damaged == (str(gen / integrity.MANIFEST_FILE),)
    proc = run("check", "--corpus", str(corpus), "--index", str(index))
    assert proc.returncode == 1 and "not verified" not in proc.stdout
    assert proc.stdout.splitlines() == [f"problem: index damaged: {gen / integrity.MANIFEST_FILE} (missing); {FULL_HINT}"]
    update = kvsearch.build_index(corpus, index)
    assert update.full and integrity.MANIFEST_FILE in update.repaired
    assert kvsearch.check_index(corpus, index).ok


def test_a_read_error_in_an_index_without_a_manifest_is_reported_as_damage(index: Path) -> None:
    gen = generations.current_generation(index)
    _as_written_before_manifests(gen)
    truncate_doc_id_column(gen)
    proc = run("search", "Oeigoeren", "--index", str(index))
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [f"kvsearch: error: index damaged: cannot read {gen}; {FULL_HINT}"]
