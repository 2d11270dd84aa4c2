"""The compact posting blocks: what Whoosh reads back must equal what it wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh import fields, index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.query import Phrase, Term

from kvsearch.index.codec import CompactCodec, VarintPositions, pack_ints, unpack_ints

PASSAGES = [
    "De minister heeft de Europese Commissie gevraagd om opheldering over de Europese regels.",
    "Gezichtsherkenning in de openbare ruimte raakt aan de privacy van burgers.",
    "De Europese Commissie heeft geen bevoegdheid; de Commissie verwijst naar de lidstaten.",
] * 300  # more postings per word than one block holds


@given(st.lists(st.integers(min_value=0, max_value=2**32 - 1), max_size=600))
def test_packed_integers_round_trip(numbers: list[int]) -> None:
    assert list(unpack_ints(pack_ints(numbers))) == numbers


def test_small_numbers_take_one_byte_each() -> None:
    assert len(pack_ints([3, 1, 200])) == 1 + 3


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=50, unique=True))
def test_positions_round_trip(positions: list[int]) -> None:
    fmt = VarintPositions()
    encoded = fmt.encode(sorted(positions))
    assert fmt.decode_positions(encoded) == sorted(positions)
    assert fmt.decode_frequency(encoded) == len(positions)


def _build(tmp_path: Path, codec: object) -> index.Index:
    schema = fields.Schema(
        freq=fields.TEXT(phrase=False),
        pos=fields.TEXT(phrase=True),
    )
    schema["pos"].format = VarintPositions(field_boost=1.0)
    tmp_path.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(tmp_path), schema)
    writer = ix.writer(codec=codec, compound=False)
    for text in PASSAGES:
        writer.add_document(freq=text, pos=text)
    writer.commit()
    return ix


@pytest.mark.parametrize("fieldname", ["freq", "pos"])
@pytest.mark.parametrize("word", ["europese", "commissie", "de", "gezichtsherkenning"])
def test_postings_equal_whoosh_w3(tmp_path: Path, fieldname: str, word: str) -> None:
    compact = _build(tmp_path / "compact", CompactCodec())
    plain = _build(tmp_path / "w3", W3Codec())
    with compact.searcher() as a, plain.searcher() as b:
        ma = a.postings(fieldname, word)
        mb = b.postings(fieldname, word)
        assert list(ma.items_as("weight")) == list(mb.items_as("weight"))
        ma, mb = a.postings(fieldname, word), b.postings(fieldname, word)
        if fieldname == "pos":
            assert list(ma.items_as("positions")) == list(mb.items_as("positions"))
        else:
            assert list(ma.items_as("frequency")) == list(mb.items_as("frequency"))


def test_phrase_search_and_skipping_work_on_compact_blocks(tmp_path: Path) -> None:
    ix = _build(tmp_path, CompactCodec())
    with ix.searcher() as s:
        phrase = s.search(Phrase("pos", ["europese", "commissie"]), limit=None)
        assert sorted(hit.docnum for hit in phrase) == [n for n in range(len(PASSAGES)) if n % 3 in (0, 2)]
        # Whoosh's top-N search skips blocks by their statistics.
        top = s.search(Term("freq", "commissie"), limit=5)
        assert top.scored_length() == 5
        # The passage naming the Commission twice ranks first.
        assert all(hit.docnum % 3 == 2 for hit in top)
