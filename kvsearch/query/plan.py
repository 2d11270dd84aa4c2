"""Stage 2 of a query: decide how a parsed query runs (which words, which scorer, re-ranking).

A :class:`Plan` is everything the later stages need and nothing they must work out again: the
query with a pasted question cut to its most informative words, the relaxed form of a list of
words, the filter, the sort, the page, whether numpy scores it, and how its head is re-ranked.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import sys
from dataclasses import dataclass

from whoosh import query as wq

from .. import analysis
from ..errors import ParameterError, QueryError
from ..index import schema
from . import rerank
from .filters import Filters
from .generation import OpenGeneration
from .parse import ParsedQuery, parse

DEFAULT_LIMIT = 10
DEFAULT_PER_DOCUMENT = 3
SORTS = ("relevance", "newest", "oldest")
# Score with numpy from the posting lists where the query allows (kvsearch.query.ranking);
# False runs every query through Whoosh's own matchers (the tests compare the two).
NUMPY_SCORING = True
# A process that runs one query and exits (the terminal command) sets ONE_SHOT: it then scores
# with numpy only pasted questions and queries with more postings than NUMPY_MIN_POSTINGS, as
# importing numpy costs it some 80 ms, more than Whoosh needs for a few thousand postings.
ONE_SHOT = False
NUMPY_MIN_POSTINGS = 50_000
# At most this many words of a pasted question are searched, the rarest ones: a bound on the
# work for very long pasted texts (measured on dev questions, MRR@10: 16 words 0.592, 24 words
# 0.618, no cap 0.621).
MAX_TEXT_CLAUSES = 32
# A list of words that fewer passages than this contain all of is followed by the passages
# with some of them. Decided by the query alone, never by the page asked for, so the total is
# the same on every page (and paging walks through one list).
RELAX_BELOW = 100
# A word found in the question a passage answers counts at this weight of the same word in the
# passage itself (kvsearch.index.schema.QUESTION), per query mode. Measured with
# benchmarks/questions_eval.py: its figures are in benchmarks/RESULTS.md.
QUESTION_WEIGHT = {"syntax": 1.0, "text": 1.0}
# A prefix or fuzzy word standing for more words than this is matched as a whole, every
# passage scoring the same (``ge*`` stands for tens of thousands of words).
MAX_EXPANSION = 500


@dataclass(frozen=True)
class Plan:
    """How one search runs."""

    text: str  # the query as read: control characters and terminal colour codes removed
    mode: str  # "syntax" (typed words and operators) or "text" (a pasted question)
    query: wq.Query
    relaxed: wq.Query | None  # any of the words, for a list of words that must all match
    filter: wq.Query | None
    sort: str
    limit: int
    offset: int
    per_document: int | None
    rerank: rerank.Rerank | None
    numpy: bool  # scored from the posting lists with numpy (else Whoosh's matchers)
    facets: bool
    warnings: tuple[str, ...] = ()
    # Filters without words: every passage they let through, each document's in its order.
    listing: bool = False

    @property
    def wanted(self) -> int:
        """How many ranked passages the page needs, counting those before it."""
        return self.offset + self.limit


def check_page(limit: int, offset: int, sort: str) -> None:
    """Refuse a page or sort that cannot be listed."""
    if limit < 1:
        raise ParameterError(f"{{limit}} must be at least 1, not {limit!r}", "limit")
    if offset < 0:
        raise ParameterError(f"{{offset}} must be at least 0, not {offset!r}", "offset")
    if sort not in SORTS:
        raise ParameterError(f"unknown {{sort}} {ParameterError.literal(repr(sort))} (use {', '.join(SORTS)})", "sort")


def plan_search(
    gen: OpenGeneration,
    parsed: ParsedQuery,
    *,
    filters: Filters | None,
    sort: str,
    limit: int,
    offset: int,
    per_document: int | None,
    facets: bool,
    relax: bool = True,
) -> Plan:
    """The plan for a parsed query on an open generation; without ``relax``, passages with some
    of the words never follow those with all of them (an alert reports only full matches)."""
    check_page(limit, offset, sort)
    parsed = _lone_compound(gen, parsed)
    warnings = parsed.warnings
    if parsed.mode == "text":
        q = _cap_terms(gen, parsed.query)
        if q is not parsed.query:
            warnings += (f"a long text: searched by its {MAX_TEXT_CLAUSES} most distinctive words",)
    else:
        q = _expanded(gen, parsed.query)
    relaxed = _expanded(gen, parsed.relaxed) if parsed.relaxed is not None and relax else None
    filter_q = filters.query(gen.distinct_values) if filters else None
    if isinstance(q, wq.Every) and filter_q is not None:
        # No words: the filter is the query, every passage it allows scored alike. Running
        # Every() and filtering it would walk every passage of the index.
        q, filter_q = wq.ConstantScoreQuery(filter_q, 1.0), None
    q = with_questions(q, parsed.mode)
    return Plan(
        text=parsed.text,
        mode=parsed.mode,
        query=q,
        relaxed=with_questions(relaxed, parsed.mode) if relaxed is not None else None,
        filter=filter_q,
        sort=sort,
        limit=limit,
        offset=offset,
        per_document=per_document,
        rerank=_reranking(parsed, q) if sort == "relevance" else None,
        # Facets count per document id, which the Whoosh path keeps.
        numpy=not facets and _numpy_pays(gen, parsed, q),
        facets=facets,
        warnings=warnings,
    )


def _lone_compound(gen: OpenGeneration, parsed: ParsedQuery) -> ParsedQuery:
    """A compound typed alone that no passage contains ("stikstofbeleid") is searched by its
    parts ("stikstof beleid"), and the user is told; next to other words its parts already
    count (see the relaxed query)."""
    if parsed.mode != "syntax" or len(parsed.words) != 1 or not _plain_words(parsed.query):
        return parsed
    reader = gen.searcher.reader()
    terms = list(parsed.query.iter_all_terms())
    # A word only the questions have is in the index too (see with_questions).
    terms += [(schema.QUESTION, t) for f, t in terms if f == schema.TEXT]
    if any(reader.doc_frequency(f, t) for f, t in terms):
        return parsed
    word = parsed.words[0]
    parts = analysis.split_compound(analysis.fold(word))
    if len(parts) < 2:
        return parsed
    try:
        by_parts = parse(" ".join(parts), mode="syntax")
    except QueryError:  # parts that are all stop words
        return parsed
    note = f"no passage has '{word}': searched for its parts, {' + '.join(parts)}"
    return dataclasses.replace(by_parts, text=parsed.text, warnings=(*parsed.warnings, note, *by_parts.warnings))


def _expanded(gen: OpenGeneration, q: wq.Query) -> wq.Query:
    """``q`` with each prefix (``gezicht*``) and fuzzy word (``gezichtsherkening~``) replaced by
    the words it stands for, each worth a constant 1: a passage ranks by how many of them it
    has, not by how rare one of them is. (Whoosh scores an expanding query per segment,
    with BM25 where it expands to one word and as a constant where it expands to more: a
    1963 "gezichtspunt" scored 4.9, every passage on facial recognition 1.0.)"""
    if isinstance(q, (wq.Prefix, wq.FuzzyTerm)):
        words = sorted({t.decode("utf-8") if isinstance(t, bytes) else t
                        for _, t in itertools.islice(q.expanded_terms(gen.searcher.reader()), MAX_EXPANSION + 1)})
        if not words:
            return q
        if len(words) > MAX_EXPANSION:
            return wq.ConstantScoreQuery(q, q.boost)
        return wq.Or([wq.ConstantScoreQuery(wq.Term(q.fieldname, w), q.boost) for w in words])
    if q.is_leaf():
        return q
    return q.apply(lambda child: _expanded(gen, child))


def _cap_terms(gen: OpenGeneration, q: wq.Query) -> wq.Query:
    """Keep the most informative words of a long pasted question (bounded work per query);
    common words add little to the ranking and most of the cost."""
    clauses = list(q.subqueries) if isinstance(q, wq.Or) else [q]
    if len(clauses) <= MAX_TEXT_CLAUSES:
        return q
    searcher = gen.searcher

    def weight(clause: wq.Query) -> float:
        terms = [t for t in clause.terms() if t[0] == schema.TEXT]
        return max((searcher.idf(f, t) for f, t in terms), default=0.0) * (clause.boost or 1.0)

    kept = sorted(clauses, key=weight, reverse=True)[:MAX_TEXT_CLAUSES]
    return wq.Or(kept, scale=getattr(q, "scale", None))


def with_questions(q: wq.Query, mode: str) -> wq.Query:
    """``q`` with every stemmed word also looked for in the questions that passages answer, at
    ``QUESTION_WEIGHT[mode]`` (a word in a passage's question counts as in the passage, also for
    NOT). Phrases, prefixes, fuzzy words and metadata look in the passage's own words only."""
    weight = QUESTION_WEIGHT[mode]
    if not weight:
        return q
    kind = type(q)
    if kind is wq.Term:
        if q.fieldname != schema.TEXT:
            return q
        return wq.Or([q, wq.Term(schema.QUESTION, q.text, boost=q.boost * weight)])
    if kind in (wq.And, wq.Or):
        out = copy.copy(q)  # keeps an Or's scale and every boost
        out.subqueries = [with_questions(c, mode) for c in q.subqueries]
        return out
    if kind is wq.Not:
        out = copy.copy(q)
        out.query = with_questions(q.query, mode)
        return out
    if kind is wq.AndNot:
        out = copy.copy(q)
        out.a, out.b = with_questions(q.a, mode), with_questions(q.b, mode)
        return out
    return q


