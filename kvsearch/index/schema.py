"""The Whoosh schema of a passage index and its version; the only module that knows field names.

One Whoosh document per paragraph, so each passage is ranked on its own; every passage carries
the searchable metadata of its answer file so filters are plain query clauses. The metadata to
*render* a hit lives once per answer file in the generation's document store, not per passage.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from typing import Any

from whoosh import columns, fields

from .. import analysis
from ..models import Document
from .codec import VarintPositions

# Bump on any change to fields, their options or what the parser puts in them; the analyzer has
# its own version. 8: page furniture and headings are no passages, ANSWERED holds the effective
# date (DocumentMeta.date), text in NFC. 9: the question field.
SCHEMA_MAJOR = "9"
SCHEMA_VERSION = f"{SCHEMA_MAJOR}+{analysis.ANALYSIS_VERSION}"

DOC_ID = "doc_id"
DOC_KEY = "dockey"  # a number per answer file (column only): groups passages in numpy scoring
PARAGRAPH = "paragraph"
TEXT = "text"  # stemmed, folded, decompounded: recall
EXACT = "exact"  # folded word forms only: exact forms and phrases rank higher
# The text of the question(s) a passage answers, analysed as TEXT: words of a question find
# every passage of its answer. A question is never a passage of its own.
QUESTION = "question"
MINISTER = "minister"  # names of answering ministers
MINISTRY = "ministry"
SUBMITTER = "submitter"
PARTY = "party"  # submitters' parties, normalised
SUBJECT = "subject"
IDS = "ids"  # official ids of question and answer, and the doc id
SUBMITTED = "submitted"  # yyyymmdd as an int
ANSWERED = "answered"  # DocumentMeta.date: the answer date, or its estimate where none is given
DAYS = "days"
# Boost of a match on the exact word form over a stem match, inside one query word.
EXACT_BOOST = 1.5


def build_schema() -> fields.Schema:
    """Return a fresh schema instance (Whoosh schemas are mutable; never share one)."""
    names = analysis.name_analyzer()
    return fields.Schema(
        **{
            DOC_ID: fields.ID(stored=True, sortable=True),
            DOC_KEY: fields.COLUMN(columns.NumericColumn("Q")),
            # Stored only: nothing searches by paragraph number, and a numeric field's 8 trie terms
            # per passage cost build time and space.
            PARAGRAPH: fields.STORED(),
            # No positions on the stemmed field (phrases use the exact one) and no stored text (the
            # store has it): 600 documents, 18.5 MB -> 16.5 MB.
            TEXT: fields.TEXT(analyzer=analysis.text_analyzer(), phrase=False),
            EXACT: _positional_text(analyzer=analysis.exact_analyzer()),
            # As TEXT (and no positions either: phrases search the answer's exact words only).
            QUESTION: fields.TEXT(analyzer=analysis.text_analyzer(), phrase=False),
            MINISTER: _positional_text(analyzer=names),
            MINISTRY: _positional_text(analyzer=names),
            SUBMITTER: _positional_text(analyzer=names),
            SUBJECT: _positional_text(analyzer=names),
            PARTY: fields.KEYWORD(lowercase=True, commas=True),
            IDS: fields.KEYWORD(lowercase=True, commas=True),
            SUBMITTED: fields.NUMERIC(bits=32, signed=False, sortable=True),
            ANSWERED: fields.NUMERIC(bits=32, signed=False, sortable=True),
            DAYS: fields.NUMERIC(bits=32, signed=False),
        }
    )


def _positional_text(analyzer: Any) -> fields.TEXT:
    """A text field with positions (for phrases), stored compactly (kvsearch.codec)."""
    field = fields.TEXT(analyzer=analyzer, phrase=True)
    field.format = VarintPositions(field_boost=field.format.field_boost)
    return field


def doc_key(doc_id: str) -> int:
    """The number that marks every passage of one document: a 64-bit hash of its id."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8).digest(), "big") or 1


def party_key(party: str) -> list[str]:
    """Search keys of a party name: "P.v.d.A." -> ["pvda"], "GroenLinks-PvdA" -> both halves too."""
    folded = analysis.fold(party)
    whole = re.sub(r"[^a-z0-9-]", "", folded)
    keys = [whole] if whole else []
    if "-" in whole:
        keys += [part for part in whole.split("-") if part]
        keys.append(whole.replace("-", ""))
    return keys


def date_key(value: dt.date | None) -> int | None:
    """A date as the yyyymmdd integer the date fields hold."""
    return value.year * 10000 + value.month * 100 + value.day if value else None


def passage_records(doc: Document) -> Iterator[dict[str, Any]]:
    """The Whoosh documents for the paragraphs of one answer file, metadata repeated on each."""
    common: dict[str, Any] = {DOC_ID: doc.doc_id, DOC_KEY: doc_key(doc.doc_id)}
    ministers = [m.name for m in doc.ministers if m.name]
    if ministers:
        common[MINISTER] = " ; ".join(ministers)
    ministries = [m.ministry for m in doc.ministers if m.ministry]
    if ministries:
        common[MINISTRY] = " ; ".join(ministries)
    submitters = [s.name for s in doc.submitters if s.name]
    if submitters:
        common[SUBMITTER] = " ; ".join(submitters)
    parties = sorted({k for s in doc.submitters if s.party for k in party_key(s.party)})
    if parties:
        common[PARTY] = ",".join(parties)
    if doc.subjects:
        common[SUBJECT] = " ; ".join(doc.subjects)
    ids = [i for i in (doc.question_id, doc.answer_id, doc.doc_id, doc.doc_id.rsplit("/", 1)[-1]) if i]
    common[IDS] = ",".join(dict.fromkeys(i.lower() for i in ids))
    for key, value in ((SUBMITTED, date_key(doc.submitted)), (ANSWERED, date_key(doc.date)), (DAYS, doc.days)):
        if value is not None:
            common[key] = value
    for number, text in enumerate(doc.paragraphs, start=1):
        record = {**common, PARAGRAPH: number, TEXT: text, EXACT: text}
        questions = doc.questions_of(number)
        if questions:
            record[QUESTION] = "\n".join(q.text for q in questions)
        yield record
