"""One published index generation opened for queries: its searchers, document store and scorers.

Every query stage reads the index through an :class:`OpenGeneration`; :class:`kvsearch.Index`
(kvsearch.query.reader) decides which generation is open and when to move to a newer one.
"""

from __future__ import annotations

import pickle
import sqlite3
import struct
import threading
import zlib
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.filedb.filetables import FileFormatError
from whoosh.reading import CorruptIndexError
from whoosh.searching import Searcher

from ..errors import IndexCorruptError, IndexVersionError, KvsearchError
from ..index import generations, integrity, schema
from ..index.store import DocumentStore
from .scoring import BM25, Bm25

# What reading a truncated or overwritten index file raises (seen with each kind of damage:
# Whoosh's own checks, its pickled and struct-packed headers, SQLite, zlib'd paragraphs, and
# garbage bytes decoded as text).
READ_ERRORS: tuple[type[BaseException], ...] = (
    CorruptIndexError,
    FileFormatError,
    whoosh_index.IndexError,
    pickle.UnpicklingError,
    struct.error,
    sqlite3.DatabaseError,
    zlib.error,
    EOFError,
    UnicodeError,
    OSError,
)


# Where each metadata field's values stand in a document's stored metadata (a JSON list, and
# the key of each item).
_META_PATHS: dict[str, tuple[str, str | None]] = {
    schema.MINISTER: ("$.ministers", "$.name"),
    schema.MINISTRY: ("$.ministers", "$.ministry"),
    schema.SUBMITTER: ("$.submitters", "$.name"),
    schema.PARTY: ("$.submitters", "$.party"),
    schema.SUBJECT: ("$.subjects", None),
}


class OpenGeneration:
    """The readers of one generation. ``searchers`` holds one Whoosh searcher per query mode
    ("syntax": typed words, "text": a pasted question), sharing one reader and differing in
    their BM25 parameters."""

    def __init__(self, index_dir: Path, gen: Path) -> None:
        info = generations.read_info(gen)
        version = info.get("schema_version")
        if version != schema.SCHEMA_VERSION:
            raise IndexVersionError(
                f"index in {index_dir} was built by another version ({version}); run 'kvsearch index'"
            )
        # A stat per file: a missing or truncated file is named now, whichever query would
        # have reached it (overwritten bytes need a full read: 'kvsearch check').
        verification = integrity.verify(gen, checksums=False)
        if verification.damaged:
            raise IndexCorruptError(integrity.repair_hint(integrity.describe(gen, verification.damaged)))
        try:
            ix = whoosh_index.open_dir(str(gen / generations.WHOOSH_DIR))
            words = ix.searcher(weighting=Bm25(B=BM25["syntax"].b, K1=BM25["syntax"].k1))
            # Pasted questions score with their own parameters over the same reader.
            questions = Searcher(words.reader(), weighting=Bm25(B=BM25["text"].b, K1=BM25["text"].k1),
                                 closereader=False)
            store = DocumentStore(gen, readonly=True)
        except KvsearchError:
            raise
        except Exception:  # Whoosh raises many kinds on a damaged index
            raise IndexCorruptError(integrity.diagnose(gen)) from None
        self.path = gen
        self.info: dict[str, Any] = info
        self.searchers = {"syntax": words, "text": questions}
        self.store = store
        self._lock = threading.Lock()
        # kvsearch.query.ranking.PostingScorer per query mode, made on first use (numpy loads then)
        self._numpy_scorers: dict[str, Any] = {}
        self._distinct: dict[str, tuple[str, ...]] = {}

    @property
    def searcher(self) -> Any:
        """The searcher for typed words, also used for counting and term statistics."""
        return self.searchers["syntax"]

    def scorer(self, mode: str) -> Any:
        """The numpy scorer (kvsearch.query.ranking) for a query mode, made on first use."""
        from . import ranking

        with self._lock:
            scorer = self._numpy_scorers.get(mode)
            if scorer is None:
                params = BM25[mode]
                scorer = ranking.PostingScorer(self.searchers[mode], k1=params.k1, b=params.b)
                self._numpy_scorers[mode] = scorer
            return scorer

    def distinct_values(self, fieldname: str) -> tuple[str, ...]:
        """Every distinct value of a metadata field (minister, ministry, submitter, party,
        subject) in this generation's documents, as the files write them; read once."""
        with self._lock:
            cached = self._distinct.get(fieldname)
        if cached is None:
            cached = self.store.distinct(_META_PATHS[fieldname]) if fieldname in _META_PATHS else ()
            with self._lock:
                self._distinct[fieldname] = cached
        return cached

    def diagnose(self, exc: BaseException) -> str | None:
        """Which file of this generation is damaged, when ``exc`` may come from damage; None
        when the generation is intact (the exception is then a bug, not damage)."""
        if isinstance(exc, READ_ERRORS):
            return integrity.diagnose(self.path)
        return integrity.find_damage(self.path)

    def close(self) -> None:
        """Release the index files."""
        for searcher in reversed(list(self.searchers.values())):
            searcher.close()
        self.store.close()