def _numpy_pays(gen: OpenGeneration, parsed: ParsedQuery, q: wq.Query) -> bool:
    if not NUMPY_SCORING:
        return False
    if not ONE_SHOT or parsed.mode == "text" or "numpy" in sys.modules:
        return True
    postings = 0
    for fieldname, text in q.iter_all_terms():
        if fieldname in (schema.TEXT, schema.EXACT, schema.QUESTION):
            postings += gen.searcher.doc_frequency(fieldname, text)
    return postings > NUMPY_MIN_POSTINGS


def _reranking(parsed: ParsedQuery, q: wq.Query) -> rerank.Rerank | None:
    """How the head is re-ranked by 4-grams (kvsearch.query.rerank): a pasted question as
    pasted, a query of plain words by its words; not at all for phrases, wildcards and fields."""
    if parsed.mode == "text":
        return rerank.Rerank(parsed.text, rerank.DEPTH_QUESTION, rerank.WEIGHT_QUESTION)
    if not _plain_words(q):
        return None
    words = " ".join(dict.fromkeys(t for f, t in q.iter_all_terms() if f == schema.EXACT))
    return rerank.Rerank(words, rerank.DEPTH_WORDS, rerank.WEIGHT_WORDS) if words else None


def _plain_words(q: wq.Query) -> bool:
    if type(q) is wq.Term:
        return q.fieldname in (schema.TEXT, schema.EXACT, schema.QUESTION, schema.MINISTER, schema.SUBMITTER)
    if type(q) in (wq.And, wq.Or):
        return all(_plain_words(c) for c in q.subqueries)
    return False
