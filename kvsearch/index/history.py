"""When each document entered this index and when its text last changed, kept across builds.

Alerts (``kvsearch watch run``) report what is new since a watch last ran, so "new" must mean
new to this index, not new to this generation: an incremental update, a ``--full`` rebuild, the
automatic rebuild of a damaged index and a rebuild for a new kvsearch version all write a fresh
generation, and none of them may make the whole archive look new again.

Each generation's store holds a ``history`` table: per document id (removed ones too, so a file
that comes back is not new), the file digest and text digest last seen, and two stamps: when the
document first entered the index and when its text last changed. A stamp is the moment of the
build that saw it (UTC, microseconds, strictly increasing from build to build), so everything a
generation holds is stamped at or before the generation's own stamp (``info.history_stamp``) and
everything a later generation adds after it: a watch that read a generation remembers its stamp
and next time asks for what is newer, whichever builds ran in between.

The table is carried into the next generation with the rest of the store (an update copies it)
or from ``history.sqlite`` beside the generations, which every build replaces atomically just
before it publishes: a full rebuild starts from that file, so a damaged or missing generation
loses no history. Only when both are gone does the history start again, under a new
``history_id``; watches then take a new starting point instead of reporting everything.

"Changed" means the answer's text changed (a corrected answer): a file rewritten with the same
paragraphs (a new header, another fetch of the same answer) is neither new nor changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import sqlite3
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path

from . import generations
from .store import STORE_FILE

SIDE_FILE = "history.sqlite"
STAMP_KEY = "history_stamp"
ID_KEY = "history_id"
_STAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS history (
    doc_id      TEXT PRIMARY KEY,
    digest      TEXT NOT NULL,  -- of the file, as the store's: an unchanged one needs no more
    text_digest TEXT NOT NULL,  -- of the paragraphs: decides whether the text changed
    first_seen  TEXT NOT NULL,
    changed     TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Arrival:
    """A document of a generation that is new or changed after some stamp."""

    doc_id: str
    change: str  # "new" (entered the index after the stamp) or "changed" (its text changed)
    first_seen: str  # stamps: see the module docstring
    changed: str

    @property
    def updated(self) -> str:
        """The stamp of the event that makes it new or changed."""
        return self.first_seen if self.change == "new" else self.changed


@dataclass(frozen=True)
class Arrivals:
    """What a generation holds that is new or changed after ``after``."""

    history_id: str | None  # None: the generation was built before kvsearch kept a history
    stamp: str | None  # the generation's own stamp
    documents: tuple[Arrival, ...]


def to_stamp(moment: dt.datetime) -> str:
    """A moment as a stamp (UTC); a naive datetime is taken as local time."""
    return moment.astimezone(dt.timezone.utc).strftime(_STAMP_FORMAT)


def from_stamp(stamp: str) -> dt.datetime:
    """A stamp as an aware UTC datetime."""
    return dt.datetime.strptime(stamp, _STAMP_FORMAT).replace(tzinfo=dt.timezone.utc)


def record(build: Path, index_dir: Path) -> None:
    """Bring the history of the build in ``build`` up to date and write it beside the
    generations; call when the build's store is complete, just before publishing it."""
    db = sqlite3.connect(build / STORE_FILE, uri=True)
    try:
        carried = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'history'").fetchone() is not None
        db.executescript(_SCHEMA)
        history_id, last = _info(db) if carried else _import(db, index_dir)
        stamp = _next_stamp(db, last)
        _stamp_documents(db, stamp)
        db.executemany("INSERT OR REPLACE INTO info (key, value) VALUES (?, ?)",
                       [(ID_KEY, history_id or uuid.uuid4().hex), (STAMP_KEY, stamp)])
        db.commit()
    finally:
        db.close()
    _write_side_file(build, index_dir)


def arrivals(gen: Path, after: str | None) -> Arrivals:
    """The documents of generation ``gen`` that entered the index or changed after the stamp
    ``after`` (none when it is None), oldest first; removed documents are not listed."""
    db = sqlite3.connect(_uri(gen / STORE_FILE, "mode=ro&immutable=1"), uri=True)
    try:
        history_id, stamp = _info(db)
        if stamp is None or after is None:
            return Arrivals(history_id, stamp, ())
        rows = db.execute(
            "SELECT h.doc_id, h.first_seen, h.changed FROM history h JOIN documents d USING (doc_id)"
            " WHERE h.first_seen > ?1 OR h.changed > ?1 ORDER BY h.changed, h.doc_id",
            (after,),
        ).fetchall()
    finally:
        db.close()
    return Arrivals(history_id, stamp, tuple(
        Arrival(doc_id, "new" if first > after else "changed", first, changed) for doc_id, first, changed in rows
    ))


def _uri(path: Path, options: str) -> str:
    """An SQLite URI for ``path`` (any character in it escaped) with ``options``."""
    return f"{path.absolute().as_uri()}?{options}"


