"""kvsearch.fetch.run: whole fetch runs against a real HTTP server on 127.0.0.1
(tests/koopserver.py serving tests/fixtures/koop): what is written and skipped, incremental
runs, versions, faults and exit statuses."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import kvsearch
from kvsearch.cli import main
from kvsearch.corpus import parse_file
from kvsearch.errors import SourceError
from kvsearch.fetch import http, state
from tests.koopserver import KoopServer, ReplayServer, document_requests

ANSWERS = [
    "aanhangsel/2020-2021/ah-tk-20202021-2310.txt",
    "aanhangsel/2020-2021/ah-tk-20202021-2400.txt",
    "aanhangsel/2020-2021/ah-tk-20202021-2600.txt",
    "aanhangsel/2025-2026/ah-1290001.txt",
]
SKIPPED = ["ah-tk-20202021-2450", "ah-tk-20202021-2500"]
TODAY = dt.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Back-off of milliseconds instead of seconds; the retry logic is the real one."""
    monkeypatch.setattr(http, "BACKOFF_SECONDS", 0.001)
    monkeypatch.setattr(http, "TIMEOUT_SECONDS", 2.0)


@pytest.fixture
def koop() -> Iterator[KoopServer]:
    with KoopServer() as server:
        yield server


def fetch(koop: KoopServer, corpus: Path, **options: object) -> kvsearch.FetchReport:
    options = {"since": "2020-01-01", "pause": 0, "today": TODAY, **options}
    return kvsearch.fetch_answers(corpus, source=koop.source, **options)  # type: ignore[arg-type]


def files(corpus: Path) -> dict[str, tuple[bytes, int]]:
    """Every visible file under the corpus with its bytes and mtime."""
    return {
        p.relative_to(corpus).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(corpus.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(corpus).parts)
    }


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kvsearch", "fetch", *args],
        capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})},
    )  # fmt: skip


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []})
@click.pass_context
def _entry(ctx: click.Context) -> None:
    main(list(ctx.args))


def in_process(*args: str) -> tuple[int, str]:
    """Run the command's main() in this process: (exit status, stderr)."""
    result = CliRunner().invoke(_entry, list(args), catch_exceptions=False)
    return result.exit_code, result.stderr


def test_each_answer_set_is_written_and_what_holds_no_answer_skipped(koop: KoopServer, tmp_path: Path) -> None:
    report = fetch(koop, tmp_path)
    assert report.ok and report.listed == 6
    assert sorted(report.written) == ANSWERS
    assert sorted(report.skipped) == SKIPPED
    # The type without "Antwoord" is skipped on its metadata: its XML is never asked for.
    assert not any(p.endswith("ah-tk-20202021-2500.xml") for p in koop.requests)
    doc = parse_file(tmp_path / ANSWERS[1], tmp_path)
    assert doc.doc_id == "aanhangsel/2020-2021/ah-tk-20202021-2400"
    assert doc.submitted == dt.date(2021, 3, 5) and doc.days == 46
    assert [s.party for s in doc.submitters] == ["D66", "PVV"]
    assert doc.answer_id == "ah-tk-20202021-2400"
    text = (tmp_path / ANSWERS[0]).read_text(encoding="utf-8")
    assert "> Vraag 2: Deelt u de mening" in text and "> Vraag 3: Welke gevolgen" in text
    assert text.index("> Vraag 3:") < text.index("Het gebruik van gezichtsherkenningssoftware")


def test_a_second_run_writes_nothing_and_changes_no_byte(koop: KoopServer, tmp_path: Path) -> None:
    fetch(koop, tmp_path)
    before = files(tmp_path)
    state_before = (tmp_path / state.STATE_FILE).read_bytes()
    koop.requests.clear()
    report = fetch(koop, tmp_path)
    assert report.written == () and report.replaced == () and report.unchanged == 4
    assert files(tmp_path) == before  # bytes and mtimes
    assert (tmp_path / state.STATE_FILE).read_bytes() == state_before
    assert document_requests(koop) == []  # versions unchanged: nothing downloaded


