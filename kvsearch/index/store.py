"""The document store of one index generation: metadata and content digest per answer file.

Kept in SQLite beside the Whoosh segments so a hit is rendered from one primary-key lookup, so
metadata is stored once per file instead of once per passage, and so an incremental build can
tell changed files by content digest. It also keeps the questions a file quotes and which
paragraphs answer which (a store written before questions were kept reads as having none).
"""

from __future__ import annotations

import functools
import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import DocumentNotFoundError
from ..models import DocumentMeta, Question, questions_of

STORE_FILE = "documents.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id   TEXT PRIMARY KEY,
    path     TEXT NOT NULL,
    digest   TEXT NOT NULL,
    passages INTEGER NOT NULL,
    meta     TEXT NOT NULL,
    -- The paragraphs as a zlib-compressed JSON list: the index keeps only postings, and a hit's
    -- text is read back from here (a third of the size of Whoosh's stored field).
    paragraphs BLOB NOT NULL,
    -- Size and modification time when indexed: an unchanged pair spares reading the file again.
    size     INTEGER,
    mtime_ns INTEGER,
    -- The questions the file quotes and, per paragraph, the ones it answers, as zlib-compressed
    -- JSON ({"questions": [[label, [paragraph, ...]], ...], "answers_to": [[0, 1], ...]});
    -- NULL for a file that quotes none.
    questions BLOB
);
CREATE INDEX IF NOT EXISTS documents_answer_id ON documents (lower(json_extract(meta, '$.answer_id')));
CREATE INDEX IF NOT EXISTS documents_question_id ON documents (lower(json_extract(meta, '$.question_id')));
CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class Fingerprint:
    """What an incremental build compares a corpus file with: its digest, size and mtime when
    it was indexed (size and mtime are None in stores written before they were recorded)."""

    path: str
    digest: str
    size: int | None
    mtime_ns: int | None


@dataclass(frozen=True)
class StoredDocument:
    """One row of the store: where a document came from, its digest and its metadata."""

    doc_id: str
    path: str
    digest: str
    passages: int
    meta: DocumentMeta
    paragraphs: tuple[str, ...] = ()
    size: int | None = None
    mtime_ns: int | None = None
    questions: tuple[Question, ...] = ()
    answers_to: tuple[tuple[int, ...], ...] = ()


@dataclass(frozen=True)
class StoredQuestions:
    """The questions one document quotes and, per paragraph, the indexes of those it answers
    (see :class:`kvsearch.models.Document`); both empty for a document that quotes none."""

    questions: tuple[Question, ...] = ()
    answers_to: tuple[tuple[int, ...], ...] = ()

    def of(self, paragraph: int) -> tuple[Question, ...]:
        """The questions paragraph ``paragraph`` (numbered from 1) answers."""
        return questions_of(self.questions, self.answers_to, paragraph)


_NO_QUESTIONS = StoredQuestions()


