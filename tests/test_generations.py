"""Publishing a generation: a build that fails or is killed at any step of the publish leaves
the previous index intact and searchable, and the next run completes.

Each test stops a real ``kvsearch index`` process at one named step (KVSEARCH_FAULT, see
kvsearch.faults): it kills itself there, or says it got there and waits for the test's
``kill -9``; no sleeps, so the fault lands where it is meant to on any machine.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

import kvsearch
from kvsearch.faults import FaultInjected
from kvsearch.index import generations, integrity

from .conftest import FIXTURES, REPO, invoke, stopped_at

STEPS = generations.PUBLISH_STEPS
# From this step on, CURRENT names the new generation.
PUBLISHED = STEPS[STEPS.index("after-current-rename"):]
# What the corpus change below shows in searches: before the update, and after it.
QUERIES = ("Zwolle", "zeppelinhangars", "luchtschipvaart", "camera", "Jemen", "gezichtsherkenning")


def answers(index: Path) -> dict[str, list[tuple[str, int, str]]]:
    """What each of QUERIES finds: every passage, in order."""
    with kvsearch.open_index(index) as ix:
        return {q: [(h.doc_id, h.paragraph, h.text) for h in ix.search(q, per_document=None, limit=100).hits]
                for q in QUERIES}


def change(corpus: Path) -> None:
    """One file changed, one added, one removed."""
    (corpus / "2024" / "geen-kop.txt").write_text("Het gevangeniswezen krijgt er honderd zeppelinhangars bij.\n")
    (corpus / "nieuw.txt").write_text("De minister onderzoekt de luchtschipvaart.\n")
    (corpus / "2021" / "ah-tk-20202021-1002.txt").unlink()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict]:
    """A corpus with an index of two generations (the second current), and what QUERIES find
    before and after the corpus is changed."""
    root = tmp_path_factory.mktemp("publish")
    corpus = root / "corpus"
    shutil.copytree(FIXTURES, corpus)
    (corpus / "2024" / "kapot.txt").unlink()
    shutil.copy(REPO / "corpus" / "kv-2020Z25656.txt", corpus)
    kvsearch.build_index(corpus, root / "ix")
    kvsearch.build_index(corpus, root / "ix", full=True)
    before = answers(root / "ix")
    changed = root / "changed"
    shutil.copytree(corpus, changed)
    change(changed)
    kvsearch.build_index(changed, root / "reference")
    after = answers(root / "reference")
    assert before != after and after["zeppelinhangars"] and not after["Zwolle"]
    return root, before, after


class Prepared(NamedTuple):
    corpus: Path
    index: Path
    before: dict[str, list[tuple[str, int, str]]]
    after: dict[str, list[tuple[str, int, str]]]


@pytest.fixture
def prepared(template: tuple[Path, dict, dict], tmp_path: Path) -> Prepared:
    """A copy of the template's corpus, changed, and of its index (gen-000002 current), with
    what QUERIES find before and after the update."""
    root, before, after = template
    shutil.copytree(root / "corpus", tmp_path / "corpus")
    shutil.copytree(root / "ix", tmp_path / "ix")
    change(tmp_path / "corpus")
    assert current(tmp_path / "ix") == "gen-000002"
    return Prepared(tmp_path / "corpus", tmp_path / "ix", before, after)


def current(index: Path) -> str:
    return (index / generations.CURRENT).read_text(encoding="utf-8").strip()


def assert_intact(gen: Path) -> None:
    """The generation is there and every file is what its manifest says."""
    verification = integrity.verify(gen, checksums=True, required=True)
    assert gen.is_dir() and verification.manifest and verification.damaged == (), (gen, verification)


def assert_state_after_fault(corpus: Path, index: Path, step: str, before: dict, after: dict) -> None:
    """What a failed build at ``step`` leaves: the previous generation as it was and answering
    as before (or, past the switch, the complete new one), and `kvsearch check` saying so."""
    assert_intact(index / "gen-000002")
    code, out, err = invoke("check", "--corpus", str(corpus), "--index", str(index))
    if step in PUBLISHED:
        assert current(index) == "gen-000003"
        assert_intact(index / "gen-000003")
        assert answers(index) == after
        assert (code, out) == (0, f"corpus: {corpus}\nok: 9 documents, 41 passages; 0 missing, 0 stale, 0 extra\n")
    else:
        assert current(index) == "gen-000002"
        assert answers(index) == before
        assert (code, err) == (1, "")
        assert out == (
            f"corpus: {corpus}\nmissing: nieuw\nstale: 2024/geen-kop\nextra: 2021/ah-tk-20202021-1002\n"
            "NOT ok: 9 documents, 44 passages; 1 missing, 1 stale, 1 extra\n"
        )


def assert_next_run_completes(corpus: Path, index: Path, after: dict) -> None:
    """The next run publishes the changed corpus, keeps the generation it replaced intact, and
    leaves no unfinished build behind."""
    replaced = current(index)
    report = kvsearch.build_index(corpus, index)
    assert (report.documents, report.rejected, report.repaired) == (9, (), "")
    assert current(index) != replaced
    assert_intact(index / current(index))
    # A search that read CURRENT just before the switch can still open what it named.
    assert_intact(index / replaced)
    assert answers(index) == after
    assert kvsearch.check_index(corpus, index).ok
    leftovers = [p.name for p in index.iterdir() if p.name.startswith(".build-") or p.name.endswith(".tmp")]
    assert leftovers == []


def index_command(corpus: Path, index: Path, full: bool) -> list[str]:
    return [sys.executable, "-m", "kvsearch", "index", "--quiet", "--corpus", str(corpus), "--index", str(index),
            *(["--full"] if full else [])]


@pytest.mark.parametrize("step", STEPS)
def test_a_full_build_killed_at_a_publish_step(
    prepared: Prepared, step: str
) -> None:
    corpus, index, before, after = prepared
    proc = subprocess.run(index_command(corpus, index, full=True), capture_output=True, text=True, timeout=120,
                          env={**os.environ, "KVSEARCH_FAULT": f"{step}:kill"})
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert_state_after_fault(corpus, index, step, before, after)
    assert_next_run_completes(corpus, index, after)


@pytest.mark.parametrize("step", STEPS)
def test_an_update_killed_at_a_publish_step_while_searches_run(
    prepared: Prepared, step: str
) -> None:
    corpus, index, before, after = prepared
    with stopped_at(index_command(corpus, index, full=False), step):
        # Searches during the publish see the old index or the whole new one.
        assert answers(index) == (after if step in PUBLISHED else before)
    assert_state_after_fault(corpus, index, step, before, after)
    assert_next_run_completes(corpus, index, after)


@pytest.mark.parametrize("full", [True, False], ids=["full", "update"])
@pytest.mark.parametrize("step", STEPS)
def test_a_build_that_fails_at_a_publish_step(
    prepared: Prepared, step: str, full: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, index, before, after = prepared
    monkeypatch.setenv("KVSEARCH_FAULT", f"{step}:raise")
    with pytest.raises(FaultInjected, match=f"at {step}$"):
        kvsearch.build_index(corpus, index, full=full)
    monkeypatch.delenv("KVSEARCH_FAULT")
    assert_state_after_fault(corpus, index, step, before, after)
    assert_next_run_completes(corpus, index, after)


@pytest.mark.parametrize("full", [True, False], ids=["full", "update"])
def test_a_build_killed_while_it_indexes_documents(
    prepared: Prepared, full: bool
) -> None:
    corpus, index, before, after = prepared
    # The second document redone: of nine in a full build, of the two changed in an update.
    with stopped_at(index_command(corpus, index, full=full), "document-indexed@2"):
        assert answers(index) == before
    assert_state_after_fault(corpus, index, "document-indexed", before, after)
    assert_next_run_completes(corpus, index, after)


def test_a_failed_build_is_one_line_and_status_2(prepared: Prepared) -> None:
    corpus, index, _, _ = prepared
    proc = subprocess.run(index_command(corpus, index, full=False), capture_output=True, text=True, timeout=120,
                          env={**os.environ, "KVSEARCH_FAULT": "after-manifest:raise"})
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == ("kvsearch: error: unexpected FaultInjected: fault injected at after-manifest"
                           " (set KVSEARCH_DEBUG=1 for details)\n")
    assert current(index) == "gen-000002"


def test_a_reader_that_opened_current_before_the_switch_reads_the_old_name_whole(prepared: Prepared) -> None:
    # CURRENT is replaced by a rename, never rewritten in place: a reader (or a crash) in the
    # middle of the switch sees the old name or the new one, never an empty or half-written file.
    corpus, index, _, _ = prepared
    with open(index / generations.CURRENT, encoding="utf-8") as early:
        kvsearch.build_index(corpus, index)
        assert current(index) == "gen-000003"
        assert early.read() == "gen-000002\n"


def test_publishing_keeps_the_replaced_generation_and_deletes_older_ones(prepared: Prepared) -> None:
    corpus, index, _, _ = prepared
    kvsearch.build_index(corpus, index)
    # The one CURRENT named until now stays, intact, for a search that opened it just before.
    assert sorted(p.name for p in index.iterdir() if p.name.startswith("gen-")) == ["gen-000002", "gen-000003"]
    assert_intact(index / "gen-000002")
    kvsearch.build_index(corpus, index, full=True)
    assert sorted(p.name for p in index.iterdir() if p.name.startswith("gen-")) == ["gen-000003", "gen-000004"]
