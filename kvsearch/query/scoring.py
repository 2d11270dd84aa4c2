"""BM25F as kvsearch scores it: the idf, and the parameters per kind of query."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from whoosh import scoring


@dataclass(frozen=True)
class Bm25Params:
    """BM25F's term-frequency saturation (k1) and length normalisation (b)."""

    k1: float
    b: float


# BM25F parameters per kind of query, measured with benchmarks/eval.py (MRR@10, 876 dev
# queries; each setting gained on both halves of them). A pasted question has many words, most
# once: stronger length normalisation keeps long passages from winning on sheer vocabulary
# (b 0.75 -> 0.9: 0.653 -> 0.654, with lemmas). A few typed words: a low k1 lets a passage with
# more of the words beat one repeating a single word (k1 1.2 -> 0.6: 0.338 -> 0.345).
BM25_QUESTION = Bm25Params(k1=1.2, b=0.9)
BM25_WORDS = Bm25Params(k1=0.6, b=0.75)
# Per query mode (kvsearch.query.parse): typed syntax, or a pasted text.
BM25 = {"syntax": BM25_WORDS, "text": BM25_QUESTION}


class Bm25(scoring.BM25F):
    """BM25F with the Robertson/Sparck Jones idf, log(1 + (N - n + 0.5) / (n + 0.5)).

    Whoosh's own idf, log(N / (n + 1)) + 1, adds a constant 1 to every term, which flattens the
    difference between rare topic words and common ones in a long pasted question. Measured on
    the dev queries (MRR@10): questions 0.614 -> 0.622, keywords 0.317 -> 0.320.
    """

    def idf(self, searcher: Any, fieldname: str, text: str) -> float:
        parent = searcher.get_parent()
        n = parent.doc_frequency(fieldname, text)
        total = parent.doc_count_all()
        return math.log(1 + (total - n + 0.5) / (n + 0.5))
