"""What one watch run returns: per watch, the passages of new and changed documents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..models import Hit
from .watches import Watch


@dataclass(frozen=True)
class WatchHit:
    """One reported passage: the hit as ``search`` returns it, and why it is reported."""

    hit: Hit
    change: str  # "new": its document entered the index; "changed": the document's text changed
    updated: str  # when (a history stamp, UTC: kvsearch.index.history)
    first_seen: str  # when the document first entered the index

    def to_json(self, watch: str) -> dict[str, Any]:
        """The JSON Lines object of ``watch run --json``: the hit of ``search --json`` plus
        ``watch`` and ``change``."""
        return {**self.hit.to_json(), "watch": watch, "change": self.change}


@dataclass(frozen=True)
class WatchReport:
    """One watch's part of a run.

    ``hits`` are ranked within the watch (by relevance, or newest answer first for a watch of
    filters alone), at most ``per_document`` passages of one document. ``new`` and ``changed``
    count the reported documents. ``started`` is True on a watch's first run (or after its
    index was recreated): its starting point was set and nothing is reported. ``after`` and
    ``until`` are the history stamps the report covers (after < entered or changed <= until).
    """

    watch: Watch
    hits: tuple[WatchHit, ...] = ()
    new: int = 0
    changed: int = 0
    passages: int = 0  # matching passages in all (hits may show fewer)
    after: str | None = None
    until: str | None = None
    started: bool = False
    warnings: tuple[str, ...] = ()
    # Why this watch could not run (a query edited by hand that cannot be read); the others
    # still run, and its starting point stays.
    error: str | None = None

    @property
    def documents(self) -> int:
        """Reported documents."""
        return self.new + self.changed