class DocumentStore:
    """SQLite-backed metadata of the documents in one index generation."""

    def __init__(self, directory: Path, *, readonly: bool = False) -> None:
        path = Path(directory) / STORE_FILE
        if readonly:
            # immutable=1: a published generation never changes, so SQLite can skip locking.
            self._db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        else:
            self._db = sqlite3.connect(path, check_same_thread=False)
            # A row (one answer file, its paragraphs compressed) is 2-3 KB: on SQLite's default
            # 4 KB pages most pages held one row and a third of the file was slack
            # (100,000 documents: 328 MB for 240 MB of rows). No effect on an existing file.
            self._db.execute("PRAGMA page_size = 16384")
            self._db.executescript(_SCHEMA)
            columns = self._columns()
            for column, kind in (("size", "INTEGER"), ("mtime_ns", "INTEGER"), ("questions", "BLOB")):
                if column not in columns:  # a store of an earlier build: every file is read once
                    self._db.execute(f"ALTER TABLE documents ADD COLUMN {column} {kind}")
        # A generation written before questions were kept has no such column: none to read.
        self._has_questions = "questions" in self._columns()
        self._meta_cache: dict[str, DocumentMeta] = {}
        # Hits come in runs from few documents: keep the recently decompressed ones.
        self._paragraphs = functools.lru_cache(maxsize=256)(self._read_paragraphs)
        self._questions = functools.lru_cache(maxsize=256)(self._read_questions)

    def _columns(self) -> set[str]:
        return {row[1] for row in self._db.execute("PRAGMA table_info(documents)")}

    def _read_paragraphs(self, doc_id: str) -> tuple[str, ...]:
        row = self._db.execute("SELECT paragraphs FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            return ()
        return tuple(json.loads(zlib.decompress(row[0]).decode("utf-8")))

    def _read_questions(self, doc_id: str) -> StoredQuestions:
        if not self._has_questions:
            return _NO_QUESTIONS
        row = self._db.execute("SELECT questions FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None or row[0] is None:
            return _NO_QUESTIONS
        data = json.loads(zlib.decompress(row[0]).decode("utf-8"))
        return StoredQuestions(
            tuple(Question(label, tuple(paragraphs)) for label, paragraphs in data["questions"]),
            tuple(tuple(answered) for answered in data["answers_to"]),
        )

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def put(self, doc: StoredDocument) -> None:
        """Insert or replace one document's row."""
        self._db.execute(
            "INSERT OR REPLACE INTO documents"
            " (doc_id, path, digest, passages, meta, paragraphs, size, mtime_ns, questions)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc.doc_id,
                doc.path,
                doc.digest,
                doc.passages,
                json.dumps(doc.meta.to_json(), ensure_ascii=False),
                zlib.compress(json.dumps(list(doc.paragraphs), ensure_ascii=False).encode("utf-8"), 6),
                doc.size,
                doc.mtime_ns,
                _packed_questions(doc.questions, doc.answers_to),
            ),
        )

    def set_file_stat(self, doc_id: str, size: int, mtime_ns: int) -> None:
        """Record a new size and mtime for a document whose content is unchanged."""
        self._db.execute("UPDATE documents SET size = ?, mtime_ns = ? WHERE doc_id = ?", (size, mtime_ns, doc_id))

    def delete(self, doc_ids: Iterable[str]) -> None:
        """Remove documents by id."""
        self._db.executemany("DELETE FROM documents WHERE doc_id = ?", [(d,) for d in doc_ids])

    def commit(self) -> None:
        """Make the changes durable."""
        self._db.commit()

    def set_info(self, key: str, value: str) -> None:
        """Record one piece of build information (schema version, build time, ...)."""
        self._db.execute("INSERT OR REPLACE INTO info (key, value) VALUES (?, ?)", (key, value))

    def info(self) -> dict[str, str]:
        """All recorded build information."""
        return dict(self._db.execute("SELECT key, value FROM info"))

    def meta(self, doc_id: str) -> DocumentMeta | None:
        """The metadata of one document, or None if it is not in the store."""
        cached = self._meta_cache.get(doc_id)
        if cached is not None:
            return cached
        row = self._db.execute("SELECT meta FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        meta = DocumentMeta.from_json(json.loads(row[0]))
        if len(self._meta_cache) > 10_000:
            self._meta_cache.clear()
        self._meta_cache[doc_id] = meta
        return meta

    def paragraphs(self, doc_id: str) -> tuple[str, ...]:
        """The paragraphs of one document, in order (empty if it is not in the store)."""
        return self._paragraphs(doc_id)

    def paragraph(self, doc_id: str, number: int) -> str:
        """Paragraph ``number`` (from 1) of one document, or "" if there is none."""
        paragraphs = self._paragraphs(doc_id)
        return paragraphs[number - 1] if 0 < number <= len(paragraphs) else ""

    def questions(self, doc_id: str) -> StoredQuestions:
        """The questions one document quotes and which paragraphs answer them (none when it
        quotes none, is not in the store, or the store predates questions)."""
        return self._questions(doc_id)

    def resolve(self, key: str) -> str | None:
        """Find a document id from a doc id, an official question or answer id, or the file's name
        without its folders (``sgd-0000000417-1`` or ``sgd-0000000417-1.txt`` for
        ``sgd-historical/sgd-0000000417-1``).

        Raises DocumentNotFoundError when the name is that of files in several folders.
        """
        row = self._db.execute("SELECT doc_id FROM documents WHERE doc_id = ?", (key,)).fetchone()
        if row is None:
            row = self._db.execute(
                "SELECT doc_id FROM documents WHERE lower(json_extract(meta, '$.answer_id')) = lower(?)"
                " OR lower(json_extract(meta, '$.question_id')) = lower(?) ORDER BY doc_id LIMIT 1",
                (key, key),
            ).fetchone()
        if row is None:
            return self._resolve_name(key.removesuffix(".txt").strip("/"))
        return row[0]

    def _resolve_name(self, name: str) -> str | None:
        """The document whose path ends in ``name`` (one or more trailing path parts)."""
        if not name:
            return None
        found = [
            doc_id
            for (doc_id,) in self._db.execute(
                "SELECT doc_id FROM documents WHERE doc_id = ? OR substr(doc_id, -?) = ? ORDER BY doc_id",
                (name, len(name) + 1, "/" + name),
            )
        ]
        if len(found) > 1:
            shown = ", ".join(found[:5]) + (f" and {len(found) - 5} more" if len(found) > 5 else "")
            raise DocumentNotFoundError(f"{name!r} is the name of {len(found)} documents: {shown}; give its folder too")
        return found[0] if found else None

    def rows(self) -> Iterator[StoredDocument]:
        """Every document of the store, in doc id order."""
        for doc_id, path, digest, passages, meta in self._db.execute(
            "SELECT doc_id, path, digest, passages, meta FROM documents ORDER BY doc_id"
        ):
            yield StoredDocument(doc_id, path, digest, passages, DocumentMeta.from_json(json.loads(meta)))

    def fingerprints(self) -> dict[str, Fingerprint]:
        """doc_id -> its fingerprint, for deciding what an incremental build must redo."""
        return {
            d: Fingerprint(p, h, n, t)
            for d, p, h, n, t in self._db.execute("SELECT doc_id, path, digest, size, mtime_ns FROM documents")
        }

    def distinct(self, path: tuple[str, str | None]) -> tuple[str, ...]:
        """The distinct non-empty values at ``path`` in the documents' metadata: a JSON list
        and the key of its items (None: the items themselves), e.g. ("$.ministers", "$.name")."""
        items, key = path
        if key:
            sql = "SELECT DISTINCT json_extract(item.value, ?) FROM documents, json_each(documents.meta, ?) AS item"
            params: tuple[str, ...] = (key, items)
        else:
            sql = "SELECT DISTINCT item.value FROM documents, json_each(documents.meta, ?) AS item"
            params = (items,)
        rows = self._db.execute(sql + " ORDER BY 1", params)
        return tuple(v for (v,) in rows if isinstance(v, str) and v.strip())

    def counts(self) -> tuple[int, int]:
        """(documents, passages) in the store."""
        docs, passages = self._db.execute("SELECT count(*), coalesce(sum(passages), 0) FROM documents").fetchone()
        return int(docs), int(passages)


def _packed_questions(questions: tuple[Question, ...], answers_to: tuple[tuple[int, ...], ...]) -> bytes | None:
    """The questions column of one row (see the table), None when there are no questions."""
    if not questions:
        return None
    data = {"questions": [[q.label, list(q.paragraphs)] for q in questions], "answers_to": [list(a) for a in answers_to]}
    return zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"), 6)
