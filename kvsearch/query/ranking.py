"""BM25 scored straight from the posting lists with numpy, for the queries people type most.

A pasted question is an OR of some 20-30 stems, and most passages match at least one of them.
Whoosh scores such a query one posting at a time in Python, which took a 30-word question to
1-1.5 s at 80,000 passages. Here each term's posting blocks are decoded whole into arrays of
docnums and scores, so the cost is a few numpy operations per block. A pasted question adds
its terms into one dense score array; a typed query keeps each node sparse (sorted docnums and
their scores), so AND, OR and NOT are merges of arrays the size of the posting lists rather
than of the whole index (a 3-word query at 800,000 passages: 28 -> 14 ms). Metadata filters
and date ranges are masks over every passage.

The scores are exactly Whoosh's BM25F for the same terms, boosts and statistics (see
:class:`kvsearch.search.Bm25`), quirks included, so rankings, totals and per-document counts
are the same as Whoosh's own search (tests/test_ranking.py runs both side by side). A phrase
is the AND of its words where their decoded positions follow each other, scored as Whoosh
scores it (the sum of its words' scores): "Europese Commissie" at 800,000 passages went from
0.8 s to 31 ms. Queries with wildcards, fuzzy terms or inline name fields are left to Whoosh.

This reads whoosh3's posting blocks and columns below its public API (the W3 codec, pinned
to whoosh3 3.x); any other codec falls back to the general matcher interface.
Per segment, the field lengths, dates and document keys are read once and kept.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from ..index import schema
from . import scoring

# Whoosh stores a field length as one byte; this decodes all 256 values at once.
_BYTE_LENGTHS = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)


# A node of a query tree, sparse: the docnums it matches (sorted, unique) and their scores.
# Keyword queries match a few thousand of 800,000 passages; dense score arrays per term cost
# them most of their time (allocating, scattering into and masking 6 MB per term).
Sparse = tuple[np.ndarray, np.ndarray]
_NO_DOCS = np.zeros(0, dtype=np.int64)
_NO_SCORES = np.zeros(0, dtype=np.float64)


@dataclass(frozen=True)
class Scored:
    """Which passages match (sorted docnums), their scores, and every passage's document key."""

    docs: np.ndarray
    scores: np.ndarray
    doc_keys: np.ndarray

    def count(self) -> int:
        """How many passages match."""
        return int(len(self.docs))

    def top(self, n: int, exclude: Scored | None = None) -> list[tuple[int, float]]:
        """The ``n`` best (docnum, score), best first (ties in docnum order), skipping the
        passages ``exclude`` matches."""
        docs, scores = self.docs, self.scores
        if exclude is not None and len(exclude.docs):
            keep = ~_contains(exclude.docs, docs)
            docs, scores = docs[keep], scores[keep]
        if len(docs) > n:
            # Everything tied with the n-th best stays in, so ties go by docnum as in Whoosh.
            threshold = np.partition(scores, len(scores) - n)[len(scores) - n]
            keep = scores >= threshold
            docs, scores = docs[keep], scores[keep]
        order = np.lexsort((docs, -scores))[:n]
        return [(int(d), float(s)) for d, s in zip(docs[order], scores[order])]

    def by_date(self, dates: np.ndarray, *, newest: bool, exclude: Scored | None = None,
                by_score: bool = True) -> Iterator[tuple[int, float]]:
        """Every (docnum, score), newest or oldest answer first, undated ones (0 in ``dates``,
        see PostingScorer.column) last, the same date by score (or in passage order without
        ``by_score``); skipping the passages ``exclude`` matches."""
        docs, scores = self.docs, self.scores
        if exclude is not None and len(exclude.docs):
            keep = ~_contains(exclude.docs, docs)
            docs, scores = docs[keep], scores[keep]
        when = dates[docs].astype(np.int64)
        # np.lexsort sorts by its last key first.
        order = np.lexsort((docs, -scores if by_score else np.zeros(len(docs)), -when if newest else when, when == 0))
        return zip(docs[order].tolist(), scores[order].tolist())  # lazily: a page needs a few

    @functools.cached_property
    def _per_document(self) -> tuple[np.ndarray, np.ndarray]:
        # The matching passages' document keys, once: sorted unique keys and their counts.
        return np.unique(self.doc_keys[self.docs], return_counts=True)  # type: ignore[no-any-return]

    def documents(self) -> int:
        """How many documents the matching passages belong to."""
        return int(len(self._per_document[0]))

    def passages_of(self, docnum: int) -> int:
        """How many matching passages share ``docnum``'s document."""
        keys, counts = self._per_document
        i = int(np.searchsorted(keys, self.doc_keys[docnum]))
        return int(counts[i]) if i < len(keys) and keys[i] == self.doc_keys[docnum] else 0


