"""Writing a segment through the term pool: the same index Whoosh's own writer makes, faster."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh import index
from whoosh.writing import SegmentWriter

from kvsearch import corpus
from kvsearch.index import schema
from kvsearch.index.codec import CompactCodec
from kvsearch.index.segment import SegmentBuilder

from .conftest import FIXTURES, REPO


def _records() -> list[dict[str, Any]]:
    """The passages of the test corpus as index records, each many times over."""
    files = sorted(FIXTURES.rglob("*.txt")) + [REPO / "corpus" / "kv-2020Z25656.txt"]
    records = []
    for path in files:
        try:
            doc = corpus.parse_file(path, path.parent)
        except Exception:  # the fixtures include an unreadable file on purpose
            continue
        records.extend(schema.passage_records(doc))
    assert len(records) > 30
    # Repeated, so that common words fill several posting blocks.
    return records * 30


def _segment_files(tmp_path: Path, name: str, writer_class: type, spill_bytes: int | None = None) -> dict[str, bytes]:
    """Index the fixture passages with ``writer_class``; the segment's files by extension."""
    target = tmp_path / name
    target.mkdir()
    ix = index.create_in(str(target), schema.build_schema())
    writer = writer_class(ix, codec=CompactCodec(), compound=False)
    if spill_bytes is not None:
        writer.pool._limit = spill_bytes
    for record in _records():
        writer.add_document(**record)
    writer.commit()
    files = {}
    for path in target.iterdir():
        if path.is_file() and path.suffix not in (".toc", ".seg") and "." in path.name:
            files[path.name.split(".", 1)[1]] = path.read_bytes()
    return files


def test_a_segment_is_byte_for_byte_what_whoosh_writes(tmp_path: Path) -> None:
    ours = _segment_files(tmp_path, "ours", SegmentBuilder)
    whoosh = _segment_files(tmp_path, "whoosh", SegmentWriter)
    assert ours.keys() == whoosh.keys()
    assert {"pst", "trm"} <= {name.rsplit(".", 1)[-1] for name in ours}
    for name in ours:
        assert ours[name] == whoosh[name], name


def test_spilling_the_pool_to_runs_changes_nothing(tmp_path: Path) -> None:
    whole = _segment_files(tmp_path, "whole", SegmentBuilder)
    spilled = _segment_files(tmp_path, "spilled", SegmentBuilder, spill_bytes=20_000)
    assert spilled == whole


@pytest.mark.parametrize("limit", [10_000, 10**9])
def test_merging_segments_keeps_every_posting(tmp_path: Path, limit: int) -> None:
    """Segments merged by a later write go through the pool one posting at a time."""
    target = tmp_path / "ix"
    target.mkdir()
    ix = index.create_in(str(target), schema.build_schema())
    records = _records()
    half = len(records) // 2
    for chunk in (records[:half], records[half:]):
        writer = SegmentBuilder(ix, codec=CompactCodec(), compound=False)
        for record in chunk:
            writer.add_document(**record)
        writer.commit(merge=False)
    writer = SegmentBuilder(ix, codec=CompactCodec(), compound=False)
    writer.pool._limit = limit
    writer.commit(optimize=True)
    with ix.searcher() as s:
        assert len(s.reader().leaf_readers()) == 1
        assert s.doc_count() == len(records)
        merged = {(f, t): list(s.postings(f, t).items_as("weight")) for f, t in s.reader().all_terms()
                  if f in (schema.TEXT, schema.EXACT)}  # fmt: skip
    whole = tmp_path / "whole"
    whole.mkdir()
    ix2 = index.create_in(str(whole), schema.build_schema())
    writer = SegmentBuilder(ix2, codec=CompactCodec(), compound=False)
    for record in records:
        writer.add_document(**record)
    writer.commit()
    with ix2.searcher() as s:
        direct = {(f, t): list(s.postings(f, t).items_as("weight")) for f, t in s.reader().all_terms()
                  if f in (schema.TEXT, schema.EXACT)}  # fmt: skip
    assert merged == direct
