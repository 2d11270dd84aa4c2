"""Stage 2, analysis: Dutch text to index terms, as picklable Whoosh analyzer chains.

Owns folding (accents, invisible characters), stop words, Snowball stemming with its
overstemming repaired, lemmas, compound splitting and the analyzers of every index field. Pure
functions of text: imports nothing of kvsearch but itself. Whoosh pickles the analyzers into
each index's schema, so every class named below must stay importable as ``kvsearch.analysis.X``
(indexes written before the package split name them so), and ANALYSIS_VERSION must be bumped
whenever the tokens for some text change.

Modules: ``words`` (version, token pattern, stop words, fold), ``stemming`` (stems and lemmas),
``wordlists`` (derived word lists, cached per user), ``compounds``, ``filters`` and ``analyzers``.
"""

from __future__ import annotations

from .analyzers import (
    DutchExactAnalyzer,
    DutchTextAnalyzer,
    exact_analyzer,
    name_analyzer,
    text_analyzer,
    word_forms,
    word_spans,
)
from .compounds import compound_terms, split_compound
from .filters import (
    DecompoundFilter,
    DedupeFilter,
    DutchStemFilter,
    DutchStopFilter,
    FoldFilter,
    WordPartsFilter,
    is_acronym,
)
from .stemming import LemmaTable, lemmas, stem
from .wordlists import lexicon
from .words import ANALYSIS_VERSION, INVISIBLE, STOP_WORDS, TOKEN_PATTERN, fold

__all__ = [
    "ANALYSIS_VERSION",
    "INVISIBLE",
    "STOP_WORDS",
    "TOKEN_PATTERN",
    "DecompoundFilter",
    "DedupeFilter",
    "DutchExactAnalyzer",
    "DutchStemFilter",
    "DutchStopFilter",
    "DutchTextAnalyzer",
    "FoldFilter",
    "LemmaTable",
    "WordPartsFilter",
    "compound_terms",
    "exact_analyzer",
    "fold",
    "is_acronym",
    "lemmas",
    "lexicon",
    "name_analyzer",
    "split_compound",
    "stem",
    "text_analyzer",
    "word_forms",
    "word_spans",
]
