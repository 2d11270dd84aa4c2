"""When documents entered the index and when their text changed: kept across every kind of build."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

import kvsearch
from kvsearch.index import generations, history

from .conftest import FIXTURES, REPO

CHANGED_FILE = "2021/ah-tk-20202021-1001.txt"
NEW_FILE = "2021/ah-tk-20202021-1003.txt"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(FIXTURES, root)
    shutil.copy(REPO / "corpus" / "kv-2020Z25656.txt", root / "kv-2020Z25656.txt")
    return root


def build(corpus: Path, index: Path, **kwargs: object) -> history.Arrivals:
    """Build and return the new generation's history: everything in it, and its stamp."""
    kvsearch.build_index(corpus, index, **kwargs)  # type: ignore[arg-type]
    return history.arrivals(generations.current_generation(index), "")


def since(index: Path, stamp: str | None) -> dict[str, str]:
    """doc id -> "new" or "changed" for what the current generation holds after ``stamp``."""
    return {a.doc_id: a.change for a in history.arrivals(generations.current_generation(index), stamp).documents}


def add_answer(corpus: Path) -> None:
    text = (corpus / "2021/ah-tk-20202021-1002.txt").read_text(encoding="utf-8")
    (corpus / NEW_FILE).write_text(text.replace("camera’s", "bodycams"), encoding="utf-8")


def correct_answer(corpus: Path) -> None:
    path = corpus / CHANGED_FILE
    path.write_text(path.read_text(encoding="utf-8") + "Correctie: de toeslag wordt in 2025 herzien.\n", encoding="utf-8")


def test_an_update_stamps_only_new_and_corrected_answers(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = build(corpus, index)
    assert first.history_id and first.stamp
    assert {a.change for a in first.documents} == {"new"} and len(first.documents) == 9
    second = build(corpus, index)  # nothing changed: nothing new, but a newer stamp
    assert second.history_id == first.history_id and second.stamp > first.stamp  # type: ignore[operator]
    assert since(index, first.stamp) == {}
    add_answer(corpus)
    correct_answer(corpus)
    build(corpus, index)
    assert since(index, second.stamp) == {"2021/ah-tk-20202021-1003": "new", "2021/ah-tk-20202021-1001": "changed"}


def test_a_rewritten_file_with_the_same_answer_is_not_changed(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = build(corpus, index)
    path = corpus / CHANGED_FILE
    # Another fetch of the same answer: the header says more, the paragraphs are the same.
    path.write_text(path.read_text(encoding="utf-8").replace("werk sociale zekerheid", "werk; sociale zekerheid"),
                    encoding="utf-8")
    report = kvsearch.build_index(corpus, index)
    assert report.changed == 1  # re-indexed ...
    assert since(index, first.stamp) == {}  # ... but neither new nor changed


@pytest.mark.parametrize("rebuild", ["full", "damaged store", "no generation left", "no side file"])
def test_a_rebuild_keeps_when_each_answer_came_in(corpus: Path, tmp_path: Path, rebuild: str) -> None:
    index = tmp_path / "index"
    first = build(corpus, index)
    gen = generations.current_generation(index)
    if rebuild == "damaged store":
        data = bytearray((gen / "documents.sqlite").read_bytes())
        data[len(data) // 2] ^= 0xFF
        (gen / "documents.sqlite").write_bytes(bytes(data))
    elif rebuild == "no generation left":
        shutil.rmtree(gen)
    elif rebuild == "no side file":
        (index / history.SIDE_FILE).unlink()
    add_answer(corpus)
    after = build(corpus, index, full=rebuild == "full" or rebuild == "no side file")
    assert after.history_id == first.history_id
    assert since(index, first.stamp) == {"2021/ah-tk-20202021-1003": "new"}


def test_an_answer_removed_and_back_again_is_not_new(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build(corpus, index)
    kept = tmp_path / "kept.txt"
    shutil.move(corpus / CHANGED_FILE, kept)
    gone = build(corpus, index)
    shutil.move(kept, corpus / CHANGED_FILE)
    build(corpus, index)
    assert since(index, gone.stamp) == {}


def test_with_every_record_lost_the_history_starts_again_under_a_new_id(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = build(corpus, index)
    shutil.rmtree(generations.current_generation(index))
    (index / history.SIDE_FILE).unlink()
    again = build(corpus, index)
    # Watches see the new id and take a new starting point rather than report everything.
    assert again.history_id != first.history_id


def test_an_index_from_before_the_history_counts_its_answers_as_there_when_it_was_built(
    corpus: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    build(corpus, index)
    (index / history.SIDE_FILE).unlink()
    gen = generations.current_generation(index)
    db = sqlite3.connect(gen / "documents.sqlite")
    db.execute("DROP TABLE history")
    db.execute("DELETE FROM info WHERE key LIKE 'history%'")
    db.commit()
    db.close()
    built_at = history.to_stamp(dt.datetime.fromisoformat(generations.read_info(gen)["built_at"]))
    add_answer(corpus)
    upgraded = build(corpus, index)
    assert upgraded.history_id
    assert since(index, built_at) == {"2021/ah-tk-20202021-1003": "new"}


def test_stamps_grow_even_when_the_clock_goes_back(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    index = tmp_path / "index"
    first = build(corpus, index)

    class Past(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
            return dt.datetime(2001, 1, 1, tzinfo=dt.timezone.utc)

    monkeypatch.setattr(history.dt, "datetime", Past)
    add_answer(corpus)
    second = build(corpus, index)
    assert second.stamp > first.stamp  # type: ignore[operator]
    assert since(index, first.stamp) == {"2021/ah-tk-20202021-1003": "new"}
