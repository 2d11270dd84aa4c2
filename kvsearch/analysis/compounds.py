"""Splitting Dutch compounds into their parts (linking s, e, en), with the frequency lexicon."""


from __future__ import annotations

import functools

from .wordlists import lexicon
from .words import _LINKERS, MAX_COMPOUND, MIN_COMPOUND, MIN_PART, MIN_PART_ZIPF


@functools.lru_cache(maxsize=200_000)
def split_compound(word: str) -> tuple[str, ...]:
    """The parts of a Dutch compound (folded, linking s/e/en removed), or () if not one.

    "kinderopvangtoeslag" -> ("kinderopvang", "toeslag") is found first, then each part is split
    further; the result lists the leaf parts in order: ("kinder", "opvang", "toeslag").
    """
    if not MIN_COMPOUND <= len(word) <= MAX_COMPOUND or not word.isalpha():
        return ()
    lex = lexicon()
    whole = lex.get(word, 0.0)
    best: tuple[float, str, str] | None = None
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        head = word[:cut]
        for linker in _LINKERS:
            if linker and not word[cut:].startswith(linker):
                continue
            tail = word[cut + len(linker) :]
            if len(tail) < MIN_PART:
                continue
            head_z, tail_z = lex.get(head, 0.0), lex.get(tail, 0.0)
            if tail_z < MIN_PART_ZIPF and not split_compound(tail):
                continue
            if head_z < MIN_PART_ZIPF:
                continue
            score = min(head_z, tail_z if tail_z else MIN_PART_ZIPF)
            if score <= whole:
                continue
            if best is None or score > best[0]:
                best = (score, head, tail)
    if best is None:
        return ()
    _, head, tail = best
    return (*(split_compound(head) or (head,)), *(split_compound(tail) or (tail,)))


@functools.lru_cache(maxsize=200_000)
def compound_terms(word: str) -> tuple[str, ...]:
    """Every contiguous run of a compound's parts, as spelled in the word (linkers inside kept).

    "gezichtsherkenningssoftware" -> "gezicht", "gezichtsherkenning", "herkenning",
    "herkenningssoftware", "software": so a query for any of them finds the compound.
    """
    parts = split_compound(word)
    if len(parts) < 2:
        return ()
    # Locate each part in the word to recover the linkers between them.
    spans: list[tuple[int, int]] = []
    pos = 0
    for part in parts:
        start = word.find(part, pos)
        if start < 0:
            return parts
        spans.append((start, start + len(part)))
        pos = start + len(part)
    out = []
    for i in range(len(spans)):
        for j in range(i, len(spans)):
            if i == 0 and j == len(spans) - 1:
                continue
            out.append(word[spans[i][0] : spans[j][1]])
    return tuple(dict.fromkeys(out))
