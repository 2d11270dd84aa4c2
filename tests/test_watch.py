"""Alerts (kvsearch watch): saved searches reporting new and changed answers, as real processes."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

import kvsearch
from kvsearch.index import generations
from kvsearch.watch import state

from .conftest import FIXTURES, REPO

NEW_ID = "2021/ah-tk-20202021-1003"
CORRECTED = "2021/ah-tk-20202021-1002"


class Setup:
    """A corpus, its index and a watches file, with the environment that points kvsearch at them."""

    def __init__(self, root: Path) -> None:
        self.corpus = root / "corpus"
        shutil.copytree(FIXTURES, self.corpus)
        shutil.copy(REPO / "corpus" / "kv-2020Z25656.txt", self.corpus / "kv-2020Z25656.txt")
        (self.corpus / "2024" / "kapot.txt").unlink()  # rejected by every build: status 3
        self.index = root / "index"
        self.watches = root / "config" / "watches.toml"
        self.env = {**os.environ, "NO_COLOR": "1", "KVSEARCH_CORPUS": str(self.corpus),
                    "KVSEARCH_INDEX": str(self.index), "KVSEARCH_WATCHES": str(self.watches)}
        kvsearch.build_index(self.corpus, self.index)

    def run(self, *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
        """The real command in a fresh process."""
        return subprocess.run([sys.executable, "-m", "kvsearch", *args], capture_output="stdout" not in kwargs,
                              text=True, env=self.env, timeout=120, **kwargs)  # type: ignore[call-overload]

    def index_now(self, *args: str) -> None:
        proc = self.run("index", "--quiet", *args)
        assert proc.returncode == 0, proc.stderr

    def add_answer(self) -> None:
        """A new answer on camera surveillance (gezichtsherkenning) by Justitie en Veiligheid."""
        text = (self.corpus / f"{CORRECTED}.txt").read_text(encoding="utf-8")
        (self.corpus / f"{NEW_ID}.txt").write_text(text.replace("camera’s", "bodycams"), encoding="utf-8")

    def correct_answer(self) -> None:
        path = self.corpus / f"{CORRECTED}.txt"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("geen gezichtsherkenning toegepast", "in een proef gezichtsherkenning toegepast"),
                        encoding="utf-8")

    def state(self) -> str:
        return state.state_path(self.watches).read_text(encoding="utf-8")


@pytest.fixture()
def setup(tmp_path: Path) -> Setup:
    return Setup(tmp_path)


def started(setup: Setup) -> None:
    """Run the watches once: their first run sets their starting points and reports nothing."""
    proc = setup.run("watch", "run")
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    assert "starting point set" in proc.stderr


def test_add_list_and_remove(setup: Setup) -> None:
    proc = setup.run("watch", "add", "gezicht", "gezichtsherkenning", "-huawei")
    assert proc.returncode == 0, proc.stderr
    assert setup.run("watch", "add", "jenv", "--ministry", "justitie en veiligheid", "--late").returncode == 0
    listed = setup.run("watch", "list")
    assert listed.returncode == 0
    assert listed.stdout.splitlines() == ["gezicht\tquery: gezichtsherkenning -huawei",
                                          "jenv\tministry: justitie en veiligheid; late: True"]
    records = [json.loads(line) for line in setup.run("watch", "list", "--json").stdout.splitlines()]
    assert records[1] == {"name": "jenv", "query": "", "minister": None, "ministry": "justitie en veiligheid",
                          "submitter": None, "party": None, "subject": None, "since": None, "until": None,
                          "late": True}
    # The file is for people: plain TOML that says what it is.
    text = setup.watches.read_text(encoding="utf-8")
    assert text.startswith("# kvsearch watches") and '[gezicht]\nquery = "gezichtsherkenning -huawei"' in text
    assert setup.run("watch", "remove", "gezicht").returncode == 0
    assert setup.run("watch", "list").stdout.splitlines() == ["jenv\tministry: justitie en veiligheid; late: True"]
    gone = setup.run("watch", "remove", "gezicht")
    assert gone.returncode == 2 and gone.stderr.startswith("kvsearch: error: no watch named 'gezicht'")
    assert setup.run("watch", "remove", "jenv").returncode == 0
    empty = setup.run("watch", "list")
    assert empty.returncode == 1 and empty.stdout == ""


@pytest.mark.parametrize(("args", "message"), [
    (("de", "het", "een"), "no searchable words"),
    (("ingediend:2021..2020",), "ends before it starts"),
    (("--since", "2021-13", "stikstof"), "--since: impossible date"),
    (("--minister", " "), None),  # a blank filter restricts nothing: a watch of every answer
])
def test_a_query_that_cannot_run_is_refused_when_added(setup: Setup, args: tuple[str, ...], message: str | None) -> None:
    proc = setup.run("watch", "add", "stikstof", *args)
    if message is None:
        assert proc.returncode == 0
        return
    assert proc.returncode == 2
    assert len(proc.stderr.splitlines()) == 1 and message in proc.stderr
    assert not setup.watches.exists()


def test_a_taken_or_unusable_name_is_refused(setup: Setup) -> None:
    assert setup.run("watch", "add", "gezicht", "gezichtsherkenning").returncode == 0
    before = setup.watches.read_bytes()
    for name, message in (("gezicht", "exists"), ("../etc", "bad watch name"), (".verborgen", "bad watch name")):
        proc = setup.run("watch", "add", name, "politie")
        assert proc.returncode == 2 and message in proc.stderr, name
    assert setup.watches.read_bytes() == before


def test_a_new_answer_is_reported_once_and_then_not_again(setup: Setup) -> None:
    assert setup.run("watch", "add", "gezicht", "gezichtsherkenning").returncode == 0
    assert setup.run("watch", "add", "onderwijs", "wiskunde").returncode == 0
    started(setup)
    setup.add_answer()
    setup.index_now()
    proc = setup.run("watch", "run")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "== gezicht: 1 answer (1 new), 1 passage =="
    assert lines[2].startswith(f"new: {NEW_ID} ¶2 · 2021-01-26 · Ferd Grapperhaus")
    assert "geen gezichtsherkenning toegepast" in " ".join(proc.stdout.split())  # wrapped as search wraps
    assert "onderwijs" not in proc.stdout  # a watch with nothing new says nothing
    again = setup.run("watch", "run")
    assert (again.returncode, again.stdout, again.stderr) == (1, "", "")


def test_a_corrected_answer_is_reported_as_changed_in_json(setup: Setup) -> None:
    assert setup.run("watch", "add", "gezicht", "gezichtsherkenning").returncode == 0
    started(setup)
    setup.correct_answer()
    setup.add_answer()
    setup.index_now()
    proc = setup.run("watch", "run", "--json")
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert {(r["doc_id"], r["change"], r["watch"]) for r in records} == {
        (CORRECTED, "changed", "gezicht"), (NEW_ID, "new", "gezicht")}
    # The hit objects of search --json, plus two keys.
    searched = json.loads(setup.run("search", "gezichtsherkenning", "--json").stdout.splitlines()[0])
    assert set(records[0]) == set(searched) | {"watch", "change"}


def test_a_full_or_repairing_rebuild_reports_only_what_is_new(setup: Setup) -> None:
    assert setup.run("watch", "add", "alles").returncode == 0  # a watch of every new answer
    started(setup)
    setup.index_now("--full")
    assert setup.run("watch", "run").returncode == 1
    setup.add_answer()
    setup.index_now("--full")
    proc = setup.run("watch", "run", "--json")
    assert proc.returncode == 0
    assert {(r["doc_id"], r["change"]) for r in map(json.loads, proc.stdout.splitlines())} == {(NEW_ID, "new")}
    store = generations.current_generation(setup.index) / "documents.sqlite"
    data = bytearray(store.read_bytes())
    data[len(data) // 2] ^= 0xFF
    store.write_bytes(bytes(data))
    setup.correct_answer()
    repaired = setup.run("index")
    assert repaired.returncode == 0 and "rebuilt it fully" in repaired.stderr
    proc = setup.run("watch", "run", "--json")
    assert proc.returncode == 0
    assert {(r["doc_id"], r["change"]) for r in map(json.loads, proc.stdout.splitlines())} == {(CORRECTED, "changed")}
    assert setup.run("watch", "run").returncode == 1


def test_filters_alone_report_every_new_answer_they_allow(setup: Setup) -> None:
    assert setup.run("watch", "add", "jenv", "--ministry", "justitie en veiligheid").returncode == 0
    assert setup.run("watch", "add", "bz", "--ministry", "buitenlandse zaken").returncode == 0
    started(setup)
    setup.add_answer()
    setup.index_now()
    proc = setup.run("watch", "run", "--json")
    assert proc.returncode == 0
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert {r["watch"] for r in records} == {"jenv"}
    assert [r["paragraph"] for r in records] == [1, 2, 3]  # every passage (at most 3), in order


def test_since_reports_what_came_in_on_a_first_run(setup: Setup) -> None:
    assert setup.run("watch", "add", "bz", "--ministry", "buitenlandse zaken").returncode == 0
    proc = setup.run("watch", "run", "--since", "2020-01-01")
    assert proc.returncode == 0
    assert proc.stdout.startswith("== bz: 1 answer (1 new), 20 passages, showing 3 ==")
    assert setup.run("watch", "run").returncode == 1
    bad = setup.run("watch", "run", "--since", "gisteren")
    assert bad.returncode == 2 and bad.stderr.startswith("kvsearch: error: --since: not a date")


def test_output_that_cannot_be_written_leaves_the_starting_point(setup: Setup, tmp_path: Path) -> None:
    assert setup.run("watch", "add", "gezicht", "gezichtsherkenning").returncode == 0
    started(setup)
    point = setup.state()
    setup.add_answer()
    setup.index_now()
    with open("/dev/full", "w") as full:
        proc = setup.run("watch", "run", stdout=full, stderr=subprocess.PIPE)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "kvsearch: error: cannot write output: No space left on device"
    assert setup.state() == point
    # A feed directory that cannot be made (its parent is a file): the same.
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    proc = setup.run("watch", "run", "--feed", str(blocker / "feeds"))
    assert proc.returncode == 2 and "cannot write feed" in proc.stderr
    assert proc.stdout == ""  # nothing printed for a watch whose feed failed
    assert setup.state() == point
    again = setup.run("watch", "run")
    assert again.returncode == 0 and f"new: {NEW_ID}" in again.stdout
    assert setup.state() != point


def test_the_feed_is_valid_atom_with_stable_entries(setup: Setup, tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    assert setup.run("watch", "add", "gezicht", "gezichtsherkenning").returncode == 0
    proc = setup.run("watch", "run", "--feed", str(feeds))
    assert proc.returncode == 1
    empty = feedparser.parse(str(feeds / "gezicht.atom"))
    assert not empty.bozo and empty.version == "atom10" and empty.entries == []
    setup.add_answer()
    setup.index_now()
    assert setup.run("watch", "run", "--feed", str(feeds)).returncode == 0
    setup.correct_answer()
    setup.index_now()
    assert setup.run("watch", "run", "--feed", str(feeds)).returncode == 0
    feed = feedparser.parse(str(feeds / "gezicht.atom"))
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10" and feed.feed.title == "kvsearch: gezicht"
    ids = [e.id for e in feed.entries]
    # Both runs' entries, newest first; one entry per document and paragraph.
    assert ids == ["tag:kvsearch,2026:2021/ah-tk-20202021-1002/2", "tag:kvsearch,2026:2021/ah-tk-20202021-1003/2"]
    changed, new = feed.entries
    assert changed.link == "https://zoek.officielebekendmakingen.nl/ah-tk-20202021-1002.html"
    assert changed.title.startswith("[gewijzigd] Er wordt bij deze camera's in een proef gezichtsherkenning")
    # Times to the microsecond (feedparser's *_parsed keep whole seconds only; the runs may share one).
    assert new.title.startswith("[nieuw]") and new.updated < changed.updated
    assert changed.published < changed.updated  # in the index before it was corrected
    assert "in een proef gezichtsherkenning" in changed.content[0].value
    assert (feeds / "gezicht.atom").stat().st_mode & 0o044  # a web server may read it


def test_a_damaged_watches_file_is_one_line_and_never_replaced(setup: Setup) -> None:
    setup.watches.parent.mkdir(parents=True)
    for text in ('[stikstof\nquery = "stikstof"\n', '[stikstof]\nquery = "stikstof"\nminster = "Blok"\n',
                 '[stikstof]\nlate = "ja"\n', '\xff\xfe'):
        setup.watches.write_bytes(text.encode("utf-8") if text.isprintable() or "\n" in text else text.encode("latin-1"))
        before = setup.watches.read_bytes()
        for command in (("watch", "run"), ("watch", "list"), ("watch", "add", "nieuw", "politie"),
                        ("watch", "remove", "stikstof")):
            proc = setup.run(*command)
            assert proc.returncode == 2, (text, command)
            assert len(proc.stderr.splitlines()) == 1, proc.stderr
            assert proc.stderr.startswith(f"kvsearch: error: watches file {setup.watches} is damaged")
            assert setup.watches.read_bytes() == before


def test_a_second_run_at_the_same_time_exits_75(setup: Setup) -> None:
    assert setup.run("watch", "add", "gezicht", "gezichtsherkenning").returncode == 0
    started(setup)
    point = setup.state()
    setup.add_answer()
    setup.index_now()
    # The test holds the lock, as a running `watch run` would.
    with open(state.lock_path(setup.watches), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = setup.run("watch", "run")
        assert proc.returncode == 75
        assert proc.stderr.startswith("kvsearch: error: another 'kvsearch watch run' is running")
        assert proc.stdout == "" and setup.state() == point
    assert setup.run("watch", "run").returncode == 0  # released: the news is still there


def test_comments_written_by_hand_survive_add_and_remove(setup: Setup) -> None:
    setup.watches.parent.mkdir(parents=True)
    setup.watches.write_text('# mijn watches\n[stikstof]  # voor het team\nquery = "stikstof"\n', encoding="utf-8")
    assert setup.run("watch", "add", "politie", "politie").returncode == 0
    assert setup.run("watch", "remove", "politie").returncode == 0
    assert setup.watches.read_text(encoding="utf-8").startswith('# mijn watches\n[stikstof]  # voor het team\n')


def test_the_library_moves_a_watch_on_only_after_its_report_was_delivered(setup: Setup) -> None:
    kvsearch.watch_add("gezicht", "gezichtsherkenning", watches=setup.watches)
    first = kvsearch.watch_run(watches=setup.watches, index_dir=setup.index)
    assert first[0].started and not first[0].hits
    setup.add_answer()
    kvsearch.build_index(setup.corpus, setup.index)

    def mail_fails(report: kvsearch.WatchReport) -> None:
        raise OSError("mail: connection refused")

    with pytest.raises(OSError):
        kvsearch.watch_run(watches=setup.watches, index_dir=setup.index, deliver=mail_fails)
    (report,) = kvsearch.watch_run(watches=setup.watches, index_dir=setup.index)
    assert (report.new, report.changed, report.passages) == (1, 0, 1)
    assert report.hits[0].change == "new" and report.hits[0].hit.doc_id == NEW_ID
    assert kvsearch.watch_run(watches=setup.watches, index_dir=setup.index)[0].hits == ()


def test_an_index_made_anew_restarts_the_watches_instead_of_reporting_everything(setup: Setup) -> None:
    assert setup.run("watch", "add", "alles").returncode == 0
    started(setup)
    shutil.rmtree(setup.index)
    setup.index_now()
    proc = setup.run("watch", "run")
    assert (proc.returncode, proc.stdout) == (1, "")
    assert "the index was rebuilt from nothing; reporting from now on" in proc.stderr
    setup.add_answer()
    setup.index_now()
    assert f"new: {NEW_ID}" in setup.run("watch", "run").stdout


def test_a_watch_edited_into_a_bad_query_fails_alone(setup: Setup) -> None:
    assert setup.run("watch", "add", "gezicht", "gezichtsherkenning").returncode == 0
    assert setup.run("watch", "add", "kapot", "politie").returncode == 0
    started(setup)
    text = setup.watches.read_text(encoding="utf-8")
    setup.watches.write_text(text.replace('query = "politie"', 'query = "de het"'), encoding="utf-8")
    point = json.loads(setup.state())["watches"]["kapot"]
    setup.add_answer()
    setup.index_now()
    proc = setup.run("watch", "run")
    assert proc.returncode == 2  # an error beats news: cron reports the run as failed
    assert proc.stderr.strip() == "kvsearch: error: watch 'kapot': the query has no searchable words (only stop words or punctuation)"
    assert f"new: {NEW_ID}" in proc.stdout  # the other watch reported, and moved on
    assert json.loads(setup.state())["watches"]["kapot"] == point
    assert setup.run("watch", "run", "gezicht").returncode == 1


def test_a_damaged_state_file_is_one_line_and_left_alone(setup: Setup) -> None:
    assert setup.run("watch", "add", "gezicht", "gezichtsherkenning").returncode == 0
    started(setup)
    path = state.state_path(setup.watches)
    path.write_text('{"version": 1, "watches": {"gezicht": ', encoding="utf-8")
    proc = setup.run("watch", "run")
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1
    assert "is damaged" in proc.stderr and "delete it" in proc.stderr
    assert path.read_text(encoding="utf-8") == '{"version": 1, "watches": {"gezicht": '


def test_a_build_published_during_a_run_is_reported_from_one_generation(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    kvsearch.watch_add("gezicht", "gezichtsherkenning", watches=setup.watches)
    kvsearch.watch_run(watches=setup.watches, index_dir=setup.index)
    setup.add_answer()
    kvsearch.build_index(setup.corpus, setup.index)
    search = kvsearch.Index.search
    calls = []

    def build_meanwhile(self: kvsearch.Index, *args: object, **kwargs: object) -> kvsearch.SearchResult:
        if not calls:  # the nightly build publishes between the watch's arrivals and its search
            setup.correct_answer()
            kvsearch.build_index(setup.corpus, setup.index)
        calls.append(1)
        return search(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(kvsearch.Index, "search", build_meanwhile)
    (report,) = kvsearch.watch_run(watches=setup.watches, index_dir=setup.index)
    assert len(calls) == 2  # made again on the new generation
    assert {(h.hit.doc_id, h.change) for h in report.hits} == {(NEW_ID, "new"), (CORRECTED, "changed")}
    assert report.until == kvsearch.Index(setup.index).arrivals(None).stamp
    monkeypatch.undo()
    assert kvsearch.watch_run(watches=setup.watches, index_dir=setup.index)[0].hits == ()