@dataclass
class _Segment:
    reader: Any
    base: int
    size: int


# Fields whose terms are scored here (the name fields: a typed word also matches a minister's
# or member's name, kvsearch.query.parse.word_query); a query touching any other field (an
# inline ``partij:``) is left to Whoosh, whose scoring of those fields is its own.
_SCORED_FIELDS = frozenset({schema.TEXT, schema.EXACT, schema.QUESTION, schema.MINISTER, schema.SUBMITTER})
_NAME_FIELDS = frozenset({schema.MINISTER, schema.SUBMITTER})
# Date fields read from their columns: a range over them is a mask, not thousands of terms.
_DATE_COLUMNS = frozenset({schema.ANSWERED, schema.SUBMITTED})


class PostingScorer:
    """Scores queries made of terms, AND, OR, NOT and date ranges over one Whoosh searcher,
    exactly as Whoosh's BM25F would (see kvsearch.search.Bm25)."""

    def __init__(self, searcher: Any, k1: float, b: float) -> None:
        self._searcher = searcher
        self._k1 = k1
        self._b = b
        self._lock = threading.Lock()
        self._segments: list[_Segment] | None = None
        self._deleted: np.ndarray | None = None
        self._norms: dict[str, np.ndarray] = {}
        self._columns: dict[str, np.ndarray] = {}
        self._name_terms: dict[str, frozenset[str]] = {}
        self._doc_keys: np.ndarray | None = None
        self._total = searcher.doc_count_all()

    def score(self, terms: list[tuple[str, str, float]], allowed: np.ndarray | None = None) -> Scored:
        """BM25F scores of the passages for a disjunction of weighted terms (a pasted question).

        ``allowed`` (a mask over docnums) restricts the matches, as a metadata filter does.
        A pasted question's terms cover most passages, so they are added into one dense array.
        """
        merged: dict[tuple[str, str], float] = {}
        for fieldname, text, boost in terms:
            merged[(fieldname, text)] = merged.get((fieldname, text), 0.0) + boost
        scores = np.zeros(self._total, dtype=np.float64)
        for (fieldname, text), boost in merged.items():
            docs, term_scores = self._term(fieldname, text, boost)
            scores[docs] += term_scores
        docs = np.flatnonzero(scores > 0)
        return self._finish((docs, scores[docs]), allowed)

    def evaluate(self, q: wq.Query, allowed: np.ndarray | None = None,
                 memo: dict[tuple[str, str, float], Sparse] | None = None) -> Scored | None:
        """Scores for a query tree, or None when it uses something only Whoosh can score.

        ``memo`` keeps each term's scores for the next call (the relaxed form of the same query).
        """
        node = self._node(q, 1.0, {} if memo is None else memo)
        if node is None:
            return None
        return self._finish(node, allowed)

    def mask(self, q: wq.Query) -> np.ndarray:
        """The docnums a (filter) query matches, as a mask."""
        if type(q) is wq.And:
            # Clause by clause: one that only Whoosh can run would otherwise take the whole
            # filter to Whoosh's matcher tree.
            out = np.ones(self._total, dtype=bool)
            for clause in q.subqueries:
                out &= self.mask(clause)
            return out
        ids = _document_ids(q)
        if ids is not None:
            # Some documents by id (an alert's new ones): by the document-key column, not by
            # an OR of hundreds of doc-id terms in Whoosh (0.3 s at 80,000 passages).
            return np.isin(self._keys(), np.array([schema.doc_key(d) for d in ids], dtype=np.uint64))
        out = np.zeros(self._total, dtype=bool)
        node = self._node(q, 1.0, {})
        if node is not None:
            out[node[0]] = True
            return out
        docs = list(self._searcher.docs_for_query(q))
        if docs:
            out[np.array(docs, dtype=np.int64)] = True
        return out

    def _finish(self, node: Sparse, allowed: np.ndarray | None) -> Scored:
        docs, scores = node
        self._load()
        keep = None
        if self._deleted is not None:
            keep = ~self._deleted[docs]
        if allowed is not None:
            keep = allowed[docs] if keep is None else keep & allowed[docs]
        if keep is not None:
            docs, scores = docs[keep], scores[keep]
        return Scored(docs, scores * self._prior()[docs], self._keys())

    def _node(self, q: wq.Query, boost: float, memo: dict[tuple[str, str, float], Sparse]) -> Sparse | None:
        boost *= getattr(q, "boost", 1.0)
        kind = type(q)
        if kind is wq.ConstantScoreQuery:
            # Metadata fields: the child's matches, scored as a constant. Whoosh's matcher for
            # it turns a constant of 0 into 1 (a falsy default); same here, so the scores stay
            # equal (the order is the same either way: every match gets it).
            child = self._node(q.child, 1.0, memo)
            docs = np.flatnonzero(self.mask(q.child)) if child is None else child[0]
            return docs, np.full(len(docs), (q.score or 1.0) * boost)
        if kind is wq.Term:
            if q.fieldname not in _SCORED_FIELDS:
                return None
            key = (q.fieldname, q.text, boost)
            if key not in memo:
                memo[key] = self._term(q.fieldname, q.text, boost)
            return memo[key]
        if kind is wq.Or and not getattr(q, "scale", None):
            parts = [self._node(c, boost, memo) for c in q.subqueries]
            if not parts or any(p is None for p in parts):
                return None
            return _union(parts)  # type: ignore[arg-type]
        if kind in (wq.And, wq.AndNot):
            positive = list(q.subqueries) if kind is wq.And else [q.a]
            negative = [c.query for c in positive if type(c) is wq.Not]
            if kind is wq.AndNot:
                negative.append(q.b)
            positive = [c for c in positive if type(c) is not wq.Not]
            parts = [self._node(c, boost, memo) for c in positive]
            excluded = [self._node(c, 1.0, memo) for c in negative]
            if not parts or any(p is None for p in parts) or any(e is None for e in excluded):
                return None
            docs, scores = _intersection(parts)  # type: ignore[arg-type]
            for e in excluded:
                keep = ~_contains(e[0], docs)  # type: ignore[index]
                docs, scores = docs[keep], scores[keep]
            if kind is wq.And:
                # Whoosh's matcher for a NOT inside an AND scores its boost on every passage
                # it lets through; kept, so the ranking stays the same.
                scores = scores + sum(c.boost for c in q.subqueries if type(c) is wq.Not) * boost
            return docs, scores
        if kind is wq.Phrase:
            if q.fieldname not in _SCORED_FIELDS or q.slop != 1 or not q.words:
                return None
            return self._phrase(q.fieldname, list(q.words), boost, memo)
        if kind is wq.NumericRange and q.fieldname in _DATE_COLUMNS:
            values = self.column(q.fieldname)
            mask = values > 0
            if q.start is not None:
                mask &= values > q.start if q.startexcl else values >= q.start
            if q.end is not None:
                mask &= values < q.end if q.endexcl else values <= q.end
            # Whoosh scores a numeric range as a constant (its boost).
            docs = np.flatnonzero(mask)
            return docs, np.full(len(docs), boost)
        return None

    def _phrase(self, fieldname: str, words: list[str], boost: float, memo: dict[Any, Any]) -> Sparse | None:
        """The passages with ``words`` at consecutive positions, scored as Whoosh scores a
        phrase: the sum of its words' scores (each word once per occurrence in the phrase)."""
        parts = []
        for word in words:
            key = (fieldname, word, boost)
            if key not in memo:
                memo[key] = self._term(fieldname, word, boost)
            parts.append(memo[key])
        docs, scores = _intersection(parts)
        if not len(docs):
            return docs, scores
        starts: np.ndarray | None = None
        for offset, word in enumerate(words):
            key = ("positions", fieldname, word)
            if key not in memo:
                memo[key] = self._positions(fieldname, word)
            found = memo[key]
            if found is None:
                return None  # positions in a layout only Whoosh reads
            keys = found[_contains(docs, found >> 32)]
            # A phrase matches where word i sits i positions after the first word.
            starts = keys if starts is None else starts[_contains(keys, starts + offset)]
        matched = np.unique(starts >> 32)  # type: ignore[operator]
        keep = _contains(matched, docs)
        return docs[keep], scores[keep]

    def _positions(self, fieldname: str, text: str) -> np.ndarray | None:
        """Every occurrence of a term as docnum << 32 | position, ascending."""
        out = []
        for seg in self._load():
            found = _positions(seg.reader, fieldname, text)
            if found is None:
                return None
            docs, positions = found
            out.append(((docs + seg.base) << 32) | positions)
        return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)

    def _term(self, fieldname: str, text: str, boost: float) -> Sparse:
        """BM25F scores of the passages that contain one term."""
        if fieldname in _NAME_FIELDS and text not in self._names(fieldname):
            # Most typed words are nobody's name: no postings to look for in each segment.
            return _NO_DOCS, _NO_SCORES
        idf = self._searcher.idf(fieldname, text)
        if idf <= 0:
            return _NO_DOCS, _NO_SCORES
        k1 = self._k1
        norm = self._norm(fieldname)
        weight = idf * boost
        all_docs, all_scores = [], []
        for seg in self._load():
            postings = _postings(seg.reader, fieldname, text)
            if postings is not None:
                ids, tfs = postings
                docs = ids + seg.base
                all_docs.append(docs)
                all_scores.append(weight * (tfs * (k1 + 1)) / (tfs + norm[docs]))
        if not all_docs:
            return _NO_DOCS, _NO_SCORES
        if len(all_docs) == 1:
            return all_docs[0], all_scores[0]
        # Segments are in docnum order, so the concatenation is sorted.
        return np.concatenate(all_docs), np.concatenate(all_scores)

    # --- per-segment data, read once --------------------------------------------------------

    def _load(self) -> list[_Segment]:
        with self._lock:
            if self._segments is None:
                segments = []
                deleted = None
                for reader, base in self._searcher.reader().leaf_readers():
                    size = reader.doc_count_all()
                    if reader.has_deletions():
                        if deleted is None:
                            deleted = np.zeros(self._total, dtype=bool)
                        gone = np.array(list(reader.deleted_docs_set), dtype=np.int64)
                        deleted[gone + base] = True
                    segments.append(_Segment(reader, base, size))
                self._deleted = deleted
                self._segments = segments
            return self._segments

    def _names(self, fieldname: str) -> frozenset[str]:
        """Every term of a name field (a few thousand surnames and first names), read once."""
        with self._lock:
            cached = self._name_terms.get(fieldname)
        if cached is None:
            cached = frozenset(self._searcher.reader().field_terms(fieldname))
            with self._lock:
                self._name_terms[fieldname] = cached
        return cached

    def _lengths(self, fieldname: str) -> np.ndarray:
        """Every passage's length of one field, as Whoosh stores it (one byte, decoded)."""
        parts = [
            _BYTE_LENGTHS[_numeric_column(seg.reader, _lenfield(fieldname), LENGTHS_COLUMN, seg.size, ">u1")]
            for seg in self._load()
        ]
        return np.concatenate(parts) if parts else np.zeros(0)

    def _prior(self) -> np.ndarray:
        """Every passage's length prior (kvsearch.query.scoring.length_prior), computed once."""
        with self._lock:
            cached = self._norms.get("prior")
        if cached is not None:
            return cached
        # As scoring.length_prior does for one passage.
        words = np.maximum(self._lengths(scoring.PRIOR_FIELD), 1.0)
        short = scoring.SHORT_PASSAGE_WORDS
        prior = np.where(words >= short, 1.0, (np.minimum(words, short) / max(short, 1)) ** scoring.SHORT_PASSAGE_POWER)
        with self._lock:
            self._norms["prior"] = prior
        return prior

    def _norm(self, fieldname: str) -> np.ndarray:
        """BM25's length normalisation of every passage for one field, computed once."""
        with self._lock:
            cached = self._norms.get(fieldname)
        if cached is not None:
            return cached
        lengths = self._lengths(fieldname)
        avgfl = self._searcher.avg_field_length(fieldname) or 1.0
        norm = self._k1 * ((1 - self._b) + self._b * lengths / avgfl)
        with self._lock:
            self._norms[fieldname] = norm
        return norm

    def column(self, fieldname: str) -> np.ndarray:
        """A sortable 32-bit numeric field (the dates) of every passage, 0 where absent."""
        with self._lock:
            cached = self._columns.get(fieldname)
        if cached is not None:
            return cached
        column = self._searcher.schema[fieldname].column_type
        parts = [_numeric_column(seg.reader, fieldname, column, seg.size, ">u4") for seg in self._load()]
        values = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint32)
        # Whoosh writes the field's default (the largest value) for a passage without one, up to
        # the last that has one; past it the column ends (0 above). Absent is 0 either way, or
        # an open range ("2021..") would let undated answers through.
        values[values == np.iinfo(np.uint32).max] = 0
        with self._lock:
            self._columns[fieldname] = values
        return values

    def _keys(self) -> np.ndarray:
        if self._doc_keys is None:
            column = self._searcher.schema[schema.DOC_KEY].column_type
            parts = [_numeric_column(seg.reader, schema.DOC_KEY, column, seg.size, ">u8") for seg in self._load()]
            self._doc_keys = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)
        return self._doc_keys


