"""Dutch analysis: tokenizer and filters for the index fields, as picklable Whoosh chains.

Chain of the stemmed ``text`` field, in order:

1. ``RegexTokenizer``: words, numbers and identifiers with inner hyphens and apostrophes kept
   together ("EU-controlelijst", "camera's", "2020Z25656", "F-35"); offsets into the original.
2. ``DutchStopFilter`` (before lower-casing, so that "OM" stays while "om" goes, and before
   folding, so "één" is not lost as "een"), then ``LowercaseFilter``.
3. ``FoldFilter``: unidecode per token ("geïmplementeerd" = "geimplementeerd"), so highlight
   offsets still point at the original characters.
4. ``WordPartsFilter``: "camera's" -> "camera"; "EU-controlelijst" -> "eucontrolelijst", plus
   (index time only) "eu" and "controlelijst" at the same position.
5. ``DecompoundFilter`` (index time only): "gezichtsherkenningssoftware" also yields
   "gezichtsherkenning", "herkenning", "software", ... at the compound's position and offsets.
6. ``DutchStemFilter``: Snowball ``dutch`` (Kraaij-Pohlmann) with its overstemming repaired.

Filters keep only small state (flags), since Whoosh pickles analyzers into the index; word
lists and stemmers are module-level and built lazily.
"""


from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from whoosh.analysis import LowercaseFilter, RegexTokenizer, Token
from whoosh.analysis.analyzers import CompositeAnalyzer

from .filters import (
    DecompoundFilter,
    DedupeFilter,
    DutchStemFilter,
    DutchStopFilter,
    FoldFilter,
    WordPartsFilter,
    is_acronym,
)
from .words import STOP_WORDS, TOKEN_PATTERN


def _tokenizer() -> RegexTokenizer:
    return RegexTokenizer(TOKEN_PATTERN)


# Per process, the terms each distinct word (see _word_key) yields when indexed (bounded).
_INDEX_TERMS: dict[str, tuple[str, ...]] = {}
_EXACT_FORMS: dict[str, tuple[str, ...]] = {}
_EXACT_QUERY_FORMS: dict[str, tuple[str, ...]] = {}
_WORD_CACHE_SIZE = 500_000


def _word_key(word: str) -> str:
    """What the terms of a word depend on: its lower case, but an acronym spelled as a stop
    word as it is (the stop filter keeps "OM", drops "om")."""
    lower = word.lower()
    return word if lower in STOP_WORDS and is_acronym(word) else lower


def _cached(cache: dict[str, tuple[str, ...]], word: str, filters: list, mode: str) -> tuple[str, ...]:
    terms = cache.get(word)
    if terms is None:
        token = Token(mode=mode, text=word, pos=0, startchar=0, endchar=len(word), boost=1.0)
        stream: Iterator[Token] = iter([token])
        for f in filters:
            stream = f(stream)
        terms = tuple(t.text for t in stream)
        if len(cache) >= _WORD_CACHE_SIZE:
            cache.clear()
        cache[word] = terms
    return terms


class DutchTextAnalyzer(CompositeAnalyzer):
    """The stemmed field's chain (tokenizer, lower case, then the Dutch filters), with a
    shortcut for indexing.

    The stemmed field stores neither positions nor offsets, and without them the terms of a
    word depend on that word alone; so each distinct word goes through the filters once per
    process instead of at every occurrence. Queries, and any call wanting positions or offsets,
    run the chain as it is.
    """

    def __call__(self, value: str, no_morph: bool = False, **kwargs: object) -> Iterator[Token]:
        if no_morph or kwargs.get("mode") != "index" or kwargs.get("positions") or kwargs.get("chars"):
            return super().__call__(value, no_morph=no_morph, **kwargs)
        return self._index_terms(value, kwargs)

    def _index_terms(self, value: str, kwargs: dict[str, object]) -> Iterator[Token]:
        filters = self.items[1:]
        for t in self.items[0](value, **kwargs):
            for text in _cached(_INDEX_TERMS, _word_key(t.text), filters, "index"):
                t.text = text
                yield t

    def term_frequencies(self, value: str) -> tuple[dict[str, int], int]:
        """Each index term of ``value`` with its frequency, and the field length: what
        indexing through the chain gives, without a Token per word (kvsearch.segment)."""
        filters = self.items[1:]
        freqs: dict[str, int] = {}
        length = 0
        for word in _TOKEN_RE.findall(value):
            if not word.islower():  # most words are: they are their own key
                word = _word_key(word)
            terms = _INDEX_TERMS.get(word)
            if terms is None:
                terms = _cached(_INDEX_TERMS, word, filters, "index")
            for text in terms:
                freqs[text] = freqs.get(text, 0) + 1
            length += len(terms)
        return freqs, length


