"""Writing one Whoosh segment: postings gathered per term in arrays, written a block at a time.

Whoosh's SegmentWriter sends every posting through its PostingPool as a tuple: all of them are
sorted, pickled one by one to temporary run files once the pool's memory limit is reached,
merged back one at a time through a heap, and handed to the codec one at a time. A build of
100,000 documents has some 10^8 postings, so that per-posting Python was most of a build.

Here (:class:`SegmentBuilder`) the stemmed and exact text fields are analysed straight into
per-term counts and positions (kvsearch.analysis, no Token objects), each term's postings are
appended to arrays (:class:`TermPool`), and at the end each term is written whole, a block at
a time (:meth:`kvsearch.codec.CompactPostingsWriter.add_term`). When the pool reaches its memory
limit it spills its terms, sorted, to a temporary run; runs are merged term by term, not posting
by posting. Every other field, and postings copied from other segments when segments merge,
take Whoosh's own path into the same pool.

The result is the same segment Whoosh would write (tests/test_segment.py compares them).
"""

from __future__ import annotations

import heapq
import marshal
from array import array
from collections.abc import Iterator
from typing import Any

from whoosh import formats
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.multiproc import SubWriterTask
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter

from ..analysis import DutchExactAnalyzer, DutchTextAnalyzer
from .codec import CompactCodec, CompactPostingsWriter, VarintPositions

# Rough bytes of memory per term and per posting in the pool (object headers, array growth).
_TERM_BYTES = 400
_POSTING_BYTES = 12


class _Postings:
    """One term's postings so far: docnums, weights, and (for formats with values) the
    values joined, with each one's size."""

    __slots__ = ("docs", "weights", "values", "sizes")

    def __init__(self, with_values: bool) -> None:
        self.docs = array("I")
        self.weights = array("f")
        self.values: bytearray | None = bytearray() if with_values else None
        self.sizes: array | None = array("I") if with_values else None


# A term as the pool yields it: field, term bytes, docnums, weights, joined values, sizes.
PoolTerm = tuple[str, bytes, array, array, bytes | None, array | None]


