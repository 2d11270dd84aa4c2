"""Parse corpus files (a header table, then the body: see body.py) into Documents.

Knows the header fields, Dutch dates and the many ways names are written; knows nothing of
Whoosh. Parsing never raises on odd content: a field that cannot be read is left empty. Only a
file that cannot be read as text at all raises DocumentError.

Conventions the rest of kvsearch relies on:

* roles are lower case: "minister", "staatssecretaris", "minister-president",
  "minister voor <portfolio>", "minister zonder portefeuille";
* ministries are kept as the source writes them ("buitenlandse zaken" in the reference document,
  "Justitie en Veiligheid" elsewhere); only OCR damage is repaired (soft hyphens, words split at
  a line break such as "Binnen-landse", a stray one-letter word at the end);
* names keep their capitalisation; boilerplate ("het lid", "den heer", "Vragen van") is dropped;
* subjects are the official topic names (lower case) found in the Onderwerpen field, longest
  first, and any unknown remainder as one subject per run of unknown words.
"""


from __future__ import annotations

import datetime as dt
import re

from ..models import Document
from .body import read_body
from .dates import parse_date, parse_days
from .ids import official_ids
from .people import parse_ministers, parse_submitters
from .subjects import parse_subjects
from .text import _DIRTY_RE, _TEXT_TABLE, _WS_RE, normalize

FIELDS = {
    "ingediend": "submitted",
    "beantwoord": "answered",
    "indiener": "submitters",
    "indieners": "submitters",
    "beantwoord door": "ministers",
    "onderwerpen": "subjects",
    "onderwerp": "subjects",
    "bron vraag": "question_url",
    "bron antwoord": "answer_url",
    # The question's official number (2025Z09662), where no link names it: fetched files.
    "vraagnummer": "question_number",
}

# --- header ----------------------------------------------------------------------------------

# "Field | value |": the field name is short and has no digits; the closing bar is optional.
_ROW_RE = re.compile(r"^\s*([^\W\d_][^\W\d_ .'-]*(?:[ .'-]+[^\W\d_]+){0,3})\s*:?\s*\|(.*)$")
_SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def parse_text(text: str, doc_id: str) -> Document:
    """Parse the text of one corpus file. Never raises: unreadable fields stay empty."""
    return parse_document(text, doc_id)[0]


def parse_document(text: str, doc_id: str) -> tuple[Document, bool]:
    """The document and whether the text had a header table."""
    lines = prepare(text)
    header, body_start, has_header = read_header(lines)
    body = read_body(lines[body_start:], first_line=body_start + 1)

    answered_text = header.get("answered", "")
    submitted = parse_date(header.get("submitted", ""))
    answered = parse_date(answered_text)
    days = parse_days(answered_text)
    if days is None and submitted and answered and answered >= submitted:
        days = (answered - submitted).days
    ministers = parse_ministers(header.get("ministers", ""))
    if not ministers:
        # "Beantwoord door" empty: the answer's own heading names who sent it.
        ministers = next((m for h in body.headings if (m := parse_ministers(h.who))), ())
    text_date = None
    if answered is None:
        text_date = next((h.date for h in body.headings if _plausible_answer_date(h.date, submitted)), None)
    question_url = header.get("question_url") or None
    answer_url = header.get("answer_url") or None
    question_id, answer_id = official_ids(question_url, answer_url, doc_id)
    if question_id is None:
        question_id = official_ids(header.get("question_number"), None, doc_id)[0]
    doc = Document(
        doc_id=doc_id,
        submitted=submitted,
        answered=answered,
        text_date=text_date,
        days=days,
        submitters=parse_submitters(header.get("submitters", "")),
        ministers=ministers,
        subjects=parse_subjects(header.get("subjects", "")),
        question_url=question_url,
        answer_url=answer_url,
        question_id=question_id,
        answer_id=answer_id,
        paragraphs=body.paragraphs,
        questions=body.questions,
        answers_to=body.answers_to,
    )
    return doc, has_header


def prepare(text: str) -> list[str]:
    """The lines of a file's text: Unicode normalised, line ends unified, control and
    invisible characters gone."""
    text = normalize(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _DIRTY_RE.search(text):
        text = text.translate(_TEXT_TABLE)
    return text.split("\n")


def read_header(lines: list[str]) -> tuple[dict[str, str], int, bool]:
    """The header fields (first value of each), the index of the first body line, and whether
    there was a header table at all."""
    header: dict[str, str] = {}
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    # The header is the run of table rows at the top; it only counts as one when it has a known
    # field, so a body that happens to start with "a | b |" stays body.
    seen_known = False
    i = start
    while i < len(lines):
        line = lines[i]
        if not line.strip() or _SEPARATOR_RE.match(line):
            i += 1
            continue
        m = _ROW_RE.match(line)
        if not m:
            break
        key = FIELDS.get(" ".join(m.group(1).lower().split()))
        value = m.group(2).rstrip()
        if key is None and not value.endswith("|"):
            break  # not a table row: "lager onderwijs | onderwijs" in an OCR body
        if value.endswith("|"):
            value = value[:-1]
        if key is not None:
            seen_known = True
            value = _WS_RE.sub(" ", value).strip()
            if value and not header.get(key):
                header[key] = value
        i += 1
    return header, (i if seen_known else start), seen_known


# An answer date read from OCR is believed only when it is not before the question and within
# this long after it (misread years, a date of some other letter).
_MAX_ANSWER_DELAY = dt.timedelta(days=2 * 366)


def _plausible_answer_date(date: dt.date | None, submitted: dt.date | None) -> bool:
    if date is None:
        return False
    if submitted is not None:
        return submitted <= date <= submitted + _MAX_ANSWER_DELAY
    return 1814 <= date.year <= dt.date.today().year
