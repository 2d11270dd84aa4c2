"""Stage 3 of a query: which passages match, scored, and how many there are in all.

A :class:`MatchSet` is one ranked list: every matching passage with its score, its count of
passages and documents, and the passages in relevance or date order. Two kinds give the same
answers: :class:`NumpyMatches` scores from the posting lists (kvsearch.query.ranking) and
:class:`WhooshMatches` runs Whoosh's own matchers, for what numpy cannot score (wildcards,
fuzzy words, inline metadata fields) and for facets. :class:`Candidates` holds the list of
passages with all the words and, when few have them all, the list with some of them after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from whoosh import query as wq
from whoosh.reading import TermNotFound

from ..index import schema
from .generation import OpenGeneration
from .plan import RELAX_BELOW, Plan


class MatchSet(Protocol):
    """One ranked list of matching passages (see the module docstring)."""

    def count(self) -> int:
        """How many passages match."""

    def documents(self) -> int:
        """How many documents the matching passages belong to."""

    def passages_of(self, docnum: int) -> int:
        """How many matching passages share ``docnum``'s document."""

    def ordered(self, fetch: int, sort: str, exclude: Any = None, by_score: bool = True) -> Iterable[tuple[int, float]]:
        """(docnum, score) in ``sort`` order, the ``fetch`` best for relevance (every match
        for a date order, the same date by score, or by passage order without ``by_score``),
        skipping the passages ``exclude`` (a MatchSet of the same kind) matches."""


class NumpyMatches:
    """A MatchSet scored with numpy (kvsearch.query.ranking.Scored)."""

    def __init__(self, scored: Any, dates: Any) -> None:
        self.scored = scored
        self._dates = dates  # the answer-date column, read only for a date order

    def count(self) -> int:
        return int(self.scored.count())

    def documents(self) -> int:
        return int(self.scored.documents())

    def passages_of(self, docnum: int) -> int:
        return int(self.scored.passages_of(docnum))

    def ordered(self, fetch: int, sort: str, exclude: Any = None, by_score: bool = True) -> Iterable[tuple[int, float]]:
        other = exclude.scored if exclude is not None else None
        if sort == "relevance":
            return self.scored.top(fetch, exclude=other)  # type: ignore[no-any-return]
        return self.scored.by_date(self._dates(), newest=(sort == "newest"), exclude=other,  # type: ignore[no-any-return]
                                   by_score=by_score)


class WhooshMatches:
    """A MatchSet run by Whoosh's matchers; counts are exact (never a silent cut-off)."""

    def __init__(self, searcher: Any, q: wq.Query, filter_q: wq.Query | None, mask: wq.Query | None = None) -> None:
        self._searcher = searcher
        self._query = q
        self._filter = filter_q
        self._mask = mask
        self.docnums = _matching(searcher, q, filter_q, mask)
        self._doc_ids = searcher.reader().column_reader(schema.DOC_ID)
        self.per_document: dict[str, int] = {}
        for d in self.docnums:
            key = self._doc_ids[d]
            self.per_document[key] = self.per_document.get(key, 0) + 1

    def count(self) -> int:
        return len(self.docnums)

    def documents(self) -> int:
        return len(self.per_document)

    def passages_of(self, docnum: int) -> int:
        return self.per_document.get(self._doc_ids[docnum], 0)

    def ordered(self, fetch: int, sort: str, exclude: Any = None, by_score: bool = True) -> Iterable[tuple[int, float]]:
        skip: set[int] = set(exclude.docnums) if exclude is not None else set()
        if sort == "relevance":
            # As many more as are skipped, so that ``fetch`` remain (as numpy's top does).
            limit = min(fetch + len(skip), self.count())
            if not limit:
                return []
            found = self._searcher.search(self._query, limit=limit, filter=self._filter, mask=self._mask).items()
            kept = ((d, float(s or 0.0)) for d, s in found if d not in skip)
            return list(kept)[:fetch]
        return [item for item in self._by_date(newest=(sort == "newest"), by_score=by_score) if item[0] not in skip]

    def _by_date(self, *, newest: bool, by_score: bool) -> list[tuple[int, float]]:
        """(docnum, relevance score) of every match, newest or oldest answer first, undated
        ones last; the same date by relevance. Sorted here rather than by Whoosh's FieldFacet,
        which puts a missing date (the column's maximum) first when reversed, and reports its
        sort key as the score."""
        searcher = self._searcher
        dates = searcher.reader().column_reader(schema.ANSWERED)
        undated = searcher.schema[schema.ANSWERED].default
        direction = -1 if newest else 1

        def key(item: tuple[int, float]) -> tuple[bool, int, float, int]:
            docnum, score = item
            date = dates[docnum]
            return date == undated, direction * date, -score if by_score else 0.0, docnum

        scored = searcher.search(self._query, limit=None, filter=self._filter, mask=self._mask).items()
        return sorted(((d, float(score or 0.0)) for d, score in scored), key=key)