class TermPool:
    """Stands in for Whoosh's PostingPool: postings grouped by field and term, in arrays.

    Fields whose format is plain Frequency at boost 1 keep no values: each one would be the
    frequency, packed, which the codec does not store either.
    """

    def __init__(self, tempstorage: Any, schema: Any, limitmb: int) -> None:
        self.fieldnames: set[str] = set()
        self._tempstorage = tempstorage
        self._limit = limitmb * 1024 * 1024
        self._size = 0
        self._fields: dict[str, dict[bytes, _Postings]] = {}
        self._runs: list[str] = []
        # The fields whose values are derived from the weights (not kept here).
        self.derived: set[str] = {
            name for name, field in schema.items()
            if type(field.format) is formats.Frequency and field.format.field_boost == 1.0
        }  # fmt: skip

    def _terms(self, fieldname: str) -> dict[bytes, _Postings]:
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        return terms

    def _new_term(self, terms: dict[bytes, _Postings], tbytes: bytes, with_values: bool) -> _Postings:
        postings = terms[tbytes] = _Postings(with_values)
        self._size += _TERM_BYTES
        return postings

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """One posting, as Whoosh's writer passes it (fieldname, term, docnum, weight, value)."""
        fieldname, tbytes, docnum, weight, vbytes = item
        terms = self._terms(fieldname)
        derived = fieldname in self.derived
        postings = terms.get(tbytes) or self._new_term(terms, tbytes, not derived)
        postings.docs.append(docnum)
        postings.weights.append(weight)
        if derived:
            if vbytes != pack_uint(int(weight)) or weight != int(weight):
                raise ValueError(f"{fieldname}: a frequency value that is not the weight")
        else:
            value = vbytes or b""
            postings.values += value  # type: ignore[operator]
            postings.sizes.append(len(value))  # type: ignore[union-attr]
            self._size += len(value)
        self._size += _POSTING_BYTES
        if self._size > self._limit:
            self.save()

    def add_frequencies(self, fieldname: str, docnum: int, freqs: dict[str, int]) -> None:
        """A document's terms with their frequencies, in a field whose values are derived."""
        terms = self._terms(fieldname)
        for text, freq in freqs.items():
            tbytes = text.encode("utf-8")
            postings = terms.get(tbytes) or self._new_term(terms, tbytes, False)
            postings.docs.append(docnum)
            postings.weights.append(freq)
        self._size += len(freqs) * _POSTING_BYTES
        if self._size > self._limit:
            self.save()

    def add_positions(self, fieldname: str, docnum: int, positions: dict[str, list[int]], fmt: VarintPositions) -> None:
        """A document's terms with their positions, encoded as ``fmt`` encodes them."""
        terms = self._terms(fieldname)
        encode = fmt.encode
        boost = fmt.field_boost
        added = 0
        for text, poslist in positions.items():
            tbytes = text.encode("utf-8")
            postings = terms.get(tbytes) or self._new_term(terms, tbytes, True)
            value = encode(poslist)
            postings.docs.append(docnum)
            postings.weights.append(len(poslist) * boost)
            postings.values += value  # type: ignore[operator]
            postings.sizes.append(len(value))  # type: ignore[union-attr]
            added += len(value)
        self._size += added + len(positions) * _POSTING_BYTES
        if self._size > self._limit:
            self.save()

    def save(self) -> None:
        """Spill the terms gathered so far to a temporary run, in term order."""
        if not self._fields:
            return
        name = f"kvs-{len(self._runs)}-{id(self)}.run"
        with self._tempstorage.create_file(name).raw_file() as f:
            for term in self._memory_terms():
                marshal.dump(_to_run(term), f)
        self._runs.append(name)
        self._fields = {}
        self._size = 0

    def terms(self) -> Iterator[PoolTerm]:
        """Every term with all its postings, in (field, term) order."""
        if not self._runs:
            yield from self._memory_terms()
            return
        # Runs in the order written, then memory: a term's postings concatenate in docnum order.
        sources = [self._read_run(name) for name in self._runs] + [self._memory_terms()]
        merged = heapq.merge(*sources, key=lambda t: (t[0], t[1]))
        current: list[PoolTerm] = []
        for term in merged:
            if current and (term[0], term[1]) != (current[0][0], current[0][1]):
                yield _concatenate(current)
                current = []
            current.append(term)
        if current:
            yield _concatenate(current)

    def _memory_terms(self) -> Iterator[PoolTerm]:
        for fieldname in sorted(self._fields):
            terms = self._fields[fieldname]
            for tbytes in sorted(terms):
                p = terms[tbytes]
                yield fieldname, tbytes, p.docs, p.weights, None if p.values is None else bytes(p.values), p.sizes

    def _read_run(self, name: str) -> Iterator[PoolTerm]:
        with self._tempstorage.open_file(name).raw_file() as f:
            while True:
                try:
                    record = marshal.load(f)
                except EOFError:
                    break
                yield _from_run(record)
        self._tempstorage.delete_file(name)

    def cleanup(self) -> None:
        """Remove any runs left behind (a cancelled build)."""
        for name in self._runs:
            try:
                self._tempstorage.delete_file(name)
            except OSError:
                pass
        self._runs = []


def _to_run(term: PoolTerm) -> tuple[Any, ...]:
    fieldname, tbytes, docs, weights, values, sizes = term
    return fieldname, tbytes, docs.tobytes(), weights.tobytes(), values, None if sizes is None else sizes.tobytes()


def _from_run(record: tuple[Any, ...]) -> PoolTerm:
    fieldname, tbytes, docs, weights, values, sizes = record
    return (fieldname, tbytes, _array("I", docs), _array("f", weights), values,
            None if sizes is None else _array("I", sizes))  # fmt: skip


def _array(code: str, data: bytes) -> array:
    out = array(code)
    out.frombytes(data)
    return out


def _concatenate(parts: list[PoolTerm]) -> PoolTerm:
    if len(parts) == 1:
        return parts[0]
    fieldname, tbytes = parts[0][0], parts[0][1]
    docs, weights = array("I"), array("f")
    values: bytes | None = None
    sizes: array | None = None
    if parts[0][4] is not None:
        values, sizes = b"".join(p[4] for p in parts), array("I")  # type: ignore[misc]
    for p in parts:
        docs.extend(p[2])
        weights.extend(p[3])
        if sizes is not None:
            sizes.extend(p[5])  # type: ignore[arg-type]
    return fieldname, tbytes, docs, weights, values, sizes