def test_a_newer_version_replaces_its_file(koop: KoopServer, tmp_path: Path) -> None:
    koop.as_of = "2021-05-01"
    fetch(koop, tmp_path)
    path = tmp_path / ANSWERS[0]
    assert "Ja.\n" in path.read_text(encoding="utf-8")
    koop.as_of = None
    report = fetch(koop, tmp_path)
    assert report.replaced == (ANSWERS[0],)
    assert "Ja. Het kabinet kan de berichtgeving niet bevestigen" in path.read_text(encoding="utf-8")


def test_the_next_run_asks_from_the_last_completed_run_with_an_overlap(koop: KoopServer, tmp_path: Path) -> None:
    fetch(koop, tmp_path, until="2021-04-30")
    report = fetch(koop, tmp_path, since=None)
    assert report.since == "2021-04-23"  # 2021-04-30 less 7 days
    # ah-tk-20202021-2310's version of 2021-06-01 was after the first run's range.
    assert sorted(report.written) == [ANSWERS[0], ANSWERS[2], ANSWERS[3]]


def test_a_first_run_without_since_takes_the_last_365_days_and_says_so(
    koop: KoopServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = fetch(koop, tmp_path, since=None, quiet=False)
    assert report.default_window and report.since == "2025-12-02"
    assert "fetching the last 365 days (from 2025-12-02; --since 1995-01-01" in capsys.readouterr().err


def test_a_document_retried_after_503s_is_written(koop: KoopServer, tmp_path: Path) -> None:
    koop.fail("/frbr/", times=3, status=503, retry_after="0")
    report = fetch(koop, tmp_path)
    assert report.ok and len(report.written) == 4


def test_5xx_exhausted_fails_that_document_which_is_fetched_next_run(koop: KoopServer, tmp_path: Path) -> None:
    koop.fail("ah-tk-20202021-2400.xml", times=5, status=500)
    report = fetch(koop, tmp_path, until="2021-04-30")
    assert [(f.identifier, f.reason) for f in report.failed] == [("ah-tk-20202021-2400", "HTTP 500 (5 attempts)")]
    assert report.written == () and report.skipped == ("ah-tk-20202021-2450",)
    saved = json.loads((tmp_path / state.STATE_FILE).read_text())
    assert saved["fetched_until"] == "2021-04-30"  # the run completed
    assert "ah-tk-20202021-2400" in saved["failed"]
    # Next run: a range that does not hold it any more; it is fetched again all the same.
    again = fetch(koop, tmp_path, since="2025-01-01")
    assert again.ok and ANSWERS[1] in again.written
    assert json.loads((tmp_path / state.STATE_FILE).read_text())["failed"] == {}


def test_a_truncated_document_is_named_and_the_others_written(koop: KoopServer, tmp_path: Path) -> None:
    koop.truncate.add("ah-tk-20202021-2600")
    done = cli("--corpus", str(tmp_path), "--source", koop.source, "--since", "2020-01-01", "--pause", "0", "--quiet")
    assert done.returncode == 3
    assert done.stderr.startswith("kvsearch: failed ah-tk-20202021-2600: malformed XML (unclosed token")
    assert len(done.stderr.splitlines()) == 1
    assert sorted(files(tmp_path)) == [ANSWERS[0], ANSWERS[1], ANSWERS[3]]
    koop.truncate.clear()
    again = cli("--corpus", str(tmp_path), "--source", koop.source, "--since", "2025-01-01", "--pause", "0", "--quiet")
    assert (again.returncode, again.stderr) == (0, "")
    assert sorted(files(tmp_path)) == ANSWERS


def test_a_diagnostic_exits_2_naming_it_with_the_corpus_untouched(koop: KoopServer, tmp_path: Path) -> None:
    koop.diagnostic = True
    done = cli("--corpus", str(tmp_path), "--source", koop.source, "--since", "2020-01-01", "--pause", "0")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        f"kvsearch: error: {koop.source} answered with an SRU diagnostic: info:srw/diagnostic/1/1 General system error"
    )
    assert files(tmp_path) == {} and not (tmp_path / state.STATE_FILE).exists()


