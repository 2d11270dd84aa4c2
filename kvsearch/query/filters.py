"""Metadata filters: restrictions that narrow a search without changing its ranking."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from whoosh import query as wq

from ..errors import ParameterError, QueryError
from ..index import schema
from . import parse

# Answers the Reglement van Orde wants within three weeks: later than that is late.
LATE_AFTER_DAYS = 21


@dataclass(frozen=True)
class Filters:
    """Metadata restrictions that narrow a search without changing its ranking."""

    minister: str | None = None
    ministry: str | None = None
    submitter: str | None = None
    party: str | None = None
    subject: str | None = None
    id: str | None = None
    since: str | None = None  # a date, month or year: "2021", "2021-03", "2021-03-05"
    until: str | None = None
    late: bool = False  # answered after the three weeks the Reglement van Orde allows

    def query(self) -> wq.Query | None:
        """The Whoosh filter query, or None when nothing is restricted."""
        clauses: list[wq.Query] = []
        for name, fieldname in (
            ("minister", schema.MINISTER),
            ("ministry", schema.MINISTRY),
            ("submitter", schema.SUBMITTER),
            ("party", schema.PARTY),
            ("subject", schema.SUBJECT),
            ("id", schema.IDS),
        ):
            value = (getattr(self, name) or "").strip()
            if value:  # a blank value restricts nothing, like an empty one
                with _option(name):
                    clauses.append(parse.field_query(fieldname, value, None))
        since, until = (self.since or "").strip(), (self.until or "").strip()
        if since or until:
            with _option("since"):
                lo = parse.parse_date_range(since)[0] if since else None
            with _option("until"):
                hi = parse.parse_date_range(until)[1] if until else None
            if lo is not None and hi is not None and lo > hi:
                raise ParameterError(f"{{since}} {_braced(since)} is after {{until}} {_braced(until)}", "since", "until")
            clauses.append(wq.NumericRange(schema.ANSWERED, lo, hi))
        if self.late:
            clauses.append(wq.NumericRange(schema.DAYS, LATE_AFTER_DAYS + 1, None))
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else wq.And(clauses)


@contextlib.contextmanager
def _option(name: str) -> Iterator[None]:
    """Name the filter in an error about its value: 'since: impossible date …' (the command line
    says '--since', see ParameterError)."""
    try:
        yield
    except QueryError as exc:
        raise ParameterError(f"{{{name}}}: {_braced(str(exc))}", name) from None


def _braced(text: str) -> str:
    """Text to put in a ParameterError template as it is."""
    return text.replace("{", "{{").replace("}", "}}")
