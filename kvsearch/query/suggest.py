""""Bedoelde u": a query's unknown words replaced by the closest indexed word."""

from __future__ import annotations

from .. import analysis
from ..index import schema
from .generation import OpenGeneration

# Offer a suggestion when a query finds fewer passages than this.
SUGGEST_BELOW = 3
SUGGEST_MAX_LETTERS = 40  # longer words get no spelling suggestion (see suggest)


def suggest(gen: OpenGeneration, text: str) -> str | None:
    """The query with unknown words replaced by the closest indexed word; None when every
    word is known or has no close neighbour."""
    reader = gen.searcher.reader()
    corrector = reader.corrector(schema.EXACT)
    changed = False
    out = []
    for word in text.split():
        folded = analysis.fold(word)
        # Whoosh's Levenshtein automaton grows with the word: 30 s for a pasted run of
        # 20,000 letters. Typos worth correcting are in words, not in such runs.
        plain = folded.isalpha() and 4 <= len(folded) <= SUGGEST_MAX_LETTERS
        # A word found through its stem or lemma ("vinden" in "vindt") is no typo.
        if plain and not reader.frequency(schema.EXACT, folded) and not any(
            reader.frequency(schema.TEXT, t.text) for t in analysis.text_analyzer()(folded, mode="query")
        ):
            best = corrector.suggest(folded, limit=1, maxdist=2, prefix=1)
            if best:
                out.append(best[0])
                changed = True
                continue
        out.append(word)
    return " ".join(out) if changed else None