def _info(db: sqlite3.Connection) -> tuple[str | None, str | None]:
    info = dict(db.execute("SELECT key, value FROM info WHERE key IN (?, ?)", (ID_KEY, STAMP_KEY)))
    return info.get(ID_KEY), info.get(STAMP_KEY)


def _import(db: sqlite3.Connection, index_dir: Path) -> tuple[str | None, str | None]:
    """Fill the new store's empty history from the side file, else from the current
    generation; return the history's id and last stamp (None, None when there is none)."""
    for source in (index_dir / SIDE_FILE, _current_store(index_dir)):
        if source is None or not source.is_file():
            continue
        try:
            db.execute("ATTACH DATABASE ? AS source", (_uri(source, "mode=ro"),))
        except sqlite3.Error:
            continue
        try:
            try:
                found = _copy_from_source(db)
            except sqlite3.Error:  # damaged or foreign: try the next source
                db.rollback()
                continue
            if found is not None:
                return found
        finally:
            db.commit()  # DETACH is refused inside a transaction
            db.execute("DETACH DATABASE source")
    return None, None


def _copy_from_source(db: sqlite3.Connection) -> tuple[str | None, str | None] | None:
    tables = {r[0] for r in db.execute("SELECT name FROM source.sqlite_master WHERE type = 'table'")}
    info = dict(db.execute("SELECT key, value FROM source.info")) if "info" in tables else {}
    if "history" in tables and info.get(ID_KEY):
        db.execute("INSERT INTO history SELECT doc_id, digest, text_digest, first_seen, changed FROM source.history")
        return info[ID_KEY], info.get(STAMP_KEY)
    if "documents" in tables and info.get("built_at"):
        # A generation of a kvsearch that kept no history: its documents entered when it was
        # built, at the latest. Their text digests are worked out below, as for changed files.
        built = to_stamp(dt.datetime.fromisoformat(info["built_at"]))
        db.execute("INSERT INTO history SELECT doc_id, digest, '', ?1, ?1 FROM source.documents", (built,))
        return uuid.uuid4().hex, built
    return None


def _current_store(index_dir: Path) -> Path | None:
    try:
        return generations.current_generation(index_dir) / STORE_FILE
    except Exception:  # no index, or a broken CURRENT: nothing to carry over from it
        return None


def _next_stamp(db: sqlite3.Connection, last: str | None) -> str:
    """Now, or just after the newest stamp recorded when the clock says otherwise: stamps must
    grow from build to build (two builds in one clock tick, a clock set back)."""
    now = dt.datetime.now(dt.timezone.utc)
    newest = db.execute("SELECT max(max(first_seen), max(changed)) FROM history").fetchone()[0]
    for stamp in (last, newest):
        if stamp:
            now = max(now, from_stamp(stamp) + dt.timedelta(microseconds=1))
    return to_stamp(now)


def _stamp_documents(db: sqlite3.Connection, stamp: str) -> None:
    """Stamp the documents whose file is new to the history or changed since it was seen."""
    rows = db.execute(
        "SELECT d.doc_id, d.digest, d.paragraphs, h.digest, h.text_digest"
        " FROM documents d LEFT JOIN history h USING (doc_id)"
        " WHERE h.doc_id IS NULL OR h.digest != d.digest OR h.text_digest = ''"
    ).fetchall()
    for doc_id, digest, paragraphs, old_digest, old_text in rows:
        text = hashlib.blake2b(zlib.decompress(paragraphs), digest_size=16).hexdigest()
        if old_text is None:
            db.execute("INSERT INTO history VALUES (?, ?, ?, ?, ?)", (doc_id, digest, text, stamp, stamp))
            continue
        # A row seeded from a generation without history has no text digest: the same file is
        # the same text, another file counts as changed.
        same = old_text == text or (not old_text and old_digest == digest)
        db.execute(
            f"UPDATE history SET digest = ?, text_digest = ?{'' if same else ', changed = ?'} WHERE doc_id = ?",
            (digest, text, doc_id) if same else (digest, text, stamp, doc_id),
        )


def _write_side_file(build: Path, index_dir: Path) -> None:
    """Replace ``history.sqlite`` with the build's history, atomically and durably."""
    tmp = index_dir / (SIDE_FILE + ".tmp")  # a leftover is removed with the other .tmp files
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    db = sqlite3.connect(tmp, uri=True)
    try:
        db.execute("ATTACH DATABASE ? AS build", (_uri(build / STORE_FILE, "mode=ro"),))
        db.executescript(_SCHEMA + "CREATE TABLE info (key TEXT PRIMARY KEY, value TEXT NOT NULL);")
        db.execute("INSERT INTO history SELECT * FROM build.history")
        db.execute("INSERT INTO info SELECT key, value FROM build.info WHERE key IN (?, ?)", (ID_KEY, STAMP_KEY))
        db.commit()
    finally:
        db.close()
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, index_dir / SIDE_FILE)


__all__ = ["Arrival", "Arrivals", "SIDE_FILE", "arrivals", "from_stamp", "record", "to_stamp"]