class SegmentBuilder(SegmentWriter):
    """Whoosh's SegmentWriter with :class:`TermPool` and the fast paths described above."""

    def __init__(self, ix: Any, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        if not isinstance(self.codec, CompactCodec):
            raise TypeError("SegmentBuilder writes kvsearch.codec.CompactCodec segments only")
        self.pool = TermPool(self._tempstorage, self.schema, limitmb)
        # Fields analysed straight into the pool; any other kind goes Whoosh's way.
        self._fast: dict[str, str] = {}
        for name, field in self.schema.items():
            analyzer = getattr(field, "analyzer", None)
            if isinstance(analyzer, DutchTextAnalyzer) and name in self.pool.derived:
                self._fast[name] = "frequencies"
            elif isinstance(analyzer, DutchExactAnalyzer) and type(field.format) is VarintPositions:
                self._fast[name] = "positions"

    def add_document(self, **fields: Any) -> None:
        """As Whoosh's, with the text fields analysed straight into the pool."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        if self._doc_boost(fields) != 1.0 or any(name.startswith("_") for name in fields):
            # Boosts and custom stored values: Whoosh's own path handles them.
            return super().add_document(**fields)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                fast = self._fast.get(fieldname)
                if fast == "frequencies":
                    freqs, length = field.analyzer.term_frequencies(value)
                    pool.add_frequencies(fieldname, docnum, freqs)
                elif fast == "positions":
                    positions, length = field.analyzer.term_positions(value)
                    pool.add_positions(fieldname, docnum, positions, field.format)
                elif field.indexed:
                    add = pool.add
                    for tbytes, freq, weight, vbytes in field.index(value):
                        if field.scorable:
                            length += freq
                        add((fieldname, tbytes, docnum, weight, vbytes))
                if field.separate_spelling() or field.vector:
                    raise ValueError(f"field {fieldname!r}: spelling and vectors are not supported here")
                perdocwriter.add_field(fieldname, field, value if field.stored else None, length)
                column = field.column_type
                if column:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(value))
        except ValueError:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        try:
            write_terms(self.fieldwriter, self.schema, lengths, self.pool.terms())
        finally:
            self.fieldwriter.close()
            if lengths is not None:
                lengths.close()


def write_terms(fieldwriter: Any, schema: Any, lengths: Any, terms: Iterator[PoolTerm]) -> None:
    """Write terms in (field, term) order to a field writer of kvsearch.codec.CompactCodec,
    each term's postings at once."""
    lastfield = None
    length_bytes = b""
    for fieldname, tbytes, docs, weights, values, sizes in terms:
        if fieldname != lastfield:
            if lastfield is not None:
                fieldwriter.finish_field()
            fieldobj = schema[fieldname]
            fieldwriter.start_field(fieldname, fieldobj)
            lastfield = fieldname
            length_bytes = _length_bytes(lengths, fieldname)
        fieldwriter.start_term(tbytes)
        postwriter: CompactPostingsWriter = fieldwriter._postwriter
        postwriter.add_term(docs, weights, values, sizes, length_bytes)
        fieldwriter.finish_term()
    if lastfield is not None:
        fieldwriter.finish_field()


def _length_bytes(lengths: Any, fieldname: str) -> bytes:
    """Each document's length in ``fieldname`` as Whoosh stores it (a byte; 0 = none)."""
    if lengths is None or not lengths.has_column(_lenfield(fieldname)):
        return b""
    column = lengths.column_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    return bytes(column._dbfile.get(column._basepos, column._count * column._fixedlen))


class BuilderTask(SubWriterTask):
    """Whoosh's sub-process task of a parallel build, writing its segment with
    :class:`SegmentBuilder`; always one segment per sub-process (MpWriter's multisegment)."""

    def run(self) -> None:
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = SegmentBuilder(ix, _lk=False, **self.kwargs)
        while self.running:
            jobinfo = self.jobqueue.get()
            if jobinfo is None:
                break
            self._process_file(*jobinfo)
        if not self.running:
            writer.cancel()
            return
        fieldnames = writer.pool.fieldnames
        segment = writer._finalize_segment()
        self.resultqueue.put((None, fieldnames, segment), timeout=5)