@dataclass(frozen=True)
class Candidates:
    """The ranked lists of one search: the passages with all the words, then (when fewer than
    RELAX_BELOW have them all) those with some of them; each passage in one list only."""

    lists: tuple[MatchSet, ...]
    queries: tuple[wq.Query, ...]  # the query of each list
    warnings: tuple[str, ...] = ()

    @property
    def final(self) -> MatchSet:
        """The widest list: every passage the search lists."""
        return self.lists[-1]

    @property
    def total(self) -> int:
        """Passages listed in all: the same on every page."""
        return self.final.count()

    @property
    def all_words(self) -> int | None:
        """Passages with all the words, when passages with some of them follow; else None."""
        return self.lists[0].count() if len(self.lists) > 1 else None

    def stream(self, fetch: int, sort: str, by_score: bool = True) -> Iterator[tuple[int, float, int]]:
        """(docnum, score, number of the list) of each list in turn, best first within each
        (see MatchSet.ordered for ``by_score``)."""
        for group, matches in enumerate(self.lists):
            exclude = self.lists[group - 1] if group else None
            for docnum, score in matches.ordered(fetch, sort, exclude, by_score):
                yield docnum, score, group


def match(gen: OpenGeneration, plan: Plan) -> Candidates:
    """The candidates of a planned search, scored with numpy where the plan says so and the
    query allows, else by Whoosh."""
    if plan.numpy:
        found = _numpy_candidates(gen, plan)
        if found is not None:
            return found
    searcher = gen.searchers[plan.mode]
    first = WhooshMatches(searcher, plan.query, plan.filter)
    if plan.relaxed is None or first.count() >= RELAX_BELOW:
        return Candidates((first,), (plan.query,))
    relaxed = WhooshMatches(searcher, plan.relaxed, plan.filter)
    return _with_relaxed(first, relaxed, plan)


def _numpy_candidates(gen: OpenGeneration, plan: Plan) -> Candidates | None:
    """None when the query uses something only Whoosh can score (phrases are scored here;
    wildcards, fuzzy words and inline metadata fields are not)."""
    scorer = gen.scorer(plan.mode)
    allowed = scorer.mask(plan.filter) if plan.filter is not None else None
    bag = weighted_terms(plan.query) if plan.mode == "text" else None
    memo: dict[Any, Any] = {}  # each term's postings, decoded once for both forms of the query
    scored = scorer.score(bag, allowed) if bag is not None else scorer.evaluate(plan.query, allowed, memo)
    if scored is None:
        return None

    def dates() -> Any:
        return scorer.column(schema.ANSWERED)

    first = NumpyMatches(scored, dates)
    if plan.relaxed is None or first.count() >= RELAX_BELOW:
        return Candidates((first,), (plan.query,))
    relaxed = scorer.evaluate(plan.relaxed, allowed, memo)
    if relaxed is None:
        return None
    return _with_relaxed(first, NumpyMatches(relaxed, dates), plan)


def _with_relaxed(first: MatchSet, relaxed: MatchSet, plan: Plan) -> Candidates:
    assert plan.relaxed is not None
    if relaxed.count() <= first.count():
        return Candidates((first,), (plan.query,))
    return Candidates((first, relaxed), (plan.query, plan.relaxed), (relaxed_warning(first.count()),))


def relaxed_warning(all_words: int) -> str:
    """What the user is told when passages with some of the words follow those with all."""
    if all_words:
        return (f"{all_words} passage{'s' if all_words != 1 else ''} with all the words;"
                " after them, passages with some of them")
    return "no passage has all the words; showing passages with some of them"


def weighted_terms(q: wq.Query) -> list[tuple[str, str, float]] | None:
    """(field, term, boost) of a query that only adds up term scores (a pasted question), else None."""
    if isinstance(q, wq.Term):
        return [(q.fieldname, q.text, q.boost)]
    if type(q) is not wq.Or or getattr(q, "scale", None):
        return None
    out: list[tuple[str, str, float]] = []
    for child in q.subqueries:
        sub = weighted_terms(child)
        if sub is None:
            return None
        out.extend((f, t, b * q.boost) for f, t, b in sub)
    return out


def _matching(searcher: Any, q: wq.Query, filter_q: wq.Query | None, mask: wq.Query | None) -> list[int]:
    """The sorted docnums of the passages that ``q`` matches, within the filter, outside the mask."""
    docnums: Iterable[int]
    weighted = weighted_terms(q)
    if weighted is not None:
        # A bag of words (a pasted question): the union of the posting lists is several
        # times faster than running Whoosh's union matcher tree.
        union: set[int] = set()
        for fieldname, text, _boost in weighted:
            try:
                union.update(searcher.postings(fieldname, text).all_ids())
            except TermNotFound:
                continue
        docnums = sorted(union)
    else:
        docnums = searcher.docs_for_query(q)
    if filter_q is not None:
        allowed = set(searcher.docs_for_query(filter_q))
        docnums = [d for d in docnums if d in allowed]
    if mask is not None:
        masked = set(searcher.docs_for_query(mask))
        docnums = [d for d in docnums if d not in masked]
    return list(docnums)
