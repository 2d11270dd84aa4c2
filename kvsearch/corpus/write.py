"""Write a Document (with its questions and footnotes) as a corpus file, atomically.

The inverse of :mod:`kvsearch.corpus.parse` for what a fetcher knows: the header rows, then
the questions (``> `` lines) before the answer paragraphs that answer them, footnote lines
``[N]: text`` after the paragraph that carries marker ``[N]`` (see README.md, "The corpus").
A file whose bytes would not change is not rewritten, so a nightly fetch with nothing new
leaves every file, mtime included, as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..models import Document, Minister, Submitter
from .dates import _FULL_MONTHS

# A footnote as written: its number (the marker "[N]" in the text) and its text.
Note = tuple[str, str]

TMP_SUFFIX = ".kvsearch-tmp"
_LABEL_RE = re.compile(r"^Vraag \d+[a-z]?$")
_SPACE_RE = re.compile(r"\s+")
# A body line that the parser would read as something else: a question line or a note line.
_QUESTION_START_RE = re.compile(r"^>\s+")
_NOTE_START_RE = re.compile(r"^(\[\d+\]):")


@dataclass(frozen=True)
class Footnotes:
    """The notes written after paragraphs: ``answers`` by answer paragraph (numbered from 1),
    ``questions`` by (question index, paragraph index), both counting from the order in the
    Document."""

    answers: Mapping[int, tuple[Note, ...]] = field(default_factory=dict)
    questions: Mapping[tuple[int, int], tuple[Note, ...]] = field(default_factory=dict)


def dutch_date(day: dt.date) -> str:
    """``13 april 2021``: the form the corpus header uses."""
    return f"{day.day} {_FULL_MONTHS[day.month - 1]} {day.year}"


def format_submitter(person: Submitter) -> str:
    """``J.A. de Vries (VVD)``."""
    return f"{person.name} ({person.party})" if person.party else person.name


def format_minister(person: Minister) -> str:
    """``Staatssecretaris B. Koster (Infrastructuur en Waterstaat)``: role, name, ministry, party."""
    role = person.role[:1].upper() + person.role[1:] if person.role else ""
    out = f"{role} {person.name}".strip()
    if person.ministry:
        out += f" ({person.ministry})"
    if person.party:
        out += f" ({person.party})"
    return out


def _cell(text: str) -> str:
    # A bar would end the table cell; a line break would end the row.
    return _SPACE_RE.sub(" ", text.replace("|", "/")).strip()


def _line(text: str) -> str:
    text = _SPACE_RE.sub(" ", text).strip()
    # The format has no escape: an answer that happens to start like a question line ("> ") or a
    # note line ("[3]:") loses that space or gains one, so that it stays an answer.
    return _NOTE_START_RE.sub(r"\1 :", _QUESTION_START_RE.sub(">", text))


def header_rows(doc: Document) -> list[str]:
    """The header rows (and the separator after the first), empty cells where unknown; a
    Vraagnummer row only where the question's number is known and no link names it."""
    answered = ""
    if doc.answered:
        answered = dutch_date(doc.answered)
        if doc.days is not None:
            answered += f" (na {doc.days} {'dag' if doc.days == 1 else 'dagen'})"
    rows = [
        ("Ingediend", dutch_date(doc.submitted) if doc.submitted else ""),
        ("Beantwoord", answered),
        ("Indiener", ", ".join(format_submitter(s) for s in doc.submitters)),
        ("Beantwoord door", ", ".join(format_minister(m) for m in doc.ministers)),
        ("Onderwerpen", "; ".join(doc.subjects)),
        ("Bron vraag", doc.question_url or ""),
        ("Bron antwoord", doc.answer_url or ""),
    ]
    if doc.question_id and not doc.question_url:
        # No link to the question's publication: its number keeps it findable (id:2025Z09662).
        rows.insert(5, ("Vraagnummer", doc.question_id))
    lines = [f"{name} | {_cell(value)} |" for name, value in rows]
    lines.insert(1, "---|---|")
    return lines


def format_document(doc: Document, footnotes: Footnotes | None = None) -> str:
    """The corpus text of ``doc``: header rows, then questions and answers in order.

    Each question is written just before the first answer paragraph that answers it, so a
    grouped answer follows both its questions; questions that no paragraph answers come last.
    Paragraphs that answer no question and come before any question are written first.
    """
    notes = footnotes or Footnotes()
    out = header_rows(doc)
    written: set[int] = set()

    def question(index: int) -> None:
        q = doc.questions[index]
        for n, paragraph in enumerate(q.paragraphs):
            label = f"{q.label}: " if n == 0 and q.label and _LABEL_RE.match(q.label) else ""
            out.append(f"> {label}{_line(paragraph)}")
            out.extend(f"> [{num}]: {_line(text)}" for num, text in notes.questions.get((index, n), ()))
        written.add(index)

    for number, paragraph in enumerate(doc.paragraphs, 1):
        answers = doc.answers_to[number - 1] if number <= len(doc.answers_to) else ()
        for index in answers:
            if index not in written:
                question(index)
        out.append(_line(paragraph))
        out.extend(f"[{num}]: {_line(text)}" for num, text in notes.answers.get(number, ()))
    for index in range(len(doc.questions)):
        if index not in written:
            question(index)
    return "\n".join(out) + "\n"


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically unless the file already holds exactly these bytes.

    The bytes go to a hidden temporary file in the same directory (never scanned as corpus),
    are flushed to disk, then renamed over ``path``: a reader, or a fetch killed at any moment,
    sees the old file or the new one, never a part. Returns whether the file was written.
    """
    path = Path(path)
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}{TMP_SUFFIX}")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)
    return True


def _fsync_dir(directory: Path) -> None:
    # The rename is durable only once the directory entry is on disk (POSIX; a no-op elsewhere).
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale_temporaries(directory: Path, *, recursive: bool = True) -> int:
    """Remove temporary files a killed writer left in ``directory`` (and below it, when
    ``recursive``); how many were removed. Only call it while no writer can be running."""
    removed = 0
    pattern = f".*{TMP_SUFFIX}"
    found = Path(directory).rglob(pattern) if recursive else Path(directory).glob(pattern)
    for tmp in found:
        try:
            tmp.unlink()
            removed += 1
        except OSError:
            pass
    return removed
