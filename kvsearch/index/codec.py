"""How postings are laid out on disk: Whoosh's W3 codec with compact blocks.

W3 pickles each block of postings as tuples of Python numbers: a float per term frequency,
the frequency again as a 4-byte value on every posting of a frequency field, and each
posting's positions as a pickled list behind a 4-byte count. Decoding that was most of the time
of a query at 800,000 passages (a pickle load per 128 postings), and it made the index larger
than the text it indexes three times over.

Here a block keeps W3's framing, header and statistics (so every Whoosh matcher, skip and
merge works unchanged) but stores:

- document numbers as gaps in the smallest of 1, 2 or 4 bytes each, which numpy reads whole;
- term frequencies the same way (W3's own forms when all are 1 or equal, or not whole numbers);
- no values for a frequency field (they equal the frequency, and are rebuilt when asked for);
- positions (:class:`VarintPositions`) as variable-length integers, joined with a length
  per posting rather than pickled one by one;

and a block holds up to :data:`BLOCK_POSTINGS` postings instead of 128.

Both classes are pickled into the index by name (the schema holds the format, each segment its
codec), so they must stay importable under these names; any change to the layout needs a new
schema version (kvsearch.schema.SCHEMA_MAJOR).
"""

from __future__ import annotations

import operator
import sys
from array import array
from collections.abc import Iterable
from itertools import accumulate
from typing import Any

from whoosh import formats
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    W3Codec,
    W3LeafMatcher,
    W3PerDocReader,
    W3PostingsWriter,
    _lenfield,
)
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length

# Postings per block. Larger blocks mean fewer (Python-level) block reads per term in numpy
# scoring; Whoosh's own matchers skip in coarser steps, which only its phrase search and small
# one-shot terminal queries use.
BLOCK_POSTINGS = 512
_BIG_ENDIAN = sys.byteorder == "big"
_INT_CODES = (("B", 1 << 8), ("H", 1 << 16), ("I", 1 << 32))
# In place of a block's values: "equal to the frequency" (a frequency field's values).
_VALUES_ARE_FREQUENCIES = -1


def pack_ints(values: Iterable[int]) -> bytes:
    """Non-negative integers as one type byte and a little-endian array of the smallest width."""
    items = values if isinstance(values, array) else array("Q", values)
    top = max(items, default=0)
    for code, limit in _INT_CODES:
        if top < limit:
            break
    else:
        raise ValueError(f"integer too large for a posting block: {top}")
    out = array(code, items)
    if _BIG_ENDIAN:
        out.byteswap()
    return code.encode("ascii") + out.tobytes()


def unpack_ints(data: bytes) -> array:
    """The array that :func:`pack_ints` wrote."""
    out = array(chr(data[0]))
    out.frombytes(data[1:])
    if _BIG_ENDIAN:
        out.byteswap()
    return out


def _varints(numbers: Iterable[int]) -> bytes:
    out = bytearray()
    for n in numbers:
        while n >= 0x80:
            out.append((n & 0x7F) | 0x80)
            n >>= 7
        out.append(n)
    return bytes(out)


def _read_varints(data: bytes) -> list[int]:
    numbers = []
    n = shift = 0
    for byte in data:
        n |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
        else:
            numbers.append(n)
            n = shift = 0
    return numbers


class VarintPositions(formats.Positions):
    """Whoosh's Positions format with each posting's positions as variable-length integers
    (count, then gaps): 2 bytes for a word seen once instead of about 11."""

    def encode(self, poslist: Any) -> bytes:
        gaps = []
        base = 0
        for pos in poslist:
            gaps.append(pos - base)
            base = pos
        return _varints([len(gaps), *gaps])

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return list(accumulate(_read_varints(valuestring)[1:]))

    def decode_frequency(self, valuestring: bytes) -> int:
        n = shift = 0
        for byte in valuestring:
            n |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return n
            shift += 7
        return n


# A field length as Whoosh stores it (one byte) -> the length it stands for; 0 means absent.
_LENGTHS: tuple[int | None, ...] = (None, *(byte_to_length(i) for i in range(1, 256)))


