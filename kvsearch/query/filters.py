"""Metadata filters: restrictions that narrow a search.

A filter leaves the first-stage (BM25F) scores as they are. The 4-gram re-ranking of the head
(kvsearch.query.rerank) scores relative to the passages in the head, which a filter changes, so
two re-ranked passages can swap places under a filter
(tests/test_search.py, test_a_filter_narrows_a_re_ranked_list_without_reordering_it, xfail).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from whoosh import query as wq

from ..errors import ParameterError, QueryError
from ..index import schema
from . import parse

# Answers the Reglement van Orde wants within three weeks: later than that is late.
LATE_AFTER_DAYS = 21

_TEXT_FILTERS = ("minister", "ministry", "submitter", "party", "subject", "id")
# A value of a text filter: one name, or several of which any will do.
TextValue = str | Sequence[str] | None
# A date bound: "2021", "2021-03", "2021-03-05", a date (a datetime counts by its day) or a year.
DateValue = str | dt.date | int | None


@dataclass(frozen=True)
class Filters:
    """Metadata restrictions that narrow a search (see the module docstring on its order)."""

    minister: TextValue = None
    ministry: TextValue = None
    submitter: TextValue = None
    party: TextValue = None
    subject: TextValue = None
    id: TextValue = None
    since: DateValue = None  # a date, month or year: "2021", "2021-03", "2021-03-05"
    until: DateValue = None
    late: bool = False  # answered after the three weeks the Reglement van Orde allows
    # Only these documents (by doc id), e.g. those new since an alert last ran; None: any.
    documents: frozenset[str] | None = None

    def __post_init__(self) -> None:
        # The library takes what Python code has at hand (a datetime.date, a list of names);
        # from here on a date is its text and a list a tuple, as the command line gives them.
        for name in ("since", "until"):
            value = getattr(self, name)
            if isinstance(value, dt.datetime):
                value = value.date()
            if isinstance(value, (dt.date, int)) and not isinstance(value, bool):
                object.__setattr__(self, name, value.isoformat() if isinstance(value, dt.date) else str(value))
            elif value is not None and not isinstance(value, str):
                raise ParameterError(f"{{{name}}} must be a date or text such as 2021-03, not {type(value).__name__}", name)
        for name in _TEXT_FILTERS:
            value = getattr(self, name)
            if value is None or isinstance(value, str):
                continue
            if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
                raise ParameterError(f"{{{name}}} must be text or a list of texts, not {type(value).__name__}", name)
            object.__setattr__(self, name, tuple(value))

    def query(self, known: Callable[[str], Sequence[str]] | None = None) -> wq.Query | None:
        """The Whoosh filter query, or None when nothing is restricted. ``known`` gives a name
        field's values in the index (see kvsearch.query.parse.field_query)."""
        clauses: list[wq.Query] = []
        for name, fieldname in FIELDS.items():
            values = self.values(name)
            with _option(name):
                either = [parse.field_query(fieldname, v, None, known) for v in values]
            if either:
                clauses.append(either[0] if len(either) == 1 else wq.Or(either))
        since, until = str(self.since or "").strip(), str(self.until or "").strip()
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
        if self.documents is not None:
            # An empty set allows nothing: a term no passage has.
            ids = sorted(self.documents) or [""]
            clauses.append(wq.Or([wq.Term(schema.DOC_ID, d) for d in ids]))
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else wq.And(clauses)


    def values(self, name: str) -> list[str]:
        """The values of one text filter: of several any will do; a blank one restricts
        nothing, like an empty one."""
        value = getattr(self, name) or ()
        return [v.strip() for v in ((value,) if isinstance(value, str) else value) if v.strip()]

    def fields(self) -> list[tuple[str, str, str]]:
        """(filter name, index field, value) of each metadata value restricted."""
        return [(name, fieldname, v) for name, fieldname in FIELDS.items() for v in self.values(name)]

    def __bool__(self) -> bool:
        """Whether anything is restricted."""
        return bool(self.fields() or str(self.since or "").strip() or str(self.until or "").strip()
                    or self.late or self.documents is not None)


# Filter names (as the library's parameters) and the index fields they restrict.
FIELDS = {
    "minister": schema.MINISTER,
    "ministry": schema.MINISTRY,
    "submitter": schema.SUBMITTER,
    "party": schema.PARTY,
    "subject": schema.SUBJECT,
    "id": schema.IDS,
}


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
