"""Stage 1, the corpus: answer files on disk, read into :class:`kvsearch.models.Document`.

Owns the corpus file format (a header table of ``Field | value |`` rows, then one answer
paragraph per line, with ``> `` questions and ``[N]: `` notes: README.md, "The corpus"), finding
files under a corpus root, reading every header field (Dutch dates, official ids, submitters and
ministers, subjects), leaving out the page furniture of OCR'd print, and the Unicode normal form
of all text (NFC). Knows nothing of Whoosh or of the
index; imports only :mod:`kvsearch.models` and :mod:`kvsearch.errors`. Parsing never raises on
odd content; only a file that cannot be read as text raises DocumentError.
"""

from __future__ import annotations

from .dates import parse_date, parse_days, parse_ocr_date
from .files import (
    CorpusFile,
    doc_id_for,
    iter_corpus_files,
    parse_bytes,
    parse_file,
    scan_corpus,
    unreadable,
)
from .ids import official_ids
from .parse import parse_document, parse_text
from .people import parse_ministers, parse_submitters
from .subjects import parse_subjects
from .text import clean

__all__ = [
    "CorpusFile",
    "clean",
    "doc_id_for",
    "iter_corpus_files",
    "official_ids",
    "parse_bytes",
    "parse_date",
    "parse_ocr_date",
    "parse_days",
    "parse_document",
    "parse_file",
    "parse_ministers",
    "parse_submitters",
    "parse_subjects",
    "parse_text",
    "scan_corpus",
    "unreadable",
]
