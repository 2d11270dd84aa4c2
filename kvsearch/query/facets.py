"""Group documents by minister, ministry, party or year, for --facets and ``stats --by``.

Spellings that the filters treat as one value form one group, so a count never disagrees with
the filter it stands for: 'P.v.d.A.', 'PvdA' and 'P.v.dA.' are one party (``--party pvda``
finds all three), 'financiën' and 'financien' one ministry.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable

from whoosh.analysis.analyzers import CompositeAnalyzer

from .. import analysis
from ..index import schema
from ..models import DocumentMeta, FacetCount

FACETS = ("minister", "ministry", "party", "year")


def facet_values(meta: DocumentMeta) -> dict[str, list[str]]:
    """The values a document counts under in each facet, as spelled (a document may have several)."""
    return {
        "minister": sorted({m.name for m in meta.ministers if m.name}),
        "ministry": sorted({m.ministry.lower() for m in meta.ministers if m.ministry}),
        "party": sorted({s.party for s in meta.submitters if s.party}),
        "year": [str(meta.date.year)] if meta.date else [],  # estimated where not given
    }


@functools.lru_cache(maxsize=4096)
def facet_key(facet: str, value: str) -> str:
    """What the spellings of one value have in common, compared as the filters compare them:
    'P.v.d.A.' and 'PvdA' -> 'pvda', 'Financiën' -> 'financien'."""
    if facet == "party":
        keys = schema.party_key(value)
        return keys[0] if keys else value  # the whole name: GroenLinks-PvdA is not PvdA
    if facet in ("minister", "ministry"):
        return " ".join(t.text for t in _names()(value, mode="query")) or value
    return value


@functools.cache
def _names() -> CompositeAnalyzer:
    return analysis.name_analyzer()


def facet_groups(
    facet: str, metas: Iterable[DocumentMeta], missing: str | None = None
) -> dict[str, list[DocumentMeta]]:
    """The documents under each value of ``facet``, labelled with the value's most common
    spelling among them; documents without a value under ``missing`` (left out if None)."""
    groups: dict[str, list[DocumentMeta]] = {}
    spellings: dict[str, Counter[str]] = {}
    for meta in metas:
        values = facet_values(meta)[facet]
        keys = dict.fromkeys(facet_key(facet, v) for v in values)  # two spellings in one document count once
        for value in values:
            spellings.setdefault(facet_key(facet, value), Counter())[value] += 1
        if not values and missing is not None:
            keys = {missing: None}
            spellings.setdefault(missing, Counter())[missing] += 1
        for key in keys:
            groups.setdefault(key, []).append(meta)
    return {_label(spellings[key]): docs for key, docs in groups.items()}


def _label(spellings: Counter[str]) -> str:
    """The most common spelling; of equally common ones, the first in sorted order."""
    return min(spellings.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def facet_counts(metas: list[DocumentMeta]) -> dict[str, tuple[FacetCount, ...]]:
    """Documents counted per minister, ministry, party and answer year, most first."""
    out = {}
    for name in FACETS:
        counts = sorted(((v, len(docs)) for v, docs in facet_groups(name, metas).items()),
                        key=lambda vc: (-vc[1], vc[0]))
        out[name] = tuple(FacetCount(v, c) for v, c in counts)
    return out
