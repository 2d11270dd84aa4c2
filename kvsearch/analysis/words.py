"""Dutch words: the analysis version, token pattern, stop words and accent folding."""


from __future__ import annotations

import re

from unidecode import unidecode

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