def test_no_source_reachable_exits_2_with_the_corpus_untouched(
    koop: KoopServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fetch(koop, tmp_path)
    before = files(tmp_path)
    state_before = (tmp_path / state.STATE_FILE).read_bytes()
    with KoopServer() as gone:
        nowhere = gone.source
    # In this process, so the quick retries apply; the environment names the source.
    monkeypatch.setenv("KVSEARCH_SOURCE", nowhere)
    code, stderr = in_process("fetch", "--corpus", str(tmp_path), "--since", "2020-01-01", "--pause", "0")
    assert code == 2
    assert stderr.startswith(f"kvsearch: error: cannot query {nowhere}: cannot connect (5 attempts)")
    assert files(tmp_path) == before
    assert (tmp_path / state.STATE_FILE).read_bytes() == state_before


def test_a_source_that_is_no_url_is_refused_before_anything_is_asked(koop: KoopServer, tmp_path: Path) -> None:
    code, stderr = in_process("fetch", "--corpus", str(tmp_path / "nieuw"), "--source", "repository.overheid.nl/sru")
    assert (code, stderr) == (2, "kvsearch: error: --source: 'repository.overheid.nl/sru' is not an http:// or"
                                 " https:// URL\n")
    assert not (tmp_path / "nieuw").exists() and koop.requests == []


def test_the_state_advances_only_when_a_run_completed(koop: KoopServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kvsearch.fetch import sru

    fetch(koop, tmp_path, until="2021-04-30")
    monkeypatch.setattr(sru, "PAGE_SIZE", 2)
    # The second page fails: the listing is incomplete, nothing is written, the date stays.
    original = sru.search_page

    def second_page_fails(client, source, query, start, maximum=None):  # type: ignore[no-untyped-def]
        if start > 1:
            raise SourceError("cannot query: HTTP 503 (5 attempts)")
        return original(client, source, query, start, maximum)

    monkeypatch.setattr(sru, "search_page", second_page_fails)
    before = files(tmp_path)
    with pytest.raises(SourceError):
        fetch(koop, tmp_path, since=None)
    assert files(tmp_path) == before
    assert json.loads((tmp_path / state.STATE_FILE).read_text())["fetched_until"] == "2021-04-30"


def test_files_fetch_did_not_write_are_left_alone(koop: KoopServer, tmp_path: Path) -> None:
    mine = tmp_path / ANSWERS[2]
    mine.parent.mkdir(parents=True)
    mine.write_text("Ingediend | 10 mei 2021 |\n---|---|\nMijn eigen aantekeningen.\n", encoding="utf-8")
    other = tmp_path / "seed" / "kv-2020Z25656.txt"
    other.parent.mkdir()
    other.write_text("Ja.\n", encoding="utf-8")
    report = fetch(koop, tmp_path)
    assert report.kept == (ANSWERS[2],)
    assert mine.read_text(encoding="utf-8").endswith("Mijn eigen aantekeningen.\n")
    assert other.read_text(encoding="utf-8") == "Ja.\n"
    # Edited after fetch wrote it: no longer what fetch wrote, so a newer version leaves it too.
    koop.as_of = "2021-05-01"
    fresh = tmp_path / "fresh"
    fetch(koop, fresh)
    edited = fresh / ANSWERS[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "Eigen notitie.\n", encoding="utf-8")
    koop.as_of = None
    assert fetch(koop, fresh).kept == (ANSWERS[0],)
    assert edited.read_text(encoding="utf-8").endswith("Eigen notitie.\n")


def test_two_fetches_at_once_the_second_exits_75(koop: KoopServer, tmp_path: Path) -> None:
    with state.locked(tmp_path):
        done = cli("--corpus", str(tmp_path), "--source", koop.source, "--since", "2020-01-01", "--pause", "0")
    assert done.returncode == 75
    assert done.stderr.startswith(f"kvsearch: error: another kvsearch fetch is running on {tmp_path} (pid {os.getpid()})")
    assert files(tmp_path) == {}


def test_a_killed_fetch_leaves_no_partial_file_and_the_next_run_completes(koop: KoopServer, tmp_path: Path) -> None:
    koop.hang("/frbr/", times=1000, seconds=0.2)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kvsearch", "fetch", "--corpus", str(tmp_path), "--source", koop.source,
         "--since", "2020-01-01", "--pause", "0", "--quiet"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not files(tmp_path) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    written = files(tmp_path)
    assert 1 <= len(written) < 4
    assert not (tmp_path / state.STATE_FILE).exists()  # saved only by a completed run
    koop.faults.clear()
    koop.requests.clear()
    report = fetch(koop, tmp_path)
    assert report.ok and sorted(files(tmp_path)) == ANSWERS
    assert sorted([*report.written, *written]) == ANSWERS
    for path in ANSWERS:  # every file whole
        assert (tmp_path / path).read_text(encoding="utf-8").endswith("\n")
    assert not list(tmp_path.rglob("*.kvsearch-tmp"))


def test_a_recorded_run_replays_into_the_same_corpus(koop: KoopServer, tmp_path: Path) -> None:
    fetch(koop, tmp_path / "live", record=tmp_path / "rec")
    with ReplayServer(tmp_path / "rec") as replay:
        report = kvsearch.fetch_answers(tmp_path / "replayed", source=replay.source, since="2020-01-01", pause=0, today=TODAY)
    assert report.ok
    live = {k: v[0] for k, v in files(tmp_path / "live").items()}
    assert {k: v[0] for k, v in files(tmp_path / "replayed").items()} == live


def test_a_bad_date_is_a_usage_error(koop: KoopServer, tmp_path: Path) -> None:
    done = cli("--corpus", str(tmp_path), "--source", koop.source, "--since", "2021-13-01")
    assert done.returncode == 2
    assert done.stderr == "kvsearch: error: --since: not a date (YYYY-MM-DD): '2021-13-01'\n"
    done = cli("--corpus", str(tmp_path), "--source", koop.source, "--since", "2022-01-01", "--until", "2021-01-01")
    assert (done.returncode, done.stderr) == (2, "kvsearch: error: --since is after --until\n")
    assert koop.requests == []


def test_a_run_without_since_resumes_one_that_did_not_complete(koop: KoopServer, tmp_path: Path) -> None:
    # A first fetch of the whole archive, interrupted: the range is journalled before the listing.
    koop.diagnostic = True
    with pytest.raises(SourceError):
        fetch(koop, tmp_path, since="1995-01-01")
    koop.diagnostic = False
    report = fetch(koop, tmp_path, since=None)
    assert report.since == "1995-01-01" and not report.default_window
    assert sorted(report.written) == ANSWERS
    assert json.loads((tmp_path / state.STATE_FILE).read_text())["fetched_until"] == TODAY.isoformat()


def test_ctrl_c_exits_130_keeping_whole_files(koop: KoopServer, tmp_path: Path) -> None:
    koop.hang("/frbr/", times=1000, seconds=0.2)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kvsearch", "fetch", "--corpus", str(tmp_path), "--source", koop.source,
         "--since", "2020-01-01", "--pause", "0", "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not files(tmp_path) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert stderr == "kvsearch: error: interrupted; what was written is kept and the next fetch goes on from there\n"
    assert all(content.endswith(b"\n") for content, _ in files(tmp_path).values())
    assert not list(tmp_path.rglob("*.kvsearch-tmp"))


def test_a_corpus_path_that_is_a_file_is_one_clear_error(koop: KoopServer, tmp_path: Path) -> None:
    (tmp_path / "corpus").write_text("geen map")
    with pytest.raises(kvsearch.CorpusError, match="is not a directory"):
        fetch(koop, tmp_path / "corpus")
    done = cli("--corpus", str(tmp_path / "corpus"), "--source", koop.source, "--since", "2020-01-01")
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1 and "is a file" in done.stderr
    assert koop.requests == []


def test_words_of_a_question_find_its_answer_which_shows_the_question(koop: KoopServer, tmp_path: Path) -> None:
    fetch(koop, tmp_path / "corpus")
    kvsearch.build_index(tmp_path / "corpus", tmp_path / "index")
    result = kvsearch.search("overheidsinstellingen camera's merk", index_dir=tmp_path / "index")
    hit = result.hits[0]
    assert hit.doc_id == "aanhangsel/2020-2021/ah-tk-20202021-2400"
    assert hit.text.startswith("Er bestaat geen compleet overzicht")  # the answer, never the question
    assert hit.question == "Vraag 2: Hoeveel overheidsinstellingen gebruiken camera's van dit merk?"
