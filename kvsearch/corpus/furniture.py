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
    r"|\bhandelingen\b|\bder\b|\bde\b|\bvan\b|\b[s8]tat\S{0,3}n\s*-?\s*gene\w*"
    r"|\b(?:buitengewone\s+)?(?:zitting|zittmg|enting|vergaderjaar)\b"
    r"|\bdeel\b(?:\s+[IVXLDJEHl1]{1,4}\b)?|\b(?:blz|biz|vel|no|nr)\b\.?"
    r"|\bissn|\bsdu\b|\buitgeverij\b|\bplantijnstraat\b|\d+\s?F\b"
    r"|'?s[\s-]*gravenhage\b",
    re.IGNORECASE,
)
# What a title may keep besides its words: years, numbers, roman numerals, punctuation.
_PAGE_REST_RE = re.compile(r"^(?:[\W\d_]|\b[IVXLHl]{1,4}\b)*$")
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
    r"|bevestigend|ontkennend|zie|geen|niet|nog|helaas)\b"
    # or begins as a sentence does ("Dat klopt", "Ik verwijs naar 3"), where a table cell
    # would not
    r"|^[\W\d_]*(?:dat|dit|het|er|ik|wij|we|de|een|die|deze)\s+\w",
    re.IGNORECASE,
)
_SENTENCE_END_RE = re.compile(r"[.?!;)”\"'’»]$")
_LEADER_DOTS_RE = re.compile(r"(?:\s*\.){2,}$")  # "Januari . . ." in a table
FRAGMENT_WORDS = 3


def kind_of(line: str) -> str | None:
    """The kind of non-answer line ``line`` (stripped) is: PAGE, HEADING or FRAGMENT; None for
    an answer paragraph."""
    letters = len(_LETTER_RE.findall(line))
    if not letters:
        return FRAGMENT  # page numbers, table figures, a lone "+" or "—"
    if _is_page_furniture(line):
        return PAGE
    if _LABEL_RE.match(line):
        return HEADING
    heading = answer_heading(line)
    if heading is not None and not heading.rest:
        return HEADING
    if len(line) <= 40 and letters >= 2 and not any(c.islower() for c in line):
        return HEADING  # "TWEEDE KAMI R", "DE HANDELINGEN DER TWEEDE KAMER."
    words = _WORD_RE.findall(line)
    if len(words) <= FRAGMENT_WORDS and not _SHORT_ANSWER_RE.match(line):
        if letters <= 2 or not _SENTENCE_END_RE.search(_LEADER_DOTS_RE.sub("", line)):
            return FRAGMENT
    return None


def _is_page_furniture(line: str) -> bool:
    """A running title or printer's line: nothing left once its known words, numbers and
    roman numerals are taken out, and at least one such word was there."""
    if len(line) > 100:
        return False
    rest, found = _PAGE_WORDS_RE.subn(" ", line)
    if not found:
        return False
    if not _PAGE_REST_RE.match(rest):
        return False
    # "de", "der", "van" alone are no furniture: a real word of the titles must be there.
    return any(
        m.group(0).strip().lower() not in ("de", "der", "van") for m in _PAGE_WORDS_RE.finditer(line)
    )


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
