"""BM25 over a bag of words, scored straight from the posting lists with numpy.

A pasted question is an OR of some 20-30 stems, and most passages match at least one of them.
Whoosh scores such a query one posting at a time in Python, which took a 30-word question to
1-1.5 s at 80,000 passages and would take ten times that at archive size. Here each term's
posting blocks are decoded whole and added into one score array (term at a time), so the cost
is a few numpy operations per block of 128 postings. The scores are Whoosh's BM25F for the
same terms, boosts and statistics (see :class:`kvsearch.search.Bm25`), so the ranking is the
same; the index format is unchanged.

Per segment, the field lengths and the document keys (which passages belong to one answer
file) are read once from their columns and kept with the searcher.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from . import schema

# Whoosh stores a field length as one byte; this decodes all 256 values at once.
_BYTE_LENGTHS = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)


@dataclass(frozen=True)
class Scored:
    """The scores of every passage (0 = no match) and each passage's document key."""

    scores: np.ndarray
    doc_keys: np.ndarray

    @property
    def matched(self) -> np.ndarray:
        """Docnums of the passages that match, in docnum order."""
        return np.flatnonzero(self.scores > 0)

    def count(self) -> int:
        """How many passages match."""
        return int(np.count_nonzero(self.scores > 0))

    def top(self, n: int) -> list[int]:
        """The ``n`` best docnums, best first (ties in docnum order)."""
        matched = self.matched
        scores = self.scores[matched]
        if len(matched) > n:
            # Everything tied with the n-th best stays in, so ties go by docnum as in Whoosh.
            threshold = np.partition(scores, len(scores) - n)[len(scores) - n]
            keep = scores >= threshold
            matched, scores = matched[keep], scores[keep]
        order = np.lexsort((matched, -scores))[:n]
        return [int(d) for d in matched[order]]

    def documents(self) -> int:
        """How many documents the matching passages belong to."""
        return int(len(np.unique(self.doc_keys[self.scores > 0])))

    def passages_of(self, docnum: int) -> int:
        """How many matching passages share ``docnum``'s document."""
        key = self.doc_keys[docnum]
        return int(np.count_nonzero((self.doc_keys == key) & (self.scores > 0)))


@dataclass
class _Segment:
    reader: Any
    base: int
    size: int
    deleted: np.ndarray | None


class BagScorer:
    """Scores bags of (field, term, boost) over one Whoosh searcher."""

    def __init__(self, searcher: Any, k1: float, b: float) -> None:
        self._searcher = searcher
        self._k1 = k1
        self._b = b
        self._lock = threading.Lock()
        self._segments: list[_Segment] | None = None
        self._lengths: dict[str, np.ndarray] = {}
        self._doc_keys: np.ndarray | None = None
        self._total = searcher.doc_count_all()

    def score(self, terms: list[tuple[str, str, float]], allowed: set[int] | None = None) -> Scored:
        """BM25F scores of the passages for a disjunction of weighted terms.

        ``allowed`` restricts the matches to those docnums (a metadata filter).
        """
        segments = self._load()
        scores = np.zeros(self._total, dtype=np.float64)
        merged: dict[tuple[str, str], float] = {}
        for fieldname, text, boost in terms:
            merged[(fieldname, text)] = merged.get((fieldname, text), 0.0) + boost
        k1, b = self._k1, self._b
        for (fieldname, text), boost in merged.items():
            idf = self._searcher.idf(fieldname, text)
            if idf <= 0:
                continue
            avgfl = self._searcher.avg_field_length(fieldname) or 1.0
            # BM25's length normalisation per passage, precomputed once per field.
            norm = k1 * ((1 - b) + b * self._field_lengths(fieldname) / avgfl)
            weight = idf * boost
            for seg in segments:
                for ids, tfs in _postings(seg.reader, fieldname, text):
                    docs = ids + seg.base
                    scores[docs] += weight * (tfs * (k1 + 1)) / (tfs + norm[docs])
        for seg in segments:
            if seg.deleted is not None:
                scores[seg.base : seg.base + seg.size][seg.deleted] = 0.0
        if allowed is not None:
            mask = np.zeros(self._total, dtype=bool)
            if allowed:
                mask[np.fromiter(allowed, dtype=np.int64, count=len(allowed))] = True
            scores[~mask] = 0.0
        return Scored(scores, self._keys())

    # --- per-segment data, read once --------------------------------------------------------

    def _load(self) -> list[_Segment]:
        with self._lock:
            if self._segments is None:
                segments = []
                for reader, base in self._searcher.reader().leaf_readers():
                    size = reader.doc_count_all()
                    deleted = None
                    if reader.has_deletions():
                        deleted = np.zeros(size, dtype=bool)
                        gone = list(reader.deleted_docs_set)
                        deleted[np.array(gone, dtype=np.int64)] = True
                    segments.append(_Segment(reader, base, size, deleted))
                self._segments = segments
            return self._segments

    def _field_lengths(self, fieldname: str) -> np.ndarray:
        with self._lock:
            cached = self._lengths.get(fieldname)
        if cached is not None:
            return cached
        parts = [
            _BYTE_LENGTHS[_numeric_column(seg.reader, _lenfield(fieldname), LENGTHS_COLUMN, seg.size, ">u1")]
            for seg in self._load()
        ]
        lengths = np.concatenate(parts) if parts else np.zeros(0)
        with self._lock:
            self._lengths[fieldname] = lengths
        return lengths

    def _keys(self) -> np.ndarray:
        if self._doc_keys is None:
            column = self._searcher.schema[schema.DOC_KEY].column_type
            parts = [_numeric_column(seg.reader, schema.DOC_KEY, column, seg.size, ">u8") for seg in self._load()]
            self._doc_keys = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)
        return self._doc_keys


def _numeric_column(reader: Any, colname: str, column: Any, size: int, dtype: str) -> np.ndarray:
    """A fixed-width numeric column of one segment as an array (0 where absent)."""
    out = np.zeros(size, dtype=np.dtype(dtype).newbyteorder("="))
    perdoc = getattr(reader, "_perdoc", None)
    if perdoc is None or not perdoc.has_column(colname):
        return out
    col = perdoc.column_reader(colname, column)
    count = min(int(col._count), size)
    raw = col._dbfile.get(col._basepos, count * col._fixedlen)
    out[:count] = np.frombuffer(raw, dtype=dtype, count=count)
    return out


def _postings(reader: Any, fieldname: str, text: str) -> Any:
    """(ids, term frequencies) per posting block of one term in one segment."""
    terms = getattr(reader, "_terms", None)
    if terms is None:
        return
    key = reader._text_to_bytes(fieldname, text)
    try:
        matcher = terms.matcher(fieldname, key, reader.schema[fieldname].format)
    except (TermNotFound, KeyError):
        return
    if not isinstance(matcher, W3LeafMatcher):
        # Another codec: the slow but general way.
        items = list(matcher.items_as("weight"))
        if items:
            yield (np.array([i for i, _ in items], dtype=np.int64), np.array([w for _, w in items], dtype=np.float64))
        return
    while True:
        matcher._read_data()
        ids, weights = matcher._data[0], matcher._data[1]
        ids = np.asarray(ids, dtype=np.int64)
        if not matcher._byteids:
            ids = np.cumsum(ids)  # stored as gaps
        if weights is None:
            tfs = np.ones(len(ids))
        elif isinstance(weights, float):
            tfs = np.full(len(ids), weights)
        else:
            tfs = np.asarray(weights, dtype=np.float64)
        yield ids, tfs
        if matcher._lastblock:
            return
        matcher._goto(matcher._nextoffset)
