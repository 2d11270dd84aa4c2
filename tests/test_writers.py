"""Parallel full builds: same index as one process, and no sub-process outlives a killed build."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kvsearch
from kvsearch.index import writers

from .conftest import FIXTURES, stopped_at

REFERENCE = Path(__file__).resolve().parents[1] / "corpus" / "kv-2020Z25656.txt"


def test_processes_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KVSEARCH_PROCS", "3")
    assert writers.build_procs() == 3
    monkeypatch.setenv("KVSEARCH_PROCS", "nonsense")
    assert 1 <= writers.build_procs() <= 4


def test_parallel_build_finds_what_a_single_process_build_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES, corpus)
    (corpus / "2024" / "kapot.txt").unlink()
    shutil.copy(REFERENCE, corpus / "ref.txt")
    monkeypatch.setenv("KVSEARCH_PROCS", "1")
    single = kvsearch.build_index(corpus, tmp_path / "one")
    monkeypatch.setenv("KVSEARCH_PROCS", "2")
    monkeypatch.setattr(writers, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(writers.MpWriter, "__init__", _small_batches(writers.MpWriter.__init__))
    parallel = kvsearch.build_index(corpus, tmp_path / "two")
    assert (parallel.documents, parallel.passages) == (single.documents, single.passages)
    for query in ("gezichtsherkenning", "Oeigoeren", '"zwarte lijst"', "minister:blok Huawei"):
        one = kvsearch.search(query, index_dir=tmp_path / "one", per_document=None, limit=50)
        two = kvsearch.search(query, index_dir=tmp_path / "two", per_document=None, limit=50)
        assert one.total == two.total > 0, query
        assert sorted((h.doc_id, h.paragraph) for h in one.hits) == sorted((h.doc_id, h.paragraph) for h in two.hits)


def _small_batches(init):  # type: ignore[no-untyped-def]
    # The fixture corpus is small: batches of 5 passages give both sub-processes work.
    def wrapped(self, ix, **kwargs):  # type: ignore[no-untyped-def]
        kwargs["batchsize"] = 5
        init(self, ix, **kwargs)
    return wrapped


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to see sub-processes")
def test_killed_parallel_build_leaves_no_process_behind(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(250):
        shutil.copy(REFERENCE, corpus / f"ref-{n:04d}.txt")
    command = [sys.executable, "-m", "kvsearch", "index", "--corpus", str(corpus), "--index", str(tmp_path / "ix")]
    # The build stops once it has handed 20 documents to its sub-processes, and is killed there.
    with stopped_at(command, "document-indexed@20", env={"KVSEARCH_PROCS": "2"}) as proc:
        children = _children(proc.pid)
        assert len(children) >= 2, children
    deadline = time.monotonic() + 5
    while any(_alive(c) for c in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(c) for c in children)
    report = kvsearch.build_index(corpus, tmp_path / "ix")
    assert report.documents == 250


def _wait_for_children(proc: subprocess.Popen[bytes], count: int) -> list[int]:
    children: list[int] = []
    deadline = time.monotonic() + 20
    while len(children) < count and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
        children = _children(proc.pid)
    return children


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to see sub-processes")
def test_a_killed_sub_process_fails_the_build_and_the_previous_index_stays(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(REFERENCE, corpus / "ref-first.txt")
    index = tmp_path / "ix"
    kvsearch.build_index(corpus, index)
    before = (index / "CURRENT").read_text()
    for n in range(400):
        shutil.copy(REFERENCE, corpus / f"ref-{n:04d}.txt")
    env = {**os.environ, "KVSEARCH_PROCS": "2"}
    proc = subprocess.Popen([sys.executable, "-m", "kvsearch", "index", "--full", "--quiet", "--corpus", str(corpus),
                             "--index", str(index)], env=env, stderr=subprocess.PIPE)
    children = _wait_for_children(proc, 2)
    assert children, "the build started no sub-process"
    os.kill(children[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    lines = err.decode().splitlines()
    assert len(lines) == 1 and "killed by signal SIGKILL" in lines[0] and "previous index is unchanged" in lines[0]
    assert (index / "CURRENT").read_text() == before
    assert kvsearch.check_index(corpus, index).documents == 1


def _parallel_build_of(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A corpus of 30 answers that the next build_index indexes in two sub-processes."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(30):
        shutil.copy(REFERENCE, corpus / f"ref-{n:04d}.txt")
    monkeypatch.setenv("KVSEARCH_PROCS", "2")
    monkeypatch.setattr(writers, "PARALLEL_MIN_FILES", 1)
    return corpus


def test_a_sub_process_that_raises_fails_the_build_naming_the_error(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _parallel_build_of(tmp_path, monkeypatch)

    def out_of_memory(self, filename, doc_count):  # type: ignore[no-untyped-def]
        raise MemoryError("no room for postings")

    # Sub-processes are forked, so they run the patched method.
    monkeypatch.setattr(writers._WorkerTask, "_process_file", out_of_memory)
    with pytest.raises(kvsearch.BuildError, match="MemoryError: no room for postings"):
        kvsearch.build_index(corpus, tmp_path / "ix")
    assert not (tmp_path / "ix" / "CURRENT").exists()


def test_a_sub_process_that_ends_without_its_segment_fails_the_build(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _parallel_build_of(tmp_path, monkeypatch)

    def takes_jobs_but_hands_in_nothing(self):  # type: ignore[no-untyped-def]
        while self.jobqueue.get() is not None:
            pass

    monkeypatch.setattr(writers._WorkerTask, "run", takes_jobs_but_hands_in_nothing)
    with pytest.raises(kvsearch.BuildError, match="without handing in"):
        kvsearch.build_index(corpus, tmp_path / "ix")
    assert not (tmp_path / "ix" / "CURRENT").exists()
