"""BM25F as kvsearch scores it: the idf, and the parameters per kind of query."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from whoosh import scoring

from ..index import schema


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


# A passage shorter than this many words (a heading, a page header, a lone "Groningen") has its
# score scaled down by (words / SHORT_PASSAGE_WORDS) ** SHORT_PASSAGE_POWER, so that one
# that merely consists of the query words does not beat an answer about them; BM25's length
# normalisation alone puts such a passage first. Field lengths are those Whoosh stores (one
# byte each, so the numpy scorer reads the same). Chosen with benchmarks/eval.py: on 400 dev
# queries, none / 12 words ** 0.5 / 12 ** 1 / 16 ** 0.5 gave question MRR@10 0.659 / 0.659 /
# 0.659 / 0.660, Recall@100 0.863 / 0.868 / 0.868 / 0.868; keywords MRR@10 0.336 / 0.337 / 0.337
# / 0.337, Recall@100 0.657 / 0.660 / 0.662 / 0.660. The square root let "Ja, de Tweede Kamer."
# beat the answer that informs the Kamer; the linear prior does not.
SHORT_PASSAGE_WORDS = 12
SHORT_PASSAGE_POWER = 1.0
PRIOR_FIELD = schema.EXACT


def length_prior(words: float) -> float:
    """The factor a passage of ``words`` words scores with (1 from SHORT_PASSAGE_WORDS on)."""
    if words >= SHORT_PASSAGE_WORDS:
        return 1.0
    return float(max(words, 1.0) / SHORT_PASSAGE_WORDS) ** SHORT_PASSAGE_POWER


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

    # Whoosh then skips no blocks of postings on its own (top-N) path; numpy scores most queries.
    use_final = True

    def final(self, searcher: Any, docnum: int, score: float) -> float:
        """The score scaled by the passage's length prior (see length_prior)."""
        # whoosh3 answers None, not the default, for a passage with no words in the field.
        return score * length_prior(searcher.doc_field_length(docnum, PRIOR_FIELD, 0) or 0)