def _document_ids(q: wq.Query) -> list[str] | None:
    """The doc ids of a query that matches documents by id alone (a Term or an OR of them)."""
    clauses = q.subqueries if type(q) is wq.Or else [q]
    if clauses and all(type(c) is wq.Term and c.fieldname == schema.DOC_ID for c in clauses):
        return [c.text for c in clauses]
    return None


def _contains(members: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """Which of ``docs`` are in the sorted array ``members``."""
    if not len(members) or not len(docs):
        return np.zeros(len(docs), dtype=bool)
    at = np.searchsorted(members, docs)
    at[at == len(members)] = 0
    return members[at] == docs  # type: ignore[no-any-return]


def _union(parts: list[Sparse]) -> Sparse:
    """OR: every doc any child matches, its children's scores summed in child order."""
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return _NO_DOCS, _NO_SCORES
    if len(parts) == 1:
        return parts[0]
    docs = np.concatenate([p[0] for p in parts])
    scores = np.concatenate([p[1] for p in parts])
    order = np.argsort(docs, kind="stable")  # stable: each doc's scores stay in child order
    docs, scores = docs[order], scores[order]
    starts = np.flatnonzero(np.concatenate(([True], docs[1:] != docs[:-1])))
    return docs[starts], np.add.reduceat(scores, starts)


def _intersection(parts: list[Sparse]) -> Sparse:
    """AND: the docs every child matches, their children's scores summed in child order."""
    common = min((p[0] for p in parts), key=len)
    for docs, _ in parts:
        common = common[_contains(docs, common)]
    scores = np.zeros(len(common), dtype=np.float64)
    for docs, child_scores in parts:
        scores += child_scores[np.searchsorted(docs, common)]
    return common, scores


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


_PACKED_INTS = {ord(code): np.dtype(f"<u{width}") for code, width in (("B", 1), ("H", 2), ("I", 4))}


def _ints(data: Any) -> np.ndarray:
    if isinstance(data, bytes):  # kvsearch.codec.pack_ints
        return np.frombuffer(data, dtype=_PACKED_INTS[data[0]], offset=1)
    return np.asarray(data)


def _matcher(reader: Any, fieldname: str, text: str) -> Any:
    """Whoosh's posting matcher of a term in one segment, or None when the term is absent."""
    terms = getattr(reader, "_terms", None)
    if terms is None:
        raise TypeError("not a W3 segment reader")
    try:
        return terms.matcher(fieldname, reader._text_to_bytes(fieldname, text), reader.schema[fieldname].format)
    except (TermNotFound, KeyError):
        return None


def _blocks(matcher: Any) -> Iterator[tuple[Any, Any, Any]]:
    """Each posting block of a W3 matcher, raw: (ids, weights, values)."""
    while True:
        matcher._read_data()
        yield matcher._data
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)


