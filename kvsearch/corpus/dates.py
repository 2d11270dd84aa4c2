"""Dutch dates as the corpus writes them ("13 april 2021", "1e mei 1950") and "(na N dagen)"."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "febr": 2, "maart": 3, "mrt": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8,
    "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "october": 10, "okt": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip

_FULL_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
)
# Every abbreviation of at least three letters ("sept", "okt", "dec") and the old "october".
_MONTH_WORDS = {
    **{name[:n]: i for i, name in enumerate(_FULL_MONTHS, 1) for n in range(3, len(name) + 1)},
    **MONTHS,
}

# --- dates -----------------------------------------------------------------------------------

_ISO_DATE_RE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_DUTCH_DATE_RE = re.compile(r"\b(\d{1,2})\s*(?:e|ste|de)?\s+([^\W\d_]{3,10})\.?,?\s+(\d{4})\b")
_NUMERIC_DATE_RE = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b")
_DAYS_RE = re.compile(r"\(\s*na\s+(\d{1,6})\s+dag(?:en)?\s*\)", re.IGNORECASE)


def parse_date(text: str) -> dt.date | None:
    """A Dutch ("13 april 2021", "13 apr. 2021", "1e mei 1950"), ISO or d-m-yyyy date.

    None when absent or impossible ("31 februari 2021"): a bad date must not reject the file.
    """
    if not text:
        return None
    if m := _ISO_DATE_RE.search(text):
        return _date(m.group(1), m.group(2), m.group(3))
    for m in _DUTCH_DATE_RE.finditer(text):
        month = _MONTH_WORDS.get(m.group(2).lower())
        if month:
            return _date(m.group(3), month, m.group(1))
    if m := _NUMERIC_DATE_RE.search(text):
        return _date(m.group(3), m.group(2), m.group(1))
    return None


def _date(year: str | int, month: str | int, day: str | int) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_days(text: str) -> int | None:
    """The days taken to answer, from "(na 112 dagen)"."""
    m = _DAYS_RE.search(text)
    return int(m.group(1)) if m else None


# OCR of old print: "16juli 1991", "23fe-bruari 1981", "decem-ber1981", "II oktober 1974".
_OCR_WORD_BREAK_RE = re.compile(r"(?<=[^\W\d_])-\s*(?=[^\W\d_])")
_OCR_DIGIT_LETTER_RE = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_]{3})(?=\d)")
_OCR_DAY_RE = re.compile(r"(?<![\w])([\dIlOo]{1,2})(?=\s+[^\W\d_]{3,10}\.?,?\s+\d{4}\b)")
_OCR_DIGITS = str.maketrans("IlOo", "1100")


def parse_ocr_date(text: str) -> dt.date | None:
    """A Dutch date as OCR of old print renders it: words broken by a hyphen, digits glued to
    the month, "I" or "l" read for "1" in the day. None when there is none."""
    text = _OCR_WORD_BREAK_RE.sub("", text)
    text = _OCR_DIGIT_LETTER_RE.sub(" ", text)
    text = _OCR_DAY_RE.sub(lambda m: m.group(1).translate(_OCR_DIGITS), text)
    return parse_date(text)
