"""Body lines that are not answers: page furniture, headings and table fragments.

The historical files are OCR of printed pages. Besides the answers they hold what was on the
page around them: chamber headers ("TWEEDE KAMER"), running titles ("Zitting 1971-1972
Aanhangsel"), page numbers and printer's lines, the letter heading of each answer
("ANTWOORD van den heer Deckers, Minister van Landbouw en Visscherij. (Ingezonden 30 Maart
1937.)"), question labels ("Vraag 4") and tables read one cell per line ("Groningen", "1 831").
Indexed as passages they rank first for the very words they consist of. They are recognised
here line by line, from what they look like, so that the parser can leave them out; a short
real answer ("Ja.", "Neen.", "Zie antwoord vraag 3.", "2 Zie 1.") is a sentence and stays.

An answer heading also says who answered and when: :func:`answer_heading` reads both, for
files whose header rows leave them out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .dates import parse_ocr_date

PAGE = "page"  # chamber headers, running titles, page numbers, printer's lines
HEADING = "heading"  # "ANTWOORD van ..." letter headings, "Vraag 4" labels, capitals-only titles
FRAGMENT = "fragment"  # table cells and stray OCR: no sentence, at most a few words

# Words of running titles and printer's lines, with the OCR misreadings of the corpus
# ("Asnhangsel", "Aanhangeel", "Aanhang»©*", "Zittmg", "8tat«n-Generaal", "TWEEUL KAMER").
_PAGE_WORDS_RE = re.compile(
    r"'?\ba[as]n-?\s*[hn]an[gq]\w*\S*"  # Aanhangsel and its misreadings
    r"|\b(?:tweede|eerste|tweeul|1weede)\b|\bkam(?:er|ek|e|i\s?r)\b"
    r"|\bhandelingen\b|\bd[eo]r\b|\bde\b|\bvan\b|\bvoorloopige\b|\b[s8]ta\S{2,4}\s*-?\s*g\S{4,8}"
    r"|\b(?:buitengewone\s+)?(?:zitting|zittmg|enting|vergaderjaar)\b"
    r"|\bdeel\b(?:\s+[IVXLDJEHl1]{1,4}\b)?|\b(?:blz|biz|vel|no|nr)\b\.?"
    r"|\bissn|\bsdu\b|\buitgeverij\b|\bplantijnstraat\b|\d+\s?F\b"
    r"|'?s[\s-]*gravenhage\b",
    re.IGNORECASE,
)
# How every word of those lines starts (OCR included): "8tat«n-Generaal" is "tat", "n-Generaal".
_PAGE_WORD_STARTS = (
    "tweed", "tweeu", "weede", "eerst", "kam", "aan", "asn", "hand", "der", "dor", "van", "voorl",
    "sta", "tat", "n-g", "zit", "enti", "verg", "buit", "deel", "blz", "biz", "vel", "issn", "sdu",
    "uitg", "plant", "gravenh", "s-gravenh", "gene", "raal", "iii",
)  # fmt: skip
# What a title may keep besides its words: years, numbers, roman numerals, punctuation.
_PAGE_REST_RE = re.compile(r"^(?:[\W\d_]|\b[IVXLHlT]{1,4}\b)*$")
_LETTER_RE = re.compile(r"[^\W\d_]")
_WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# "Vraag 4", "Antwoord 2 en 3", "Antwoord op vraag 5:", "Vragen 1 t/m 3": a label, not an answer.
_LABEL_RE = re.compile(
    r"^(?:vraag|vragen|antwoord|antwoorden)(?:\s+op\s+(?:de\s+)?(?:vraag|vragen))?"
    r"(?:\s+\d+[a-z]?(?:\s*(?:,|en|t/m|tot en met|-|–)\s*\d+[a-z]?)*)?\s*[.:]?$",
    re.IGNORECASE,
)
# A short line is an answer when it says yes or no or refers on ("Ja", "Neen", "Zie 1");
# otherwise a line of a few words without a full stop is a table cell or a title.
_SHORT_ANSWER_RE = re.compile(
    r"^[\W\d_]*(?:[a-z][.)°]\s*)?(?:ja|nee|neen|zeker|inderdaad|juist|correct|klopt|akkoord"
    r"|bevestigend|ontkennend|zie|geen|niet|nog|helaas)(?![^\W\d_])"  # "_Ja_" in Markdown too
    # or begins as a sentence does ("Dat klopt", "Ik verwijs naar 3"), where a table cell
    # would not
    r"|^[\W\d_]*(?:dat|dit|het|er|ik|wij|we|de|een|die|deze)\s+\w",
    re.IGNORECASE,
)
_SENTENCE_END_RE = re.compile(r"[.?!;)”\"'’»]$")
_LEADER_DOTS_RE = re.compile(r"(?:\s*\.){2,}$")  # "Januari . . ." in a table
FRAGMENT_WORDS = 3
FRAGMENT_CHARS = 120  # no table cell or title in the corpus is longer


def kind_of(line: str) -> str | None:
    """The kind of non-answer line ``line`` (stripped) is: PAGE, HEADING or FRAGMENT; None for
    an answer paragraph."""
    if not _LETTER_RE.search(line):
        return FRAGMENT  # page numbers, table figures, a lone "+" or "—"
    if _LABEL_RE.match(line) or _REFERENCE_RE.match(line) or answer_heading(line):
        heading = answer_heading(line)
        if heading is not None and not heading.rest:
            return HEADING
        reference = _REFERENCE_RE.match(line)
        if reference is not None and not _LETTER_RE.search(line, reference.end()):
            return HEADING
        if _LABEL_RE.match(line):
            return HEADING
        return None
    if len(line) > FRAGMENT_CHARS:
        return None  # an answer paragraph, the common case: decided without counting words
    words = _WORD_RE.findall(line)
    if len(line) <= 100 and _is_page_furniture(line, words):
        return PAGE
    letters = sum(map(len, words))
    if len(line) <= 40 and letters >= 2 and not any(c.islower() for c in line):
        return HEADING  # "TWEEDE KAMI R", "DE HANDELINGEN DER TWEEDE KAMER."
    if len(words) <= FRAGMENT_WORDS and not _SHORT_ANSWER_RE.match(line):
        if letters <= 2 or not _SENTENCE_END_RE.search(_LEADER_DOTS_RE.sub("", line)):
            return FRAGMENT
    return None


def _is_page_furniture(line: str, words: list[str]) -> bool:
    """A running title or printer's line: nothing left once its known words, numbers and
    roman numerals are taken out, and at least one such word was there."""
    # Most lines fail at their first word that no title has: a cheap test before the regex.
    if not all(len(w) <= 2 or w.lower().startswith(_PAGE_WORD_STARTS) for w in words):
        return False
    rest: list[str] = []
    real = False  # "de", "der", "van" alone are no furniture: a real word of the titles must be there
    end = 0
    for m in _PAGE_WORDS_RE.finditer(line):
        rest.append(line[end : m.start()])
        end = m.end()
        real = real or m.group(0).strip().lower() not in ("de", "der", "dor", "van")
    rest.append(line[end:])
    return real and bool(_PAGE_REST_RE.match(" ".join(rest)))


@dataclass(frozen=True)
class AnswerHeading:
    """The letter heading of an answer: who sent it (the row text, for parse_ministers), the
    date it was sent, and the text after the heading on the same line (an answer, or empty)."""

    who: str
    date: dt.date | None
    heading: str
    rest: str


_ANSWER_HEADING_RE = re.compile(
    r"^\W{0,3}antwoord\s+(?:van|vau|yan)\s+(?P<who>.{3,400}?)[\s.,;]*"
    r"\(\s*(?:in\W{0,2}ge\W{0,2}zon\W{0,2}den|ont\W{0,2}van\W{0,2}gen)\s*(?P<date>[^()]{4,40}?)[\s.,]*[)}]"
    r"(?:[\s.;]*\((?:zie|ten vervolge)[^()]*\))?[\s.;]*",
    re.IGNORECASE,
)


# "(Zie ook Aanhangsel Handelingen Tweede Kamer 1971-1972, blz. 1643.)", ", zie ook Aanhangsel
# Handelingen nr. 540, Vergaderjaar 1993-1994": under the heading, the earlier answer this one
# follows up; apparatus of the printed page, not an answer.
_REFERENCE_RE = re.compile(
    r"^[\s.,]*(?:\(?\s*zie\s*ook\s*aan-?\s*hangsel[^()]{0,120}\)"
    r"|zie\s+ook\s+aanhangsel\s+handelingen[^()]{0,60}?vergaderjaar\s*\d{4}\s*-\s*\d{4})[\s.]*",
    re.IGNORECASE,
)


def heading_end(line: str) -> int:
    """Where an answer heading or a cross reference at the start of ``line`` ends (0: none)."""
    heading = answer_heading(line)
    if heading is not None:
        return len(heading.heading)
    reference = _REFERENCE_RE.match(line)
    return reference.end() if reference else 0


def answer_heading(line: str) -> AnswerHeading | None:
    """The answer heading at the start of ``line``, if any: "ANTWOORD van den heer Deckers,
    Minister van Landbouw en Visscherij. (Ingezonden 30 Maart 1937.)", "Antwoord van
    staatssecretaris Van Zeil (Economische Zaken). (Ontvangen 10 juni 1986) 1 Ja. ..."."""
    m = _ANSWER_HEADING_RE.match(line)
    if not m:
        return None
    end = m.end() if _LETTER_RE.search(line, m.end()) else len(line)  # a stray "'" is no answer
    return AnswerHeading(
        who=m.group("who"),
        date=parse_ocr_date(m.group("date")),
        heading=line[:end].rstrip(),
        rest=line[end:],
    )
