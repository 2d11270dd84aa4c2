"""Answer-time statistics over a set of documents: counts, median days, shares answered late."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from ..models import DocumentMeta
from .facets import facet_groups

# The Reglement van Orde gives three weeks to answer; six weeks is the usual "late" mark.
LATE_DAYS = 21
VERY_LATE_DAYS = 42
GROUPINGS = ("minister", "ministry", "party", "year")


@dataclass(frozen=True)
class StatsRow:
    """One group: its documents, median days to answer, and shares answered after 21 and 42 days.

    Shares and the median are over the documents whose answer time is known (``timed``).
    """

    key: str
    documents: int
    timed: int
    median_days: float | None
    over_21: float | None
    over_42: float | None


@dataclass(frozen=True)
class Stats:
    """The corpus overview and, when grouped, one row per group."""

    documents: int
    passages: int
    first_answer: str | None
    last_answer: str | None
    built_at: str | None
    overall: StatsRow
    by: str | None = None
    rows: tuple[StatsRow, ...] = ()


def row(key: str, metas: list[DocumentMeta]) -> StatsRow:
    """The statistics of one group of documents."""
    days = [m.days for m in metas if m.days is not None]
    if not days:
        return StatsRow(key, len(metas), 0, None, None, None)
    return StatsRow(
        key,
        len(metas),
        len(days),
        float(statistics.median(days)),
        sum(d > LATE_DAYS for d in days) / len(days),
        sum(d > VERY_LATE_DAYS for d in days) / len(days),
    )


def compute(metas: Iterable[DocumentMeta], *, passages: int, built_at: str | None, by: str | None = None) -> Stats:
    """Statistics of ``metas``, grouped by minister, ministry, party or year when ``by`` is set."""
    if by is not None and by not in GROUPINGS:
        raise ValueError(f"cannot group by {by!r} (use {', '.join(GROUPINGS)})")
    metas = list(metas)
    dates = sorted(d for m in metas if (d := m.date))  # estimated dates place old answers too
    rows: list[StatsRow] = []
    if by:
        # Spellings of one party or ministry that the filters treat as one are one row.
        groups = facet_groups(by, metas, missing="(onbekend)")
        rows = sorted((row(k, v) for k, v in groups.items()), key=lambda r: (-r.documents, r.key))
    return Stats(
        documents=len(metas),
        passages=passages,
        first_answer=dates[0].isoformat() if dates else None,
        last_answer=dates[-1].isoformat() if dates else None,
        built_at=built_at,
        overall=row("alle", metas),
        by=by,
        rows=tuple(rows),
    )
