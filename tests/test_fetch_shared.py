"""kvsearch fetch against the shared KOOP mock (../shared/tools/koop_mock.py serving
../shared/fixtures/koop): exactly the documents its README's table says to write and to skip,
versions, and the mock's faults. Skipped with a reason when ../shared is absent."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import kvsearch
from kvsearch.corpus import parse_file
from kvsearch.fetch import http, sru
from tests.conftest import shared_path

TODAY = dt.date(2026, 12, 2)
WRITTEN = sorted([
    "aanhangsel/2024-2025/ah-tk-20242025-137.txt",
    "aanhangsel/2024-2025/ah-tk-20242025-227.txt",
    "aanhangsel/2024-2025/ah-tk-20242025-370.txt",
    "aanhangsel/2024-2025/ah-tk-20242025-566.txt",
    "aanhangsel/2024-2025/ah-tk-20242025-695.txt",
    "aanhangsel/2024-2025/ah-tk-20242025-839.txt",
    "aanhangsel/2025-2026/ah-1292933.txt",
    "aanhangsel/2025-2026/ah-1303052.txt",
    "aanhangsel/2025-2026/ah-1309873.txt",
    "aanhangsel/2025-2026/ah-1317276.txt",
    "aanhangsel/2026-2027/ah-1328850.txt",
])  # fmt: skip


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "BACKOFF_SECONDS", 0.001)


@contextmanager
def mock(tmp_path: Path, *options: str) -> Iterator[str]:
    """The shared mock as a subprocess on a free port; yields its SRU URL."""
    tool = shared_path("tools", "koop_mock.py")
    fixtures = shared_path("fixtures", "koop")
    port_file = tmp_path / f"koop-{time.monotonic_ns()}.port"
    proc = subprocess.Popen(
        [sys.executable, str(tool), str(fixtures), "--port", "0", "--port-file", str(port_file), *options],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while not port_file.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the shared KOOP mock did not start")
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port_file.read_text().strip()}/sru"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)


def fetch(source: str, corpus: Path, since: str = "2020-01-01") -> kvsearch.FetchReport:
    return kvsearch.fetch_answers(corpus, source=source, since=since, pause=0, today=TODAY)


def visible(corpus: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(corpus).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in corpus.rglob("*.txt")
        if not p.name.startswith(".")
    }


def test_eleven_answer_sets_are_written_and_the_postponement_skipped(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    with mock(tmp_path) as source:
        report = fetch(source, corpus)
        assert report.ok and report.listed == 12
        assert sorted(report.written) == WRITTEN
        assert report.skipped == ("ah-tk-20242025-604",)
        before = visible(corpus)
        again = fetch(source, corpus)
    assert again.written == () and again.unchanged == 11
    assert visible(corpus) == before

    doc = parse_file(corpus / "aanhangsel/2024-2025/ah-tk-20242025-839.txt", corpus)
    assert [(s.name, s.party) for s in doc.submitters] == [("J.A. de Vries", "VVD"), ("M. Jansen", "CDA")]
    assert [(m.name, m.role, m.ministry) for m in doc.ministers] == [
        ("B. Koster", "staatssecretaris", "Infrastructuur en Waterstaat")
    ]
    assert doc.subjects == ("verkeer", "openbaar vervoer", "spoor")
    assert (doc.submitted, doc.answered, doc.days) == (dt.date(2025, 5, 20), dt.date(2025, 6, 24), 35)

    lines = (corpus / "aanhangsel/2024-2025/ah-tk-20242025-370.txt").read_text(encoding="utf-8").splitlines()
    # Eight header rows and the separator: no link to the question, so its number is a row.
    assert lines[6] == "Vraagnummer | 2024Z24798 |"
    assert doc.question_id == "2025Z09662"  # ah-tk-20242025-839's, from its Vraagnummer row
    grouped = lines[9:]
    assert [line[:10] for line in grouped] == ["> Vraag 1:", "In Nederla", "> Vraag 2:", "> Vraag 3:", "Het antwoo"]
    notes = (corpus / "aanhangsel/2024-2025/ah-tk-20242025-227.txt").read_text(encoding="utf-8")
    assert "\n> [1]: https://open.overheid.nl/documenten/ronl-0126c35b4360c0e6dfff3d76ac2486b6176bfc41/pdf\n" in notes
    assert "onderzoeksbureau Lievense[2]. Dit bureau" in notes and "\n[2]: Kamerstuk 32 404 nr. 3532\n" in notes
    assert "leveringszekerheid van gas" in (corpus / "aanhangsel/2025-2026/ah-1303052.txt").read_text(encoding="utf-8")


def test_the_second_version_replaces_the_first(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    path = corpus / "aanhangsel/2024-2025/ah-tk-20242025-695.txt"
    with mock(tmp_path, "--as-of", "2025-05-20") as source:
        assert sorted(fetch(source, corpus).written) == [
            "aanhangsel/2024-2025/ah-tk-20242025-137.txt", "aanhangsel/2024-2025/ah-tk-20242025-227.txt",
            "aanhangsel/2024-2025/ah-tk-20242025-370.txt", "aanhangsel/2024-2025/ah-tk-20242025-566.txt",
            "aanhangsel/2024-2025/ah-tk-20242025-695.txt",
        ]  # fmt: skip
    first = path.read_text(encoding="utf-8")
    with mock(tmp_path) as source:
        report = fetch(source, corpus, since="2026-11-01")
    assert report.listed == 1 and report.replaced == ("aanhangsel/2024-2025/ah-tk-20242025-695.txt",)
    second = path.read_text(encoding="utf-8")
    assert len(second) > len(first) and second.startswith(first.split("\n> Vraag 2")[0])


def test_faults_of_the_mock(tmp_path: Path) -> None:
    with mock(tmp_path, "--fail-first", "2") as source:
        assert sorted(fetch(source, tmp_path / "retried").written) == WRITTEN
    with mock(tmp_path, "--truncate", "ah-1303052", "--missing", "ah-1317276") as source:
        report = fetch(source, tmp_path / "faulty")
    assert sorted((f.identifier, f.reason.split(" (")[0]) for f in report.failed) == [
        ("ah-1303052", "malformed XML"), ("ah-1317276", "HTTP 404"),
    ]  # fmt: skip
    assert len(report.written) == 9
    with mock(tmp_path, "--diagnostic") as source, pytest.raises(kvsearch.SourceError, match="diagnostic/1/1"):
        fetch(source, tmp_path / "diagnostic")
    assert not list((tmp_path / "diagnostic").rglob("*.txt"))


def test_a_result_set_over_9999_is_split(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sru, "PAGE_SIZE", 1000)
    with mock(tmp_path, "--scale", "10500") as source, http.HttpClient(pause=0) as client:
        records = sru.list_records(client, source, dt.date(2015, 1, 1), None, today=TODAY)
    assert len(records) == 10500 == len({r.identifier for r in records})

