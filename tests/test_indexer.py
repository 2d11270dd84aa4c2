"""Building and updating the index: incremental, atomic, locked, crash-safe, nothing lost.

These tests run the real command in separate processes and kill them, as cron and users do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kvsearch
from kvsearch.index.generations import build_lock

from .conftest import FIXTURES, stopped_at

REFERENCE = Path(__file__).resolve().parents[1] / "corpus" / "kv-2020Z25656.txt"


def kvsearch_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "kvsearch", *args]


def make_corpus(root: Path, copies: int = 1) -> Path:
    """The fixture corpus (without the broken file) plus ``copies`` copies of the reference."""
    shutil.copytree(FIXTURES, root)
    (root / "2024" / "kapot.txt").unlink()
    for n in range(copies):
        shutil.copy(REFERENCE, root / f"ref-{n:04d}.txt")
    return root


def test_second_run_redoes_only_what_changed(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus", copies=3)
    first = kvsearch.build_index(corpus, tmp_path / "ix")
    assert first.full and first.added == 11 and first.documents == 11

    again = kvsearch.build_index(corpus, tmp_path / "ix")
    assert (again.added, again.changed, again.removed, again.unchanged) == (0, 0, 0, 11)
    assert not again.full

    (corpus / "2024" / "geen-kop.txt").write_text("Het gevangeniswezen krijgt er honderd zeppelinhangars bij.\n")
    (corpus / "nieuw.txt").write_text("De minister onderzoekt de luchtschipvaart.\n")
    (corpus / "ref-0002.txt").unlink()
    update = kvsearch.build_index(corpus, tmp_path / "ix")
    assert (update.added, update.changed, update.removed) == (1, 1, 1)
    assert update.documents == 11
    assert kvsearch.search("zeppelinhangars", index_dir=tmp_path / "ix").hits[0].doc_id == "2024/geen-kop"
    assert kvsearch.search("Zwolle", index_dir=tmp_path / "ix").total == 0
    assert kvsearch.search("luchtschipvaart", index_dir=tmp_path / "ix").total == 1
    assert kvsearch.search("id:ref-0002", index_dir=tmp_path / "ix").total == 0
    assert kvsearch.check_index(corpus, tmp_path / "ix").ok


def _same_size_edit(path: Path, mtime_ns: int) -> None:
    text = path.read_text(encoding="utf-8")
    edited = text.replace("minister", "MINISTER", 1)
    assert edited != text and len(edited.encode()) == len(text.encode())
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(mtime_ns, mtime_ns))


def test_untouched_files_are_not_read_again_and_full_or_check_still_see_everything(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus", copies=2)
    hour_ago = time.time_ns() - 3600 * 10**9
    for path in corpus.rglob("*.txt"):
        os.utime(path, ns=(hour_ago, hour_ago))
    kvsearch.build_index(corpus, tmp_path / "ix")
    # Same size, same (old) mtime: taken as unchanged without reading, as git and rsync do...
    _same_size_edit(corpus / "ref-0001.txt", hour_ago)
    update = kvsearch.build_index(corpus, tmp_path / "ix")
    assert (update.changed, update.unchanged) == (0, 10)
    # ...while check compares digests and a full build reads everything.
    assert kvsearch.check_index(corpus, tmp_path / "ix").stale == ("ref-0001",)
    assert kvsearch.build_index(corpus, tmp_path / "ix", full=True).added == 10
    assert kvsearch.check_index(corpus, tmp_path / "ix").ok


def test_a_same_size_edit_in_the_same_clock_tick_as_the_last_scan_is_found(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus", copies=2)
    kvsearch.build_index(corpus, tmp_path / "ix")
    path = corpus / "ref-0001.txt"
    _same_size_edit(path, path.stat().st_mtime_ns)  # mtime as it was: too recent to trust
    update = kvsearch.build_index(corpus, tmp_path / "ix")
    assert (update.changed, update.unchanged) == (1, 9)


def test_full_rebuild_on_request(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    kvsearch.build_index(corpus, tmp_path / "ix")
    report = kvsearch.build_index(corpus, tmp_path / "ix", full=True)
    assert report.full and report.added == 9


def test_broken_file_keeps_its_last_good_version_and_exits_3(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    kvsearch.build_index(corpus, tmp_path / "ix")
    (corpus / "2021" / "ah-tk-20202021-1001.txt").write_bytes(b"\xff\xfe\x00kapot")
    proc = subprocess.run(
        kvsearch_cmd("index", "--corpus", str(corpus), "--index", str(tmp_path / "ix")), capture_output=True, text=True
    )
    assert proc.returncode == 3
    assert "ah-tk-20202021-1001.txt" in proc.stderr and "rejected" in proc.stderr
    hit = kvsearch.search("kinderopvangtoeslag", index_dir=tmp_path / "ix").hits[0]
    assert hit.doc_id == "2021/ah-tk-20202021-1001"


def test_old_index_version_rebuilds_fully_and_search_says_run_index(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    kvsearch.build_index(corpus, tmp_path / "ix")
    gen = kvsearch.index.generations.current_generation(tmp_path / "ix")
    info = gen / "kvsearch.json"
    info.write_text(info.read_text().replace(kvsearch.index.schema.SCHEMA_VERSION, "0+old"))
    with pytest.raises(kvsearch.IndexVersionError, match="run 'kvsearch index'"):
        kvsearch.open_index(tmp_path / "ix")
    assert not kvsearch.check_index(corpus, tmp_path / "ix").ok
    report = kvsearch.build_index(corpus, tmp_path / "ix")
    assert report.full
    assert kvsearch.open_index(tmp_path / "ix").search("kinderopvang").total == 3


def test_second_build_while_one_runs_exits_75_naming_the_holder(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    (tmp_path / "ix").mkdir()
    with build_lock(tmp_path / "ix"):
        proc = subprocess.run(
            kvsearch_cmd("index", "--corpus", str(corpus), "--index", str(tmp_path / "ix")),
            capture_output=True,
            text=True,
        )
    assert proc.returncode == 75
    assert f"pid {os.getpid()}" in proc.stderr
    assert proc.stderr.count("\n") == 1


def test_lock_of_a_killed_build_is_taken_over(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    # The build says when it has written its segments, and waits there, lock held, to be killed.
    command = kvsearch_cmd("index", "--corpus", str(corpus), "--index", str(tmp_path / "ix"))
    with stopped_at(command, "segments-written") as proc:
        with pytest.raises(kvsearch.IndexLockedError, match=f"pid {proc.pid}"):
            kvsearch.build_index(corpus, tmp_path / "ix")
    report = kvsearch.build_index(corpus, tmp_path / "ix")
    assert report.documents == 9


def test_searches_in_a_loop_never_fail_during_rebuilds(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus", copies=40)
    index = tmp_path / "ix"
    kvsearch.build_index(corpus, index)
    builder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import kvsearch, sys\n"
            "for n in range(4): kvsearch.build_index(sys.argv[1], sys.argv[2], full=True)",
            str(corpus),
            str(index),
        ]
    )
    searches = 0
    with kvsearch.open_index(index) as ix:
        while builder.poll() is None or searches < 20:
            ix.refresh()
            assert ix.search("gezichtsherkenning", per_document=None).total >= 40
            fresh = subprocess.run(
                kvsearch_cmd("search", "Oeigoeren", "--index", str(index), "-n", "1"), capture_output=True, text=True
            )
            assert fresh.returncode == 0, fresh.stderr
            searches += 1
    assert builder.returncode == 0
    assert searches >= 20


def test_unwritable_index_directory_is_a_clear_error(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    proc = subprocess.run(
        kvsearch_cmd("index", "--corpus", str(corpus), "--index", str(blocker / "ix")), capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("kvsearch: error: cannot create index directory")


def without_root_override(*command: str) -> list[str]:
    """``command`` run as root without the capability that lets root write anywhere, so a
    directory's permissions hold for it as for any user (the tests run as root)."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to take away root's right to write anywhere")
    probe = subprocess.run(["setpriv", "--bounding-set=-dac_override", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"setpriv cannot drop a capability here: {probe.stderr.decode().strip()}")
    return ["setpriv", "--bounding-set=-dac_override", *command]


@pytest.mark.parametrize("existing", [False, True], ids=["empty directory", "built index"])
def test_an_index_directory_without_write_permission_is_one_clear_line(tmp_path: Path, existing: bool) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    index = tmp_path / "ix"
    index.mkdir()
    if existing:
        kvsearch.build_index(corpus, index)
        (corpus / "nieuw.txt").write_text("De minister antwoordt de Kamer over de stikstofuitstoot.\n")
    before = sorted(p.name for p in index.iterdir())
    index.chmod(0o555)
    try:
        for command in (("index",), ("index", "--full"), ("search", "minister")):
            proc = subprocess.run(
                without_root_override(*kvsearch_cmd(*command, "--corpus", str(corpus), "--index", str(index))),
                capture_output=True, text=True,
            )
            if command[0] == "search" and existing:
                assert proc.returncode == 0, proc.stderr  # searching writes nothing
                continue
            assert (proc.returncode, proc.stderr) == (
                2, f"kvsearch: error: cannot write index directory {index}: Permission denied\n"
            ), command
    finally:
        index.chmod(0o755)
    assert sorted(p.name for p in index.iterdir()) == before


def test_check_reports_missing_stale_and_extra(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    kvsearch.build_index(corpus, tmp_path / "ix")
    (corpus / "nieuw.txt").write_text("Nieuw antwoord.\n")
    (corpus / "2024" / "geen-kop.txt").write_text("Gewijzigd antwoord.\n")
    (corpus / "2021" / "ah-tk-20202021-1002.txt").unlink()
    report = kvsearch.check_index(corpus, tmp_path / "ix")
    assert (report.missing, report.stale, report.extra) == (("nieuw",), ("2024/geen-kop",), ("2021/ah-tk-20202021-1002",))
    proc = subprocess.run(
        kvsearch_cmd("check", "--corpus", str(corpus), "--index", str(tmp_path / "ix")), capture_output=True, text=True
    )
    assert proc.returncode == 1 and "stale: 2024/geen-kop" in proc.stdout


def test_quiet_index_prints_nothing_on_success(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    proc = subprocess.run(
        kvsearch_cmd("index", "--quiet", "--corpus", str(corpus), "--index", str(tmp_path / "ix")),
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0 and proc.stdout == "" and proc.stderr == ""


class _LosingWriter:
    """A writer that drops every third passage, as a sub-process that died unnoticed did."""

    def __init__(self, writer) -> None:  # type: ignore[no-untyped-def]
        self._writer = writer
        self._added = 0

    def add_document(self, **fields) -> None:  # type: ignore[no-untyped-def]
        self._added += 1
        if self._added % 3:
            self._writer.add_document(**fields)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._writer, name)


def test_a_build_that_lost_passages_is_not_published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kvsearch.index import writers

    corpus = make_corpus(tmp_path / "corpus", copies=2)
    index = tmp_path / "index"
    kvsearch.build_index(corpus, index)
    before = (index / "CURRENT").read_text()
    real = writers.open_writer
    monkeypatch.setattr(writers, "open_writer", lambda *a, **k: _LosingWriter(real(*a, **k)))
    with pytest.raises(kvsearch.BuildError, match="passages in the index but .* recorded"):
        kvsearch.build_index(corpus, index, full=True)
    assert (index / "CURRENT").read_text() == before
    assert kvsearch.check_index(corpus, index).ok


def test_an_update_rebuilds_an_index_whose_passages_do_not_add_up(tmp_path: Path) -> None:
    import sqlite3

    from kvsearch.index import generations, integrity

    corpus = make_corpus(tmp_path / "corpus", copies=2)
    index = tmp_path / "index"
    kvsearch.build_index(corpus, index)
    gen = generations.current_generation(index)
    # Intact files that disagree, as an index published without a dead sub-process's segment.
    with sqlite3.connect(gen / "documents.sqlite") as db:
        db.execute("UPDATE documents SET passages = passages + 5 WHERE doc_id = 'ref-0000'")
    integrity.write_manifest(gen)
    assert not kvsearch.check_index(corpus, index).ok
    report = kvsearch.build_index(corpus, index)
    assert report.full and report.repaired.startswith("index inconsistent: ")
    assert kvsearch.check_index(corpus, index).ok


def test_check_lists_rejected_files_apart_and_they_are_no_mismatch(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    (corpus / "leeg.txt").write_bytes(b"")
    (corpus / "latin1.txt").write_bytes("Antwoord van de minister: één reactie.\n".encode("latin-1"))
    shutil.copy(FIXTURES / "2024" / "kapot.txt", corpus / "2024" / "kapot.txt")
    index = tmp_path / "ix"
    built = kvsearch.build_index(corpus, index)
    report = kvsearch.check_index(corpus, index)
    assert report.ok and report.missing == ()
    assert sorted(r.path for r in report.rejected) == sorted(r.path for r in built.rejected)
    assert {r.path: r.reason for r in report.rejected} == {r.path: r.reason for r in built.rejected}
    proc = subprocess.run(kvsearch_cmd("check", "--corpus", str(corpus), "--index", str(index)),
                          capture_output=True, text=True)
    assert proc.returncode == 0
    assert f"rejected: {corpus / 'leeg.txt'}: " in proc.stdout and "missing:" not in proc.stdout
    assert proc.stdout.splitlines()[-1].startswith("ok: ") and ", 3 rejected" in proc.stdout


def test_a_build_for_a_search_gives_up_waiting_after_its_time(tmp_path: Path) -> None:
    from kvsearch.index.build import build_missing_index

    corpus = make_corpus(tmp_path / "corpus")
    told: list[str] = []
    with build_lock(tmp_path / "ix"):
        started = time.monotonic()
        with pytest.raises(kvsearch.IndexLockedError, match=r"\(pid \d+\) and did not finish within 0.5 s"):
            build_missing_index(corpus, tmp_path / "ix", wait=0.5, on_wait=told.append)
        assert 0.5 <= time.monotonic() - started < 5
    assert told == [str(os.getpid())]
    report = build_missing_index(corpus, tmp_path / "ix", wait=0.5)
    assert report is not None and (report.documents, report.full) == (9, True)
    assert build_missing_index(corpus, tmp_path / "ix", wait=0.5) is None


def _indexed_an_hour_ago(tmp_path: Path) -> tuple[Path, Path]:
    """A corpus indexed with every file an hour old, so an update trusts unchanged size and time."""
    corpus = make_corpus(tmp_path / "corpus")
    hour_ago = time.time_ns() - 3600 * 10**9
    for path in corpus.rglob("*.txt"):
        os.utime(path, ns=(hour_ago, hour_ago))
    kvsearch.build_index(corpus, tmp_path / "ix")
    return corpus, corpus / "2021" / "ah-tk-20202021-1001.txt"


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root reads a chmod 000 file; the next test covers this as root",
)
def test_a_file_made_unreadable_with_the_same_size_and_time_is_rejected(tmp_path: Path) -> None:
    corpus, path = _indexed_an_hour_ago(tmp_path)
    before = path.stat()
    path.chmod(0)
    try:
        assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
        proc = subprocess.run(
            kvsearch_cmd("index", "--corpus", str(corpus), "--index", str(tmp_path / "ix")),
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 3
        assert f"{path}: permission denied" in proc.stderr
        # Its last good version stays searchable, and check reports it too.
        hit = kvsearch.search("kinderopvangtoeslag", index_dir=tmp_path / "ix").hits[0]
        assert hit.doc_id == "2021/ah-tk-20202021-1001"
        assert [r.path for r in kvsearch.check_index(corpus, tmp_path / "ix").rejected] == [str(path)]
    finally:
        path.chmod(0o644)


def test_an_unreadable_file_is_rejected_even_when_its_size_and_time_are_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a user who does not own the file sees, also when the tests run as root: its
    # permission bits deny reading and opening it fails.
    corpus, path = _indexed_an_hour_ago(tmp_path)
    path.chmod(0)
    real_open = os.open

    def denying_open(file: object, flags: int, *args: object, **kwargs: object) -> int:
        if os.fspath(file) == str(path):  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "geteuid", lambda: 4242)
    monkeypatch.setattr(os, "open", denying_open)
    try:
        report = kvsearch.build_index(corpus, tmp_path / "ix")
    finally:
        path.chmod(0o644)
    assert [(r.path, r.reason) for r in report.rejected] == [(str(path), "permission denied")]
    assert (report.unchanged, report.documents) == (8, 9)
