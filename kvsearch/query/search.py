"""A query's way through the stages, top to bottom: parse -> plan -> match -> rank -> hits.

Each stage is a module of this package with one entry point, and passes a typed value to the
next: :class:`ParsedQuery` (parse), :class:`Plan` (plan), :class:`Candidates` (match),
:class:`Ranked` (rank), and the hits (hits). Start reading here.
"""

from __future__ import annotations

import dataclasses

from whoosh import query as wq

from ..errors import DocumentNotFoundError, KvsearchError
from ..index import schema
from ..models import Document, DocumentMeta, SearchResult
from . import names
from .facets import facet_counts
from .filters import Filters
from .generation import OpenGeneration
from .hits import make_hits
from .match import Candidates, WhooshMatches, match
from .parse import DATE_FIELDS, boilerplate_terms, everything, field_query, parse
from .plan import DEFAULT_LIMIT, DEFAULT_PER_DOCUMENT, Plan, plan_search, with_questions
from .rank import rank
from .suggest import SUGGEST_BELOW, suggest

SIMILAR_TERMS = 25


def search(
    gen: OpenGeneration,
    text: str | None,
    *,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    per_document: int | None = DEFAULT_PER_DOCUMENT,
    filters: Filters | None = None,
    mode: str = "auto",
    sort: str = "relevance",
    facets: bool = False,
    relax: bool = True,
) -> SearchResult:
    """Rank the passages that match ``text``; see :func:`kvsearch.search` (and
    :func:`kvsearch.query.plan.plan_search` for ``relax``).

    Without words (``text`` None or blank) and with a filter, every passage the filter allows
    (an alert on "all that VWS answers"), newest answer first unless another date order is
    asked, each document's passages in their order; without a filter it is refused as an
    empty query.
    """
    if (text is None or (isinstance(text, str) and not text.strip())) and filters:
        parsed = everything()
        plan = dataclasses.replace(
            plan_search(gen, parsed, filters=filters, sort="newest" if sort == "relevance" else sort,
                        limit=limit, offset=offset, per_document=per_document, facets=facets, relax=relax),
            listing=True,
        )
    else:
        parsed = parse(text, mode=mode, known=gen.distinct_values)  # type: ignore[arg-type]  # None: "the query must be text"
        plan = plan_search(gen, parsed, filters=filters, sort=sort, limit=limit, offset=offset,
                           per_document=per_document, facets=facets, relax=relax)
    candidates = match(gen, plan)
    ranked = rank(gen, plan, candidates) if candidates.total else None
    hits = make_hits(gen, ranked, candidates.queries[-1]) if ranked else ()
    unmatched = empty_filters(gen, filters, parsed.fields) if not candidates.total else ()
    return SearchResult(
        query=plan.text,
        total=candidates.total,
        total_documents=candidates.final.documents(),
        hits=hits,
        offset=offset,
        warnings=plan.warnings + candidates.warnings + unmatched,
        suggestion=(suggest(gen, plan.text) if plan.text and candidates.total < SUGGEST_BELOW
                    and plan.mode == "syntax" else None),
        facets=facet_counts(_metas(gen, candidates)) if facets else {},
        all_words=candidates.all_words,
    )


def empty_filters(gen: OpenGeneration, filters: Filters | None,
                  typed: tuple[tuple[str, str, str], ...] = ()) -> tuple[str, ...]:
    """A warning for each filter (option, or field clause ``typed`` in the query) that no
    passage passes, whatever the words, naming the closest values the index has ("no answer
    has minister 'veldkam' (closest: Veldkamp)")."""
    searcher = gen.searcher
    out = []
    for name, fieldname, value in (*(filters.fields() if filters else ()), *typed):
        if fieldname in DATE_FIELDS:
            continue
        q = field_query(fieldname, value, None, gen.distinct_values)
        if next(iter(searcher.docs_for_query(q)), None) is not None:
            continue
        near = names.closest(value, gen.distinct_values(fieldname))
        hint = f" (closest: {', '.join(near)})" if near else ""
        out.append(f"no answer has {name} '{value}'{hint}")
    dates = Filters(since=filters.since, until=filters.until, late=filters.late) if filters else None
    if dates:
        q = dates.query()
        if q is not None and next(iter(searcher.docs_for_query(q)), None) is None:
            out.append(f"no answer matches the dates asked ({_date_bounds_text(filters)})")
    return tuple(out)


