"""Stage 5 of a query: the ranked page as :class:`kvsearch.Hit` values, text, marks and metadata."""

from __future__ import annotations

from whoosh import query as wq

from ..index import schema
from ..models import DocumentMeta, Hit
from .generation import OpenGeneration
from .highlight import highlight_spans, highlight_terms
from .rank import Ranked


def make_hits(gen: OpenGeneration, ranked: Ranked, q: wq.Query) -> tuple[Hit, ...]:
    """The hits of a page, the words that ``q`` matches marked in each."""
    terms = highlight_terms(gen.searcher, q)
    hits = []
    for _docnum, fields, score, more in ranked.page:
        doc_id = fields[schema.DOC_ID]
        paragraph = int(fields[schema.PARAGRAPH])
        text = gen.store.paragraph(doc_id, paragraph)
        asked = gen.store.questions(doc_id).of(paragraph)
        hits.append(Hit(
            doc_id=doc_id,
            paragraph=paragraph,
            score=score,
            text=text,
            spans=highlight_spans(text, terms),
            document=gen.store.meta(doc_id) or DocumentMeta(doc_id=doc_id),
            more=more,
            question="\n".join(q.line for q in asked) or None,
        ))
    return tuple(hits)