class CompactPostingsWriter(W3PostingsWriter):
    """W3's posting writer with the compact block contents described in the module."""

    def add_posting(self, id_: int, weight: float, vbytes: bytes, length: int | None = None) -> None:
        # W3's, less its per-posting type assertions (a build adds some 10^8 postings).
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length

    def add_term(self, docs: array, weights: array, values: bytes | None, sizes: array | None,
                 length_bytes: bytes) -> None:
        """All of a term's postings at once (kvsearch.segment): docnums ascending, weights,
        the values joined with each one's size (None: the values are the frequencies), and
        every document's field length byte. Same blocks as adding them one by one."""
        count = len(docs)
        limit = self._blocklimit
        fixedsize = self._format.fixed_value_size()
        variable = fixedsize is None or fixedsize < 0
        lengths_known = len(docs) and docs[-1] < len(length_bytes)
        offset = 0
        for start in range(0, count, limit):
            end = min(start + limit, count)
            ids = docs[start:end]
            block_weights = weights[start:end]
            self._ids = ids
            self._weights = block_weights
            self._maxweight = max(0, max(block_weights))
            if lengths_known:
                found = bytes(length_bytes[d] for d in ids).replace(b"\0", b"")
                self._minlength = _LENGTHS[min(found)] if found else None
                self._maxlength = _LENGTHS[max(found)] if found else 0
            if values is None:
                self._prepared = _VALUES_ARE_FREQUENCIES
            else:
                block_sizes = sizes[start:end]  # type: ignore[index]
                size = sum(block_sizes)
                joined = values[offset : offset + size]
                offset += size
                if variable and 0 not in block_sizes:
                    self._prepared = [pack_ints(block_sizes), joined]
                else:  # empty values are not stored, as add_posting does
                    at = 0
                    for n in block_sizes:
                        if n:
                            self._values.append(joined[at : at + n])
                            at += n
            self._write_block(last=end == count)

    def _new_block(self) -> None:
        super()._new_block()
        self._prepared: Any = None

    def _mini_ids(self) -> Any:
        ids = self._ids
        if self._byteids:
            return super()._mini_ids()
        gaps = array("I", ids[:1])
        gaps.extend(map(operator.sub, ids[1:], ids[:-1]))
        return pack_ints(gaps)

    def _mini_weights(self) -> Any:
        weights = self._weights
        if not isinstance(weights, array):
            weights = array("f", weights)
        first = weights[0] if len(weights) else 1.0
        if weights.count(first) == len(weights):
            return None if first == 1.0 else first
        if min(weights) >= 0 and max(weights) < 1 << 16:
            whole = array("I", map(int, weights))
            if array("f", whole) == weights:
                return pack_ints(whole)
        return tuple(weights)

    def _mini_values(self) -> Any:
        if self._prepared is not None:
            return self._prepared
        values = self._values
        fixedsize = self._format.fixed_value_size()
        if (
            type(self._format) is formats.Frequency
            and len(values) == len(self._weights)
            and all(v == pack_uint(int(w)) for v, w in zip(values, self._weights))
        ):
            return _VALUES_ARE_FREQUENCIES
        if (fixedsize is None or fixedsize < 0) and values:
            # A list, never a tuple, so a reader tells it from W3's tuple of values.
            return [pack_ints(array("I", map(len, values))), b"".join(values)]
        return super()._mini_values()


class CompactLeafMatcher(W3LeafMatcher):
    """Reads blocks written by :class:`CompactPostingsWriter` (and W3's own)."""

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        ids = self._data[0]
        if isinstance(ids, bytes) and not self._byteids:
            self._ids = tuple(accumulate(unpack_ints(ids)))
        else:
            super()._read_ids()

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        weights = self._data[1]
        if isinstance(weights, bytes):
            self._weights = array("f", map(float, unpack_ints(weights)))
        else:
            super()._read_weights()

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        values = self._data[2]
        if isinstance(values, int) and values == _VALUES_ARE_FREQUENCIES:
            if self._weights is None:
                self._read_weights()
            self._values = tuple(pack_uint(int(w)) for w in self._weights)
        elif isinstance(values, list):
            lengths, joined = values
            out = []
            start = 0
            for n in unpack_ints(lengths):
                out.append(joined[start : start + n])
                start += n
            self._values = tuple(out)
        else:
            super()._read_values()


class CompactPerDocReader(W3PerDocReader):
    """W3's per-document reader; field lengths for the posting writer come from one read of
    the length column instead of a seek and read per posting."""

    def doc_field_length_reader(self, fieldname: str, default: int = 0) -> Any:
        lenfield = _lenfield(fieldname)
        if not self.has_column(lenfield):
            return super().doc_field_length_reader(fieldname, default)
        column = self.column_reader(lenfield, LENGTHS_COLUMN)
        raw = column._dbfile.get(column._basepos, column._count * column._fixedlen)
        count = len(raw)

        def length(docnum: int) -> int | None:
            return _LENGTHS[raw[docnum]] if docnum < count else None

        return length


class CompactCodec(W3Codec):
    """The W3 codec writing and reading compact posting blocks."""

    def __init__(self, blocklimit: int = BLOCK_POSTINGS, compression: int = 3, inlinelimit: int = 1) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def per_document_reader(self, storage: Any, segment: Any) -> W3PerDocReader:
        return CompactPerDocReader(storage, segment)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> W3PostingsWriter:
        if byteids:  # term vectors: W3's own blocks
            return super().postings_writer(dbfile, byteids=True)
        return CompactPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=False,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def postings_reader(self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return CompactLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)
