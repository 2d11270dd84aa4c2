"""Second stage of ranking: the best passages re-scored by the character 4-grams they share
with the query.

The first stage (BM25F over stems and exact word forms) misses words that are related but
not conflated: compounds the decompounder leaves whole ("grondstoffenbeleid" against
"grondstoffen"), derivations the stemmer keeps apart ("landelijk" against "land"), spelling
variants. Their 4-grams still overlap. So the top passages of a word query get

    fused = score / best score + weight * 4-gram BM25 / best 4-gram BM25

where the 4-gram BM25 takes its idf from those passages themselves (as good as corpus-wide idf
on the dev queries, and it needs no extra index). Passages that were not re-scored keep
``score / best score``, which is never above a re-scored one's.

Measured with benchmarks/eval.py on the 876 dev queries (MRR@10, question / keywords):
0.623 / 0.320 -> 0.643 / 0.339; both halves of the queries gain (even 0.625 -> 0.653,
odd 0.620 -> 0.633 on the question track), and any depth of 20-100 and weight of 0.35-1.0
gains on both tracks.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..analysis import STOP_WORDS, fold

# How many first-stage passages are re-scored. A pasted question gains up to 50 (MRR@10 0.640
# at 20, 0.643 at 50); a few typed words gain as much at 20 (0.3385 at 20, 0.3389 at 50), and
# stay fast: each re-scored passage is read from the store and split into 4-grams.
DEPTH_QUESTION = 50
DEPTH_WORDS = 20
# The weight of the 4-grams. Since lemmas joined more word forms in the first stage, a pasted
# question gains from a little more (MRR@10 0.653 at 0.5, 0.656 at 0.65 and at 0.8, both halves
# of the queries gaining); typed words do not (0.347 at 0.5, 0.342 at 0.65).
WEIGHT_QUESTION = 0.65
WEIGHT_WORDS = 0.5
# Whether a passage's 4-grams include those of the question it answers.
WITH_QUESTION = True


@dataclass(frozen=True)
class Rerank:
    """What re-ranks a search: the text whose 4-grams count, how many passages, and the
    4-grams' weight."""

    text: str
    depth: int
    weight: float
_GRAM = 4
_K1 = 1.2
_B = 0.75
_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=200_000)
def _word_grams(word: str) -> tuple[str, ...]:
    folded = fold(word)
    if folded in STOP_WORDS:
        return ()
    marked = f"_{folded}_"  # word boundaries count: "_oorl" is not "oorl" inside "voorlopig"
    return tuple(marked[i : i + _GRAM] for i in range(len(marked) - _GRAM + 1))


def grams(text: str) -> Counter[str]:
    """The 4-grams of a text's words (stop words left out), with their counts."""
    out: Counter[str] = Counter()
    for word in _WORD.findall(text.lower()):
        out.update(_word_grams(word))
    return out


def gram_scores(query: str, passages: Sequence[str]) -> list[float]:
    """BM25 of each passage over the query's 4-grams, with idf taken from ``passages``."""
    wanted = grams(query)
    if not wanted or not passages:
        return [0.0] * len(passages)
    # Per distinct word of the passages: how many 4-grams it has and which of them the query
    # has (usually none), worked out once.
    seen: dict[str, tuple[int, tuple[str, ...]]] = {}
    bags: list[dict[str, int]] = []
    lengths: list[int] = []
    for passage in passages:
        bag: dict[str, int] = {}
        length = 0
        for word in _WORD.findall(passage.lower()):
            known = seen.get(word)
            if known is None:
                all_grams = _word_grams(word)
                known = seen[word] = (len(all_grams), tuple(g for g in all_grams if g in wanted))
            length += known[0]
            for g in known[1]:
                bag[g] = bag.get(g, 0) + 1
        bags.append(bag)
        lengths.append(length)
    n = len(bags)
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    idf = {g: math.log(1 + (n - m + 0.5) / (m + 0.5)) for g, m in df.items()}
    average = sum(lengths) / n or 1.0
    scores = []
    for bag, length in zip(bags, lengths):
        norm = _K1 * (1 - _B + _B * length / average)
        scores.append(sum(wanted[g] * idf[g] * tf * (_K1 + 1) / (tf + norm) for g, tf in bag.items()))
    return scores


def fuse(
    query: str, scores: Sequence[float], groups: Sequence[int], passages: Sequence[str], weight: float
) -> list[float]:
    """First-stage scores and 4-gram scores of the same passages, combined (see the module).

    ``groups`` numbers the ranked lists the passages come from (passages with all the words,
    then those with some): each list's scores are divided by its own best.
    """
    best: dict[int, float] = {}
    for score, group in zip(scores, groups):
        best[group] = max(best.get(group, 0.0), score)
    extra = gram_scores(query, passages)
    best_extra = max(extra, default=0.0) or 1.0
    return [s / (best[g] or 1.0) + weight * e / best_extra for s, g, e in zip(scores, groups, extra)]