def _docnums(gaps: list[np.ndarray], last_ids: list[int]) -> np.ndarray:
    """Docnums from the blocks' id gaps. Each block's ids are gaps from the block's own start
    (its first is absolute): the first becomes a gap from the previous block's last id, then
    one running sum decodes them all."""
    docs = np.concatenate(gaps).astype(np.int64)
    if len(gaps) > 1:
        starts = np.cumsum([len(g) for g in gaps[:-1]])
        docs[starts] -= np.array(last_ids[:-1], dtype=np.int64)
    return np.cumsum(docs)


def _is_w3(matcher: Any) -> bool:
    return isinstance(matcher, W3LeafMatcher) and not matcher._byteids


def _postings(reader: Any, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray] | None:
    """(docnums, term frequencies) of one term in one segment, read a block at a time but
    decoded by numpy in one go."""
    try:
        matcher = _matcher(reader, fieldname, text)
    except TypeError:
        return None
    if matcher is None:
        return None
    if not _is_w3(matcher):
        # Another codec: the slow but general way.
        items = list(matcher.items_as("weight"))
        if not items:
            return None
        return (np.array([i for i, _ in items], dtype=np.int64), np.array([w for _, w in items], dtype=np.float64))
    gaps: list[np.ndarray] = []
    tfs: list[np.ndarray] = []
    last_ids: list[int] = []
    for ids, weights, _ in _blocks(matcher):
        block = _ints(ids)
        gaps.append(block)
        if weights is None:
            tfs.append(np.ones(len(block)))
        elif isinstance(weights, float):
            tfs.append(np.full(len(block), weights))
        else:
            tfs.append(_ints(weights))
        last_ids.append(matcher._maxid)
    return _docnums(gaps, last_ids), np.concatenate(tfs).astype(np.float64)


