"""Which words of a passage to mark: the indexed terms a query can match, found again in the text.

A word the query has on its own is marked wherever it stands; a word that is only part of a
phrase ("zwarte lijst") is marked only where the whole phrase stands.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq

from .. import analysis
from ..index import schema

_TEXT_FIELDS = (schema.TEXT, schema.EXACT)


@dataclass(frozen=True)
class Marks:
    """What to mark: terms of the stemmed and the exact field, and phrases as a list of slots,
    each the exact forms that may stand at that place."""

    stemmed: frozenset[str] = frozenset()
    exact: frozenset[str] = frozenset()
    phrases: tuple[tuple[frozenset[str], ...], ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.stemmed or self.exact or self.phrases)


def highlight_terms(searcher: Any, q: wq.Query) -> Marks:
    """The indexed terms and phrases a passage can have matched on."""
    reader = searcher.reader()
    found: dict[str, set[str]] = {schema.TEXT: set(), schema.EXACT: set()}
    phrases: list[tuple[frozenset[str], ...]] = []
    for leaf in _positive_leaves(q):
        if isinstance(leaf, wq.Phrase):
            if leaf.fieldname == schema.EXACT:
                phrases.append(tuple(frozenset([w]) for w in leaf.words))
            continue
        if isinstance(leaf, wq.Sequence):
            slots = [frozenset(t for f, t in sub.iter_all_terms() if f == schema.EXACT) for sub in leaf.subqueries]
            if all(slots):
                phrases.append(tuple(slots))
            continue
        try:
            terms = leaf.existing_terms(reader, expand=True)
        except Exception:  # an expanding query over a huge vocabulary must not break a search
            continue
        for fieldname, term in terms:
            if fieldname in found:
                found[fieldname].add(term.decode("utf-8") if isinstance(term, bytes) else term)
    return Marks(frozenset(found[schema.TEXT]), frozenset(found[schema.EXACT]), tuple(dict.fromkeys(phrases)))


def highlight_spans(text: str, marks: Marks) -> tuple[tuple[int, int], ...]:
    """Character spans of the words and phrases of ``marks`` in ``text``.

    The stored text is analysed again by the index analyzers, so a stemmed, folded or compound
    match is marked on the original word.
    """
    if not marks:
        return ()
    spans: list[tuple[int, int]] = []
    tokens = list(analysis.word_spans(text))
    forms = [analysis.word_forms(word) for word, _, _ in tokens]
    if marks.stemmed or marks.exact:
        for (_word, start, end), (text_forms, exact_forms) in zip(tokens, forms):
            if not marks.stemmed.isdisjoint(text_forms) or not marks.exact.isdisjoint(exact_forms):
                spans.append((start, end))
    for slots in marks.phrases:
        first, rest = slots[0], slots[1:]
        for i in range(len(tokens) - len(rest)):
            if first.isdisjoint(forms[i][1]):
                continue
            if all(not slot.isdisjoint(forms[i + k][1]) for k, slot in enumerate(rest, start=1)):
                spans.append((tokens[i][1], tokens[i + len(rest)][2]))
    return _merge(spans)


def _positive_leaves(q: wq.Query) -> Iterable[wq.Query]:
    """Leaf queries that contribute matches (not negated, not metadata filters); phrases whole."""
    if isinstance(q, wq.Not):
        return
    if isinstance(q, wq.ConstantScoreQuery) and not any(f in _TEXT_FIELDS for f, _ in q.iter_all_terms()):
        return  # a metadata field (an expanded prefix is a constant score over text terms)
    if isinstance(q, (wq.Phrase, wq.Sequence)):
        yield q
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
