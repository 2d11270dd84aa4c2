"""Stage 4 of a query: the final order of the candidates and the page asked for.

The head of each list is re-scored by character 4-grams (kvsearch.query.rerank), at most
``per_document`` passages of one document are kept, and only as many candidates are read as
the page needs: the first ``fetch`` of each list, four times more while the page is not full.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..index import schema
from . import rerank
from .generation import OpenGeneration
from .match import Candidates
from .plan import Plan


@dataclass(frozen=True)
class Ranked:
    """The page: (docnum, stored fields, score, further matching passages of its document left
    out of the list) per passage, in order."""

    page: tuple[tuple[int, Any, float, int], ...]


def rank(gen: OpenGeneration, plan: Plan, candidates: Candidates) -> Ranked:
    """The page of ``plan`` from ``candidates``, in final order."""
    total = candidates.total
    # Passages per document are capped here rather than by Whoosh's collapse option: its
    # collector scores every match, while a plain top-N search skips whole blocks of
    # postings that cannot make the list (much faster for long questions).
    fetch = plan.wanted if not plan.per_document else plan.wanted * 2 + 10
    if plan.sort != "relevance":
        fetch = total  # a date order takes every match at once
    searcher = gen.searcher
    while True:
        depth = max(fetch, plan.rerank.depth) if plan.rerank is not None else fetch
        chain = (
            (docnum, searcher.stored_fields(docnum), score, group)
            for docnum, score, group in candidates.stream(min(depth, total), plan.sort, by_score=not plan.listing)
        )
        page, shown = cap_per_document(_reranked(gen, chain, plan.rerank), plan.per_document, plan.wanted)
        if len(page) >= plan.wanted or fetch >= total:
            break
        fetch *= 4
    final = candidates.final
    return Ranked(tuple(
        (docnum, fields, score,
         final.passages_of(docnum) - shown[fields[schema.DOC_ID]] if plan.per_document else 0)
        for docnum, fields, score in page[plan.offset : plan.wanted]
    ))


def _reranked(
    gen: OpenGeneration, chain: Iterable[tuple[int, Any, float, int]], words: rerank.Rerank | None
) -> Iterator[tuple[int, Any, float]]:
    """(docnum, stored fields, score) in their final order. ``chain`` holds the ranked lists
    in turn (the last item numbers the list); for a query of words (``words``) the head is
    re-scored by 4-grams within each list, and every score is divided by its list's best."""
    if words is None:
        for docnum, fields, score, _ in chain:
            yield docnum, fields, score
        return
    items = iter(chain)
    head = list(itertools.islice(items, words.depth))
    texts = [_rerank_text(gen, fields[schema.DOC_ID], int(fields[schema.PARAGRAPH])) for _, fields, _, _ in head]
    fused = rerank.fuse(words.text, [h[2] for h in head], [h[3] for h in head], texts, words.weight)
    best: dict[int, float] = {}
    for _, _, score, group in head:
        best.setdefault(group, score)
    for i in sorted(range(len(head)), key=lambda i: (head[i][3], -fused[i], i)):
        yield head[i][0], head[i][1], fused[i]
    for docnum, fields, score, group in items:
        yield docnum, fields, score / (best.setdefault(group, score) or 1.0)


def _rerank_text(gen: OpenGeneration, doc_id: str, paragraph: int) -> str:
    """What a passage's 4-grams are taken from: its text and, as the first stage searches it
    too, the question it answers (rerank.WITH_QUESTION)."""
    text = gen.store.paragraph(doc_id, paragraph)
    if not rerank.WITH_QUESTION:
        return text
    asked = gen.store.questions(doc_id).of(paragraph)
    return "\n".join([*(q.text for q in asked), text])


def cap_per_document(
    results: Iterable[tuple[int, Any, float]], per_document: int | None, wanted: int
) -> tuple[list[tuple[int, Any, float]], dict[str, int]]:
    """The first ``wanted`` passages with at most ``per_document`` per document, and how many
    of each document were kept."""
    page: list[tuple[int, Any, float]] = []
    shown: dict[str, int] = {}
    for hit in results:
        doc_id = str(hit[1][schema.DOC_ID])
        if per_document and shown.get(doc_id, 0) >= per_document:
            continue
        shown[doc_id] = shown.get(doc_id, 0) + 1
        page.append(hit)
        if len(page) >= wanted:
            break
    return page, shown