def _positions(reader: Any, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray] | None:
    """(docnum, position) of every occurrence of a term in one segment, or None when its
    blocks are not in kvsearch.codec's layout. Positions are decoded for all blocks at once:
    each posting's value is a varint count followed by varint gaps."""
    empty = np.zeros(0, dtype=np.int64)
    try:
        matcher = _matcher(reader, fieldname, text)
    except TypeError:
        return None
    if matcher is None:
        return empty, empty
    if not _is_w3(matcher):
        return None
    gaps: list[np.ndarray] = []
    last_ids: list[int] = []
    sizes: list[np.ndarray] = []
    joined: list[bytes] = []
    for ids, _, values in _blocks(matcher):
        if not isinstance(values, list):
            return None
        gaps.append(_ints(ids))
        sizes.append(_ints(values[0]))
        joined.append(values[1])
        last_ids.append(matcher._maxid)
    docs = _docnums(gaps, last_ids)
    data = np.frombuffer(b"".join(joined), dtype=np.uint8)
    first_bytes = np.concatenate(([0], np.cumsum(np.concatenate(sizes).astype(np.int64))[:-1]))
    if not (data & 0x80).any():
        numbers = data.astype(np.int64)  # every number fits one byte
        firsts = first_bytes
    else:
        ends = (data & 0x80) == 0
        number_of_byte = np.concatenate(([0], np.cumsum(ends[:-1])))
        number_starts = np.flatnonzero(np.concatenate(([True], ends[:-1])))
        shift = 7 * (np.arange(len(data)) - number_starts[number_of_byte])
        numbers = np.add.reduceat((data & 0x7F).astype(np.int64) << shift, number_starts)
        firsts = number_of_byte[first_bytes]
    counts = numbers[firsts]
    is_gap = np.ones(len(numbers), dtype=bool)
    is_gap[firsts] = False
    steps = numbers[is_gap]
    running = np.cumsum(steps)
    # Positions restart at each posting: subtract the running sum before its first gap.
    first_gap = np.concatenate(([0], np.cumsum(counts)[:-1]))
    before = running[first_gap] - steps[first_gap]
    positions = running - np.repeat(before, counts)
    return np.repeat(docs, counts), positions
