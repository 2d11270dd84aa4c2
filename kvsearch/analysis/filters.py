"""The Whoosh filters of the Dutch chains; they keep only small picklable state."""


from __future__ import annotations

from collections.abc import Iterator

from unidecode import unidecode
from whoosh.analysis import Filter, Token

from .compounds import compound_terms
from .stemming import stem
from .words import (
    _APOSTROPHE_S,
    _DROP_INVISIBLE,
    _LETTERS_DIGITS,
    _SPLIT_RE,
    MIN_COMPOUND,
    STOP_WORDS,
)

# --- filters ----------------------------------------------------------------------------------

def is_acronym(word: str) -> bool:
    """A word in capitals ("OM", "IS"): an abbreviation, even when it is spelled as a stop
    word (het Openbaar Ministerie is "het OM", not "om")."""
    return len(word) > 1 and word.isupper()


class DutchStopFilter(Filter):
    """Removes Dutch stop words (before lower-casing, so that acronyms stay, and before
    folding) and renumbers positions."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        pos = 0
        for t in tokens:
            if t.text.lower() in STOP_WORDS and not is_acronym(t.text):
                continue
            if t.positions:
                t.pos = pos
            pos += 1
            yield t


class FoldFilter(Filter):
    """Accent folding per token, so offsets still point at the original characters."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            if not t.text.isascii():
                text = t.text.translate(_DROP_INVISIBLE)
                # Scripts unidecode cannot transliterate stay as written rather than vanish.
                t.text = unidecode(text).strip() or text
            yield t


class WordPartsFilter(Filter):
    """Apostrophe-s, hyphenated words and numbers glued to a name.

    "camera's" -> "camera". "EU-controlelijst" -> "eucontrolelijst" and, at index time, also
    "eu" and "controlelijst" at the same position, so the whole and each half find it.
    "Wmo2015" likewise is also indexed as "wmo" and "2015", so "Wmo 2015" and "Wmo" find it.
    """

    def __init__(self, parts: bool = True) -> None:
        self.parts = parts

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            text = t.text
            if "'" not in text and "’" not in text and "-" not in text:
                glued = _LETTERS_DIGITS.match(text) if self.parts and t.mode != "query" else None
                yield t
                if glued:
                    for piece in glued.groups():
                        if piece not in STOP_WORDS:  # "van21" is glued text, not the word "van"
                            t.text = piece
                            yield t
                continue
            m = _APOSTROPHE_S.match(text)
            if m and not _SPLIT_RE.search(m.group(1)):
                t.text = m.group(1)
                yield t
                continue
            pieces = [p for p in _SPLIT_RE.split(text) if p]
            joined = "".join(pieces)
            if not joined:
                continue
            t.text = joined
            yield t
            if self.parts and t.mode != "query" and len(pieces) > 1:
                for piece in dict.fromkeys(pieces):
                    # "om-vatten" (a word hyphenated at a line break) is no sign of "om" or "OM".
                    if piece != joined and piece not in STOP_WORDS:
                        t.text = piece
                        yield t


class DecompoundFilter(Filter):
    """At index time, adds the parts of Dutch compounds at the compound's position and offsets."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            # Later filters rewrite the shared token in place: read everything before yielding.
            whole = t.text
            parts = compound_terms(whole) if t.mode != "query" and len(whole) >= MIN_COMPOUND else ()
            yield t
            for part in parts:
                # A part that stems to a stop word ("pachts|ommen" -> "om") would be found by it.
                if stem(part) not in STOP_WORDS:
                    t.text = part
                    yield t


class DutchStemFilter(Filter):
    """Stems with :func:`stem`; ``is_morph`` so Whoosh skips it for wildcards and spelling."""

    is_morph = True

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = stem(t.text)
            yield t


class DedupeFilter(Filter):
    """Drops a token repeating the text of another at the same position (compound parts and
    stems can coincide), so term frequencies are not inflated."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        seen: set[str] = set()
        last = None
        for t in tokens:
            if not (t.positions or t.chars):
                yield t
                continue
            key = t.pos if t.positions else t.startchar
            if key != last:
                seen.clear()
                last = key
            if t.text in seen:
                continue
            seen.add(t.text)
            yield t
