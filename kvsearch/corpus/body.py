"""The body of a corpus file: answer paragraphs, the questions they answer, footnotes.

The format (README.md, "The corpus"): every body line is an answer paragraph, except

* ``> `` lines, which quote a question. A new question starts at a ``> `` line after a line that
  is not one, or at a ``> Vraag N:`` label; further ``> `` lines are more of its paragraphs. The
  answer paragraphs after a run of questions answer every question of the run ("Antwoord 2 en
  3" is written after both);
* ``[N]: note`` lines (``> [N]: note`` inside a question), which are appended to the paragraph
  before them as `` [N] note``, so a note neither becomes a passage nor splits a sentence;
* page furniture, headings and table fragments of OCR'd print (:mod:`.furniture`), which are
  left out. An answer heading or cross reference that starts a line with the answer after it
  ("Antwoord van Minister X (...). (Ontvangen 6 oktober 1980) 1 Ja. ...") is cut off that line.

A file without ``> `` and note lines, furniture or headings gives exactly the paragraphs it
always gave: its non-blank lines, stripped. So does a file of nothing but furniture: it is
not rejected for having no answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Question
from .furniture import (
    FRAGMENT,
    HEADING,
    AnswerHeading,
    answer_heading,
    heading_end,
    kind_of,
)

_QUOTE_RE = re.compile(r"^>(?:\s|$)")
_LABEL_RE = re.compile(r"^vraag\s+(\d+[a-z]?)\s*:\s*", re.IGNORECASE)
_NOTE_RE = re.compile(r"^\[(\d{1,4})\]:\s*(.*)$")
# The answer after a heading starts as a sentence or a numbered answer ("1 Ja.", "Na ampel
# beraad"); a heading that runs on in lower case (", ten vervolge op ...") is kept whole.
_ANSWER_START_RE = re.compile(r"^[\d\"'„“«(A-ZÀ-Þ]")


@dataclass(frozen=True)
class LeftOut:
    """A body line (or the heading cut off one) that is not an answer paragraph."""

    line: int  # in the file, from 1
    text: str
    kind: str  # furniture.PAGE, HEADING or FRAGMENT


@dataclass(frozen=True)
class Body:
    """What the body lines of one file hold."""

    paragraphs: tuple[str, ...]
    paragraph_lines: tuple[int, ...]  # the file line where each paragraph starts
    questions: tuple[Question, ...]
    answers_to: tuple[tuple[int, ...], ...]  # per paragraph; empty when there are no questions
    left_out: tuple[LeftOut, ...]
    headings: tuple[AnswerHeading, ...]  # answer headings, in order, with who and when


def read_body(lines: Sequence[str], first_line: int = 1) -> Body:
    """Read the body ``lines`` (the first one being line ``first_line`` of the file)."""
    paragraphs: list[str] = []
    paragraph_lines: list[int] = []
    answers_to: list[tuple[int, ...]] = []
    questions: list[tuple[str | None, list[str]]] = []
    left_out: list[LeftOut] = []
    headings: list[AnswerHeading] = []
    run: list[int] = []  # the questions the next answer paragraphs answer
    run_answered = False  # an answer came since the run began: the next question starts a new one
    previous_quoted = False
    notes_to: str | None = None  # "answer" or "question": what a note line belongs to

    for number, raw in enumerate(lines, start=first_line):
        line = raw.strip()
        if _QUOTE_RE.match(line):
            text = line[1:].strip()
            note = _NOTE_RE.match(text)
            if note and notes_to == "question" and questions[-1][1]:
                _append_note(questions[-1][1], note)
                previous_quoted = True
                continue
            label = _LABEL_RE.match(text)
            if label or not previous_quoted or not questions:
                if run_answered:
                    run, run_answered = [], False
                questions.append((f"Vraag {label.group(1)}" if label else None, []))
                run.append(len(questions) - 1)
                if label:
                    text = text[label.end() :]
            if text:
                questions[-1][1].append(text)
            previous_quoted = True
            notes_to = "question"
            continue
        previous_quoted = False
        if not line:
            continue
        note = _NOTE_RE.match(line)
        if note and notes_to == "answer":
            _append_note(paragraphs, note)
            continue
        if note and notes_to == "question" and questions[-1][1]:
            _append_note(questions[-1][1], note)
            continue
        kind = kind_of(line)
        if kind == FRAGMENT and run and not run_answered:
            kind = None  # the first line after a question is its answer, however short: "Onbekend"
        if kind is not None:
            left_out.append(LeftOut(number, line, kind))
            if kind == HEADING and (heading := answer_heading(line)) is not None:
                headings.append(heading)
            continue
        heading = answer_heading(line)
        if heading is not None:
            headings.append(heading)
        if end := heading_end(line):
            rest = line[end:].strip()
            if _ANSWER_START_RE.match(rest):
                if kind_of(rest) is not None:  # "... (Ingezonden 2 Maart 1928.) Ad Ium"
                    left_out.append(LeftOut(number, line, HEADING))
                    continue
                left_out.append(LeftOut(number, line[:end].rstrip(), HEADING))
                line = rest
        paragraphs.append(line)
        paragraph_lines.append(number)
        answers_to.append(tuple(run))
        run_answered = bool(run)
        notes_to = "answer"

    if not paragraphs and not questions and left_out:
        # Nothing but furniture (a page header alone, a table): rather than reject a file that
        # always indexed, its lines stay its passages.
        paragraphs = [left.text for left in left_out]
        paragraph_lines = [left.line for left in left_out]
        left_out = []
    return Body(
        paragraphs=tuple(paragraphs),
        paragraph_lines=tuple(paragraph_lines),
        questions=tuple(Question(label, tuple(texts)) for label, texts in questions),
        answers_to=tuple(answers_to) if questions else (),
        left_out=tuple(left_out),
        headings=tuple(headings),
    )


def _append_note(paragraphs: list[str], note: re.Match[str]) -> None:
    """Append a note to the last paragraph after its last sentence, as " [N] text"."""
    text = note.group(2).strip()
    if text:
        paragraphs[-1] = f"{paragraphs[-1]} [{note.group(1)}] {text}"
