"""Official identifiers of question and answer (2020Z25656, ah-tk-20202021-2310) in links and file names."""

from __future__ import annotations

import re

# --- official ids ----------------------------------------------------------------------------

_QUESTION_ID_RE = re.compile(r"(\d{4}Z\d{4,6})", re.IGNORECASE)
_ANSWER_ID_RE = re.compile(r"(ah-[a-z]{2}-\d{8}-\d+)", re.IGNORECASE)
_OCR_ID_RE = re.compile(r"/(\d{6,12})(?:/ocr)?/?(?:[?#].*)?$")
_SGD_NAME_RE = re.compile(r"sgd-(\d{6,12})(?:-\d+)?")
_URL_STEM_RE = re.compile(r"/([A-Za-z][\w.-]*\d[\w.-]*?)(?:\.html?|\.pdf|\.xml)?/?(?:[?#].*)?$")


def official_ids(
    question_url: str | None, answer_url: str | None, doc_id: str
) -> tuple[str | None, str | None]:
    """The question id (2020Z25656) and answer id (ah-tk-20202021-2310, or the number of an
    OCR scan such as 0000000417) in the source links.

    Where a link names no id, the file name is used when it is itself an official id
    (ah-tk-..., kv-tk-2020Z25656, sgd-0000000417-1).
    """
    question_id = answer_id = None
    if question_url:
        if m := _QUESTION_ID_RE.search(question_url):
            question_id = m.group(1).upper()
        elif m := _URL_STEM_RE.search(question_url):
            question_id = m.group(1)
    if answer_url:
        if m := _ANSWER_ID_RE.search(answer_url):
            answer_id = m.group(1).lower()
        elif m := _OCR_ID_RE.search(answer_url):
            answer_id = m.group(1)
        elif m := _URL_STEM_RE.search(answer_url):
            answer_id = m.group(1)
    name = doc_id.rsplit("/", 1)[-1]
    if question_id is None and name.lower().startswith("kv") and (m := _QUESTION_ID_RE.search(name)):
        question_id = m.group(1).upper()
    if answer_id is None:
        if m := _ANSWER_ID_RE.fullmatch(name):
            answer_id = m.group(1).lower()
        elif m := _SGD_NAME_RE.fullmatch(name):
            answer_id = m.group(1)
    return question_id, answer_id
