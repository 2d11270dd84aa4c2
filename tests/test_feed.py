"""kvsearch.watch.feed: the Atom entry of a reported passage."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import feedparser

from kvsearch.index.history import to_stamp
from kvsearch.models import DocumentMeta, Hit
from kvsearch.watch.feed import write_feed
from kvsearch.watch.report import WatchHit
from kvsearch.watch.watches import Watch

META = DocumentMeta(doc_id="koop/ah-tk-20242025-370", answer_url="https://zoek.officielebekendmakingen.nl/ah-tk-20242025-370.html")
TEXT = "Het antwoord op deze vraag vergt nadere uitwerking en besluitvorming van het kabinet."


def entry_content(tmp_path: Path, question: str | None) -> str:
    hit = Hit(META.doc_id, 2, 1.0, TEXT, (), META, 0, question)
    stamp = to_stamp(dt.datetime(2026, 12, 2, 6, 0, 0, 123456, tzinfo=dt.timezone.utc))
    path = tmp_path / "stikstof.atom"
    write_feed(path, Watch("stikstof", "Stikstoffonds"), [WatchHit(hit, "new", stamp, stamp)], stamp)
    feed = feedparser.parse(str(path))
    assert not feed.bozo
    assert feed.entries[0].updated == "2026-12-02T06:00:00.123456Z"  # to the microsecond
    return str(feed.entries[0].content[0].value)


def test_an_entry_carries_the_question_under_its_own_label(tmp_path: Path) -> None:
    grouped = "Vraag 2: Kunt u aangeven met welke hoeveelheid?\nVraag 3: Komt de 25 miljard euro bovenop?"
    content = entry_content(tmp_path, grouped)
    assert "Vraag 2: Kunt u aangeven" in content and "Vraag: Vraag" not in content
    assert "Vraag: Bent u bekend met het bericht?" in entry_content(tmp_path, "Bent u bekend met het bericht?")
    assert "Vraag" not in entry_content(tmp_path, None) and TEXT in entry_content(tmp_path, None)
