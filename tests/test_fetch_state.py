"""kvsearch.fetch.state: what fetch remembers between runs, the journal of a killed run, the lock."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kvsearch.errors import CorpusError, FetchLockedError
from kvsearch.fetch import state


def test_the_state_survives_a_save_and_load(tmp_path: Path) -> None:
    store = state.StateStore(tmp_path)
    memory = store.load()
    memory.source = "https://repository.overheid.nl/sru"
    memory.advance(dt.date(2026, 1, 1), dt.date(2026, 12, 2))
    store.note(memory, {"id": "ah-1290001", "op": "written", "version": "v1", "path": "aanhangsel/x.txt", "sha256": "ab"})
    store.note(memory, {"id": "ah-tk-20202021-2450", "op": "skipped", "version": "v1"})
    store.save(memory)
    again = state.StateStore(tmp_path).load()
    assert again == memory
    assert again.fetched_until == dt.date(2026, 12, 2)
    assert not (tmp_path / state.JOURNAL_FILE).exists()


def test_a_killed_run_loses_nothing_it_journalled(tmp_path: Path) -> None:
    store = state.StateStore(tmp_path)
    memory = store.load()
    store.note(memory, {"id": "ah-1290001", "op": "written", "version": "v1", "path": "a.txt", "sha256": "ab"})
    # Killed here: no save. The journal, with a line torn by the kill, is read back.
    with open(tmp_path / state.JOURNAL_FILE, "a") as handle:
        handle.write('{"id": "ah-12')
    again = state.StateStore(tmp_path).load()
    assert again.documents["ah-1290001"] == state.Written("v1", "a.txt", "ab")
    assert again.fetched_until is None  # the watermark did not move


def test_a_failure_is_kept_until_the_publication_is_written(tmp_path: Path) -> None:
    store = state.StateStore(tmp_path)
    memory = store.load()
    store.note(memory, {"id": "ah-1", "op": "failed", "version": "v", "reason": "HTTP 503", "record": {"identifier": "ah-1"}})
    assert memory.failed["ah-1"]["reason"] == "HTTP 503"
    store.note(memory, {"id": "ah-1", "op": "written", "version": "v", "path": "a.txt", "sha256": "ab"})
    assert not memory.failed


def test_the_watermark_moves_only_over_a_range_that_joins_on() -> None:
    memory = state.FetchState()
    memory.advance(dt.date(1995, 1, 1), dt.date(2000, 12, 31))
    assert memory.fetched_until == dt.date(2000, 12, 31)
    memory.advance(dt.date(2005, 1, 1), dt.date(2006, 1, 1))  # a gap before it: no
    assert memory.fetched_until == dt.date(2000, 12, 31)
    memory.advance(dt.date(2000, 12, 24), dt.date(2010, 1, 1))  # overlapping: yes
    assert memory.fetched_until == dt.date(2010, 1, 1)
    memory.advance(dt.date(1995, 1, 1), dt.date(1996, 1, 1))  # an older range: never back
    assert memory.fetched_until == dt.date(2010, 1, 1)


def test_an_unchanged_state_is_not_rewritten(tmp_path: Path) -> None:
    store = state.StateStore(tmp_path)
    memory = store.load()
    store.save(memory)
    before = (tmp_path / state.STATE_FILE).stat().st_mtime_ns
    store.save(store.load())
    assert (tmp_path / state.STATE_FILE).stat().st_mtime_ns == before


def test_an_unreadable_state_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / state.STATE_FILE).write_text("{ niet af")
    with pytest.raises(CorpusError, match="fetch state .* is unreadable .*move it away"):
        state.StateStore(tmp_path).load()


def test_a_second_fetch_on_the_same_directory_is_refused(tmp_path: Path) -> None:
    with state.locked(tmp_path):
        with pytest.raises(FetchLockedError, match="another kvsearch fetch is running") as caught:
            with state.locked(tmp_path):
                pass
        assert caught.value.exit_code == 75
    with state.locked(tmp_path):  # released when the first ended
        pass


def test_the_state_file_is_hidden_json(tmp_path: Path) -> None:
    store = state.StateStore(tmp_path)
    store.save(store.load())
    assert state.STATE_FILE.startswith(".")
    assert json.loads((tmp_path / state.STATE_FILE).read_text())["format"] == state.FORMAT
