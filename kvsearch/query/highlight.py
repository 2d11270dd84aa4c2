"""Which words of a passage to mark: the indexed terms a query can match, found again in the text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from whoosh import query as wq

from .. import analysis
from ..index import schema


def highlight_terms(searcher: Any, q: wq.Query) -> dict[str, set[str]]:
    """The indexed terms, per text field, that a passage can have matched on."""
    reader = searcher.reader()
    out: dict[str, set[str]] = {schema.TEXT: set(), schema.EXACT: set()}
    for leaf in _positive_leaves(q):
        try:
            found = leaf.existing_terms(reader, expand=True)
        except Exception:  # an expanding query over a huge vocabulary must not break a search
            continue
        for fieldname, term in found:
            if fieldname in out:
                out[fieldname].add(term.decode("utf-8") if isinstance(term, bytes) else term)
    return out


def highlight_spans(text: str, terms: dict[str, set[str]]) -> tuple[tuple[int, int], ...]:
    """Character spans of the words in ``text`` whose analysed form is one of ``terms``.

    The stored text is analysed again by the index analyzers, so a stemmed, folded or compound
    match is marked on the original word.
    """
    stemmed, exact = terms.get(schema.TEXT, set()), terms.get(schema.EXACT, set())
    spans: list[tuple[int, int]] = []
    if not (stemmed or exact):
        return ()
    for word, start, end in analysis.word_spans(text):
        text_forms, exact_forms = analysis.word_forms(word)
        if not stemmed.isdisjoint(text_forms) or not exact.isdisjoint(exact_forms):
            spans.append((start, end))
    return _merge(spans)


def _positive_leaves(q: wq.Query) -> Iterable[wq.Query]:
    """Leaf queries that contribute matches (not negated, not metadata filters)."""
    if isinstance(q, (wq.Not, wq.ConstantScoreQuery)):
        return
    children = list(q.children())
    if not children:
        yield q
        return
    for child in children:
        yield from _positive_leaves(child)


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)
