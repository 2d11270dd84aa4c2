"""Stage 3, the index: corpus documents analysed into published, verifiable index generations.

Owns the Whoosh schema (the only place that knows field names), the compact postings codec,
the parallel segment writers, the document store (metadata and paragraph texts, SQLite), the
generation directories with their lock, CURRENT pointer and manifest, and the build that runs
scan -> parse -> analyse -> write segments -> verify -> publish (:mod:`kvsearch.index.build`).
May import :mod:`kvsearch.corpus`, :mod:`kvsearch.analysis`, models, errors and config; never
the query stage or the ways in.

Whoosh pickles each field's format into the index's schema; indexes written before this package
existed name the positions format ``kvsearch.codec.VarintPositions``. That old module path is
kept importable below, so an existing index opens without a rebuild.
"""

from __future__ import annotations

import sys

from . import codec

# Old pickles name the codec module by its former top-level path (see the docstring).
sys.modules.setdefault("kvsearch.codec", codec)
