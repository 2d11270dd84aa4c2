"""Snowball Dutch stemming with its overstemming repaired, lemmas first."""


from __future__ import annotations

import functools

from .wordlists import _cache_file, _dist_version, _store_cached
from .words import STEM_OVERRIDES, STOP_WORDS, fold

# --- stemming ---------------------------------------------------------------------------------

@functools.cache
def _stemmers() -> tuple[object, object]:
    import snowballstemmer

    return snowballstemmer.stemmer("dutch"), snowballstemmer.stemmer("dutch_porter")


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of a folded word: the Snowball stem (below) of its lemma, so that forms
    Snowball cannot relate meet: strong verbs ("gevonden", "vond" -> "vinden"; "genomen" ->
    "nemen"), irregular plurals and separable verbs ("plaatsvond" -> "plaatsvinden")."""
    return _snowball_stem(lemmas().get(word, word))


def _snowball_stem(word: str) -> str:
    """Snowball's stem of a folded word, repaired.

    Snowball 3's ``dutch`` conflates inflections well (bedrijven/bedrijf) but strips ``ge-``
    anywhere (gemeente -> "meen" = mening, gezondheid -> "zon", eindgebruik -> "eindbruik").
    When its stem no longer starts like the word, the conservative ``dutch_porter`` stem is
    used instead, with its v/z endings normalised (bedrijv -> bedrijf).
    """
    if word in STEM_OVERRIDES:
        return STEM_OVERRIDES[word]
    if len(word) < 3 or not word.isalpha():
        return word
    kp, porter = _stemmers()
    stemmed: str = kp.stemWord(word)  # type: ignore[attr-defined]
    keep = max(len(stemmed) - 2, 1)
    if word.startswith(stemmed[:keep]):
        return stemmed
    fallback: str = porter.stemWord(word)  # type: ignore[attr-defined]
    if fallback.endswith("v"):
        fallback = fallback[:-1] + "f"
    elif fallback.endswith("z"):
        fallback = fallback[:-1] + "s"
    return fallback


# --- lemmas -----------------------------------------------------------------------------------

_LEMMAS_END = "~end\t~\n"


class LemmaTable:
    """Word form -> lemma, looked up by binary search in the sorted "form<TAB>lemma" lines of
    one string, so that a process answering one query reads the file (~2 MB, about 1 ms)
    instead of building a dict of 85,000 entries (~40 ms). After 5,000 lookups (an index
    build) it turns into a dict once, for speed."""

    _DICT_AFTER = 5_000

    def __init__(self, lines: str) -> None:
        self._text = lines if lines.endswith("\n") else lines + "\n"
        self._lookups = 0
        self._dict: dict[str, str] | None = None

    def get(self, word: str, default: str | None = None) -> str | None:
        """The lemma of ``word``, or ``default`` when the table does not list it."""
        if self._dict is not None:
            return self._dict.get(word, default)
        self._lookups += 1
        if self._lookups > self._DICT_AFTER:
            self._dict = dict(line.split("\t", 1) for line in self._text.splitlines() if line)
            return self._dict.get(word, default)
        text, key = self._text, word + "\t"
        lo, hi = 0, len(text)  # lo is always the start of a line
        while lo < hi:
            start = text.rfind("\n", 0, (lo + hi) // 2) + 1  # never before lo: lo starts a line
            end = text.index("\n", start)
            if text[start:end] < key:
                lo = end + 1
            else:
                hi = start
        end = text.find("\n", lo)
        line = text[lo:end] if end >= 0 else ""
        return line[len(key):] if line.startswith(key) else default

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None


@functools.cache
def lemmas() -> LemmaTable:
    """Folded Dutch word forms -> their folded lemma, for the forms whose Snowball stem differs
    from their lemma's ("vond" -> "vinden", "overheden" -> "overheid"), from simplemma's Dutch
    dictionary.

    Derived once into a cache file (simplemma's dictionary takes ~0.8 s to load). Only the
    dictionary is used, not simplemma's guessing rules for unknown words, so a word maps the
    same way at index and at query time, whatever else the text holds.
    """
    cache = _cache_file(f"lemmas-nl-{_dist_version('simplemma')}-v4.txt")
    try:
        lines = cache.read_text(encoding="utf-8")
        # The last line ("~" sorts after every word) shows that the file was written whole.
        if lines.endswith(_LEMMAS_END):
            return LemmaTable(lines)
    except (OSError, UnicodeDecodeError):
        pass
    from simplemma.strategies.dictionaries.dictionary_factory import (
        DefaultDictionaryFactory,
    )

    table: dict[str, str] = {}
    for form, lemma in DefaultDictionaryFactory().get_dictionary("nl").items():
        # Separable verbs come as "plaats_vinden"; the text writes them whole.
        word, base = fold(form.lower()), fold(lemma.lower().replace("_", ""))
        if word == base or not (word.isalpha() and base.isalpha()):
            continue
        # Function words stay as they are ("den" in "Den Haag" is not the article "de").
        if word in STOP_WORDS or base in STOP_WORDS or len(base) < 3:
            continue
        # The dictionary sometimes gives another verb ("gewezen" -> "afwijzen", "gedragen" ->
        # "verdragen") or a mere relative ("minder" -> "weinig"): a lemma must start as the
        # form does, a participle's "ge-" aside.
        bare = word[2:] if word.startswith("ge") and not base.startswith("ge") else word
        if base[0] not in (word[0], bare[:1]):
            continue
        if _snowball_stem(word) != _snowball_stem(base):
            table[word] = base
    lines = "".join(f"{word}\t{base}\n" for word, base in sorted(table.items())) + _LEMMAS_END
    _store_cached(cache, lines.encode("utf-8"))
    return LemmaTable(lines)