def _date_bounds_text(filters: Filters) -> str:
    parts = [f"since {filters.since}" if filters.since else "", f"until {filters.until}" if filters.until else "",
             "answered late" if filters.late else ""]
    return ", ".join(p for p in parts if p)


def similar(gen: OpenGeneration, key: str | None = None, *, text: str | None = None,
            limit: int = DEFAULT_LIMIT) -> SearchResult:
    """Documents most like an indexed document (by id) or a pasted text, best passage each,
    never the document itself."""
    if (key is None) == (text is None):
        raise KvsearchError("give either a document id or a text")
    exclude = None
    if key is not None:
        doc = document(gen, key)
        exclude = doc.doc_id
        # The questions it quotes say what it is about as well as its answers do.
        source = "\n".join([*(q.text for q in doc.questions), *doc.paragraphs])
    else:
        source = text or ""
    # A pasted question's form ("Bent u bereid", "Kunt u aangeven") is not its topic, as in search.
    terms = _key_terms(gen, source, drop=boilerplate_terms() if text is not None else frozenset())
    if not terms:
        raise KvsearchError("the text has no searchable words")
    # Like a pasted question, its words are looked for in the questions answers quote too.
    q = with_questions(wq.Or([wq.Term(schema.TEXT, t, boost=w) for t, w in terms]), "text")
    # The document itself is masked out rather than queried out: whoosh3's AndNot keeps
    # the first match when the excluded postings start before it, so a one-document index
    # found the document "similar" to itself, but listed nothing.
    mask = wq.Term(schema.DOC_ID, exclude) if exclude is not None else None
    plan = Plan(text=key or source[:80], mode="syntax", query=q, relaxed=None, filter=None,
                sort="relevance", limit=limit, offset=0, per_document=1, rerank=None, numpy=False, facets=False)
    candidates = Candidates((WhooshMatches(gen.searcher, q, None, mask),), (q,))
    ranked = rank(gen, plan, candidates) if candidates.total else None
    return SearchResult(
        query=plan.text,
        total=candidates.total,
        total_documents=candidates.final.documents(),
        hits=make_hits(gen, ranked, q) if ranked else (),
    )


def _key_terms(gen: OpenGeneration, source: str, drop: frozenset[str] = frozenset()) -> list[tuple[str, float]]:
    """The most telling stems of ``source`` but those in ``drop``, weighted, judged against the
    answers' words and against the questions' (a word that only questions use,
    "Stikstoffonds", still counts)."""
    weights: dict[str, float] = {}
    for fieldname in (schema.TEXT, schema.QUESTION):
        for term, weight in gen.searcher.key_terms_from_text(fieldname, source, numterms=SIMILAR_TERMS + len(drop)):
            if term not in drop:
                weights[term] = max(weight, weights.get(term, 0.0))
    return sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:SIMILAR_TERMS]


def matching_documents(gen: OpenGeneration, text: str | None, filters: Filters | None = None) -> tuple[list[DocumentMeta], int]:
    """Metadata of every document with a passage matching ``text`` (all, if None) and
    filters, and the number of matching passages."""
    q = with_questions((parsed := parse(text)).query, parsed.mode) if text else wq.Every()
    matches = WhooshMatches(gen.searcher, q, filters.query(gen.distinct_values) if filters else None)
    return _metas_of(gen, matches.per_document), matches.count()


def document(gen: OpenGeneration, key: str) -> Document:
    """One whole document by doc id or official id (``ah-tk-20202021-2310``, ``2020Z25656``)."""
    doc_id = gen.store.resolve(key.strip())
    if doc_id is None:
        raise DocumentNotFoundError(f"no document with id {key!r} in the index")
    meta = gen.store.meta(doc_id) or DocumentMeta(doc_id=doc_id)
    asked = gen.store.questions(doc_id)
    return Document(**{**meta.__dict__, "paragraphs": gen.store.paragraphs(doc_id),
                       "questions": asked.questions, "answers_to": asked.answers_to})


def _metas(gen: OpenGeneration, candidates: Candidates) -> list[DocumentMeta]:
    final = candidates.final
    assert isinstance(final, WhooshMatches), "facets are counted on Whoosh's matches (see plan)"
    return _metas_of(gen, final.per_document)


def _metas_of(gen: OpenGeneration, doc_ids: dict[str, int]) -> list[DocumentMeta]:
    return [m for d in doc_ids if (m := gen.store.meta(d)) is not None]