class DutchExactAnalyzer(CompositeAnalyzer):
    """The exact field's chain, whose filters turn each token into at most one, whatever its
    neighbours: each distinct word's form is worked out once per process (positions and
    offsets are the tokenizer's, untouched by these filters)."""

    def __call__(self, value: str, no_morph: bool = False, **kwargs: object) -> Iterator[Token]:
        mode = str(kwargs.get("mode", ""))
        for t in self.items[0](value, **kwargs):
            forms = _cached(_EXACT_FORMS if mode == "index" else _EXACT_QUERY_FORMS, t.text, self.items[1:], mode)
            if forms:
                t.text = forms[0]
                yield t

    def term_positions(self, value: str) -> tuple[dict[str, list[int]], int]:
        """Each index term of ``value`` with its positions, and the field length: what
        indexing through the chain gives, without a Token per word (kvsearch.segment)."""
        filters = self.items[1:]
        positions: dict[str, list[int]] = {}
        length = 0
        for pos, word in enumerate(_TOKEN_RE.findall(value)):
            forms = _EXACT_FORMS.get(word)
            if forms is None:
                forms = _cached(_EXACT_FORMS, word, filters, "index")
            if forms:
                length += 1
                found = positions.get(forms[0])
                if found is None:
                    positions[forms[0]] = [pos]
                else:
                    found.append(pos)
        return positions, length


def text_analyzer() -> CompositeAnalyzer:
    """The stemmed, decompounded analyzer of the main text field."""
    return DutchTextAnalyzer(
        _tokenizer(),
        DutchStopFilter(),
        LowercaseFilter(),
        FoldFilter(),
        WordPartsFilter(),
        DecompoundFilter(),
        DutchStemFilter(),
        DedupeFilter(),
    )


def exact_analyzer() -> CompositeAnalyzer:
    """Folded word forms without stemming or decompounding, stop words kept (for phrases)."""
    return DutchExactAnalyzer(_tokenizer(), LowercaseFilter(), FoldFilter(), WordPartsFilter(parts=False))


@functools.lru_cache(maxsize=100_000)
def word_forms(word: str) -> tuple[frozenset[str], frozenset[str]]:
    """The terms one token yields in the stemmed field and in the exact field.

    Highlighting looks these up per word instead of running whole passages through both
    analyzers: a search's ten passages went from about 13 ms to well under 1 ms of marking.
    """
    text, exact = _shared_analyzers()
    return (
        frozenset(t.text for t in text(word, mode="index")),
        frozenset(t.text for t in exact(word, mode="index")),
    )


def word_spans(text: str) -> Iterator[tuple[str, int, int]]:
    """(token, start, end) of every token of ``text``, as the analyzers' tokenizer finds them."""
    for m in _TOKEN_RE.finditer(text):
        yield m.group(), m.start(), m.end()


_TOKEN_RE = re.compile(TOKEN_PATTERN)


@functools.cache
def _shared_analyzers() -> tuple[CompositeAnalyzer, CompositeAnalyzer]:
    return text_analyzer(), exact_analyzer()


def name_analyzer() -> CompositeAnalyzer:
    """Names, ministries and subjects: folded words ("Van Helvert" -> "van", "helvert")."""
    return RegexTokenizer(r"\w+") | LowercaseFilter() | FoldFilter()
