"""Text cleaning shared by every corpus field: control and invisible characters, whitespace."""

from __future__ import annotations

import re

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
