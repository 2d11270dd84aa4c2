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
import math
import marshal
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from unidecode import unidecode
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, Token
from whoosh.analysis.analyzers import CompositeAnalyzer

# Bump whenever the tokens produced for some text change: the index stores it and a mismatch
# forces a rebuild.
# nl-6: lemmas before stemming; nl-7: acronyms are not stop words; nl-8: "Wmo2015" also
# indexed as "wmo" and "2015"; nl-9: no stop words among the parts of hyphenated words and
# compounds, soft hyphens and zero-width characters join words.
ANALYSIS_VERSION = "nl-9"

# Invisible characters that text pasted from web pages and PDFs carries inside words: the soft
# hyphen ("ge\u00adzichtsherkenning"), zero-width spaces and joiners, the word joiner, the BOM.
# They join a word rather than split it, and FoldFilter drops them.
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
TOKEN_PATTERN = r"\w+(?:[-'’INVIS]\w+)*".replace("INVIS", INVISIBLE)

# Snowball's Dutch stop list. Too frequent to help ranking; phrases still match them on the
# exact field, which keeps every word.
STOP_WORDS = frozenset(
    """
    de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar om
    hem dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar
    naar heb hoe heeft hebben deze u want nog zal me zij nu ge geen omdat iets worden toch al
    waren veel meer doen toen moet ben zonder kan hun dus alles onder ja eens hier wie werd
    altijd doch wordt wezen kunnen ons zelf tegen na reeds wil kon niets uw iemand geweest
    andere
    """.split()
)

# Kraaij-Pohlmann overstems a few very frequent words of this corpus; these stems are fixed
# (folded word -> stem). Checked by tests/data/stem_pairs.tsv.
STEM_OVERRIDES = {
    "minister": "minister",
    "ministers": "minister",
    "antwoorden": "antwoord",
    "antwoord": "antwoord",
    "gemeente": "gemeent",
    "gemeenten": "gemeent",
    "gemeentes": "gemeent",
    "kinderen": "kind",
    "uitje": "uitje",  # not "uit" as in uiten (geuit)
    "uitjes": "uitje",
}

_APOSTROPHE_S = re.compile(r"^(.+?)['’]s$")
_SPLIT_RE = re.compile(r"[-'’]")
_DROP_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))
# A name with a number glued on: "Wmo2015", "COVID19", "MH17", and words that PDF extraction
# glued to a year ("september2024"). Identifiers that start with digits (2020Z25656) stay whole.
_LETTERS_DIGITS = re.compile(r"^([a-z]{2,})(\d{2,})$")
_LINKERS = ("", "s", "e", "en")
# A compound is only split when its parts are clearly words: both at least this long and this
# frequent (Zipf scale), and the whole rarer than its rarest part ("minister" is not
# "mini" + "ster": the whole is more frequent than either).
MIN_PART = 4
MIN_PART_ZIPF = 3.0
MIN_COMPOUND = 8
# Longer runs of letters are not words but glued text (OCR, PDF extraction, base64): splitting
# them would cost time quadratic in their length, and recursion depth linear in it.
MAX_COMPOUND = 64


def fold(text: str) -> str:
    """Lowercase and strip accents: the normal form of every indexed word."""
    lowered = text.lower()
    return lowered if lowered.isascii() else unidecode(lowered)


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


# --- derived word lists, cached per user --------------------------------------------------------

def _cache_file(name: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kvsearch" / name


def _lexicon_cache() -> Path:
    return _cache_file(f"lexicon-nl-{_dist_version('wordfreq')}-{MIN_PART_ZIPF}-v2.marshal")


def _dist_version(package: str) -> str:
    """An installed package's version, from its dist-info directory's name: importing
    importlib.metadata for this would cost a terminal search some 40 ms."""
    try:
        from importlib.util import find_spec

        spec = find_spec(package)
        if spec is None or not spec.origin:
            return "missing"
        site = Path(spec.origin).parent.parent
        for name in os.listdir(site):
            if name.startswith(f"{package}-") and name.endswith(".dist-info"):
                return name[len(package) + 1 : -len(".dist-info")]
    except (OSError, ValueError, ImportError):
        pass
    return "unknown"


def _load_cached(cache: Path) -> dict | None:
    try:
        data = marshal.loads(cache.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def _store_cached(cache: Path, data: bytes) -> None:
    """Write a derived word list whole or not at all (several processes may derive it)."""
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache.parent, delete=False) as tmp:
            tmp.write(data)
        os.replace(tmp.name, cache)
    except OSError:
        pass  # a read-only home only costs the slower load next time


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
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

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


# --- compounds --------------------------------------------------------------------------------

@functools.cache
def lexicon() -> dict[str, float]:
    """Folded Dutch words -> Zipf frequency, from wordfreq's Dutch list.

    Derived once into a small cache file (loading wordfreq's full list takes ~0.6 s; the cache
    ~20 ms). wordfreq's data is CC-BY-SA, so it is never committed here, only derived at use.
    """
    cache = _lexicon_cache()
    data = _load_cached(cache)
    if data is not None:
        return data
    from wordfreq import get_frequency_dict

    words: dict[str, float] = {}
    for word, freq in get_frequency_dict("nl", wordlist="best").items():
        if len(word) < 2 or not word.replace("-", "").isalpha():
            continue
        zipf = round(math.log10(freq * 1e9), 2)
        # Rarer words can neither be a part nor stop a split (a split needs parts of at least
        # MIN_PART_ZIPF, more frequent than the whole), so they are left out: a third the size.
        if zipf < MIN_PART_ZIPF:
            continue
        key = fold(word)
        if zipf > words.get(key, 0.0):
            words[key] = zipf
    _store_cached(cache, marshal.dumps(words))
    return words


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
