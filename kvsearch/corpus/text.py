"""Text cleaning shared by every corpus field: control and invisible characters, whitespace."""

from __future__ import annotations

import re
import unicodedata

# --- text cleaning -------------------------------------------------------------------------

# Every C0/C1 control (tab included), line/paragraph separators and DEL become a space; invisible
# format characters (BOM, soft hyphen, zero-width and bidi controls) go. One str.translate call
# per file: cheaper than a regex per line, and no raw control character reaches a terminal.
_CLEAN_TABLE: dict[int, str | None] = {c: " " for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]}
_CLEAN_TABLE.update({0x2028: " ", 0x2029: " "})
_CLEAN_TABLE.update(
    {c: None for c in (0xFEFF, 0x00AD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060)}
)
_CLEAN_TABLE.update({c: None for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]})
_TEXT_TABLE = {k: v for k, v in _CLEAN_TABLE.items() if k != 0x0A}  # keep the line breaks
# str.translate with a dict costs a lookup per character; most files need none, so a regex
# search for any such character decides first (C speed).
_DIRTY_RE = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in sorted(_TEXT_TABLE)) + "]"
)
_WS_RE = re.compile(r"\s+")


def clean(text: str) -> str:
    """One line of text: control and invisible characters gone, whitespace collapsed."""
    if _DIRTY_RE.search(text):
        text = text.translate(_CLEAN_TABLE)
    return _WS_RE.sub(" ", text).strip()


# --- Unicode normal form -----------------------------------------------------------------

# Compatibility characters that stand for plain letters in real text: the Latin ligatures of PDF
# extraction ("ﬁnanciën"), the Dutch ĳ as one character, full-width forms and the mathematical
# letters some tools use for bold or italic. NFKC as a whole is not wanted: it would also turn
# "½" into "1⁄2", superscript note numbers into digits glued to their word, the no-break space
# of "10 000" into a break and the acute accent "´" into a combining mark.
_COMPAT_RANGES = (
    (0x0132, 0x0133),  # Ĳ ĳ
    (0xFB00, 0xFB06),  # ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ
    (0xFF01, 0xFF5E),  # full-width ASCII
    (0x1D400, 0x1D7FF),  # mathematical alphanumerics
)
_COMPAT_TABLE = {
    c: unicodedata.normalize("NFKC", chr(c))
    for lo, hi in _COMPAT_RANGES
    for c in range(lo, hi + 1)
    if unicodedata.normalize("NFKC", chr(c)) != chr(c)
}
# A class of ranges, not of the 1,099 characters: that one made the search 20 times slower.
_COMPAT_RE = re.compile("[" + "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in _COMPAT_RANGES) + "]")


def normalize(text: str) -> str:
    """``text`` in NFC, with ligatures, ĳ, full-width and mathematical letters as plain ones.

    Decomposed text ("geïmplementeerde" as i + U+0308, as macOS and some PDF tools write it)
    would split words at the combining mark; after this it is the same string as the composed
    form, so a word is found however it was typed or stored. Cheap for text that needs nothing.
    """
    if unicodedata.is_normalized("NFKC", text):
        return text  # nearly every file: one pass in C instead of a regex scan
    if _COMPAT_RE.search(text):
        text = text.translate(_COMPAT_TABLE)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text
