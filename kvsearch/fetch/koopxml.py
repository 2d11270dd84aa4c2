"""KOOP's XML of one "Kamervragen (Aanhangsel)" publication -> the answer set to write.

Reads ``metadata.xml`` (``<metadata name content/>`` rows) and the publication XML
(``<vraag>``/``<antwoord>`` with ``<nr>`` and ``<al>``), and builds a
:class:`kvsearch.models.Document` with its questions, the paragraphs of the answers, which
questions each paragraph answers (``Antwoord 2 en 3`` answers ``Vraag 2`` and ``Vraag 3``) and
the footnotes, for :mod:`kvsearch.corpus.write`. Emphasis is plain text; no-break spaces and
runs of white space become one space. The XML is untrusted: defusedxml refuses entity
declarations and external references.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..corpus import parse_date, parse_ministers, parse_subjects, parse_submitters
from ..corpus.text import clean
from ..corpus.write import Footnotes, Note
from ..models import Document, Question

# Fields that metadata.xml holds and the SRU record may lack; without them no download of it.
NEEDED_FIELDS = ("indiener", "ontvanger", "datumindiening")
# Metadata names of both sources, by their last part, to one key.
_ALIASES = {"category": "subject", "aanhangselnummer": "aanhangselnummer"}

Meta = Mapping[str, Sequence[str]]


class NotAnAnswer(Exception):
    """The publication holds no answer (questions only, a postponement notice): skipped."""


class ConversionError(Exception):
    """The XML cannot be read (truncated, malformed, not a publication): the reason, one line."""


@dataclass(frozen=True)
class AnswerSet:
    """One converted publication: the document to write, its footnotes and its session year."""

    document: Document
    footnotes: Footnotes
    vergaderjaar: str  # "2024-2025"; the folder it is written to


def meta_key(name: str) -> str:
    """``OVERHEIDop.datumIndiening`` -> ``datumindiening``; ``DC.type`` -> ``type``."""
    key = re.split(r"[.:]", name)[-1].lower()
    return _ALIASES.get(key, key)


def parse_metadata(data: bytes) -> dict[str, list[str]]:
    """The values of ``metadata.xml`` by :func:`meta_key`, repeated names as several values."""
    root = _parse(data)
    values: dict[str, list[str]] = {}
    for element in root.iter():
        name = element.get("name")
        content = element.get("content")
        if name and content is not None and _local(element.tag) == "metadata":
            values.setdefault(meta_key(name), []).append(content.strip())
    return values


def merge_meta(record_fields: Sequence[tuple[str, str]], metadata: Meta | None) -> dict[str, list[str]]:
    """The SRU record's fields, and metadata.xml's for the names the record lacks."""
    merged: dict[str, list[str]] = {}
    for name, value in record_fields:
        merged.setdefault(meta_key(name), []).append(value)
    for name, values in (metadata or {}).items():
        if name == "type":
            # The record's type is the collection ("Aanhangsel van de Handelingen"); whether
            # the publication is an answer only metadata.xml says.
            merged["doctype"] = list(values)
        elif not merged.get(name):
            merged[name] = list(values)
    return merged


def needs_metadata(meta: Meta) -> bool:
    """Whether the record lacks a field that only metadata.xml is known to give."""
    return any(not meta.get(name) for name in NEEDED_FIELDS)


def answer_type(metadata: Meta) -> bool | None:
    """False when metadata.xml's types are given and none is "Antwoord"; None when not given."""
    types = metadata.get("type") or ()
    if not types:
        return None
    return any(t.strip().lower() == "antwoord" for t in types)


@dataclass
class _Item:
    position: int
    numbers: tuple[str, ...]
    label: str | None
    paragraphs: list[tuple[str, tuple[Note, ...]]]


def convert(identifier: str, publication: bytes, meta: Meta, answer_url: str | None = None) -> AnswerSet:
    """The answer set of one publication.

    Raises NotAnAnswer when it has no ``<antwoord>`` (questions only, a postponement notice)
    and ConversionError when its XML is unreadable.
    """
    root = _parse(publication)
    if _local(root.tag) != "officiele-publicatie" and not any(_local(e.tag) == "kamervragen" for e in root.iter()):
        raise ConversionError(f"not a publication of questions (root <{_local(root.tag)}>)")
    questions: list[_Item] = []
    answers: list[_Item] = []
    descriptions: list[str] = []
    notice = False
    for position, element in enumerate(root.iter()):
        tag = _local(element.tag)
        if tag in ("vraag", "antwoord"):
            nr = _nr(element)
            item = _Item(position, _numbers(nr), nr, _paragraphs(element))
            if item.paragraphs:
                (questions if tag == "vraag" else answers).append(item)
        elif tag == "kamervraagomschrijving":
            descriptions.append(clean(_inline(element, [])))
        elif tag == "kamervraagopmerking":
            notice = True
    if not answers:
        raise NotAnAnswer("a postponement notice, no answer yet" if notice else "questions only, no answer")
    order, groups = _group(questions, answers)
    new_index = {old: new for new, old in enumerate(order)}

    doc_questions: list[Question] = []
    question_notes: dict[tuple[int, int], tuple[Note, ...]] = {}
    for new, old in enumerate(order):
        q = questions[old]
        doc_questions.append(Question(_label(q.label, old), tuple(text for text, _ in q.paragraphs)))
        for n, (_, notes) in enumerate(q.paragraphs):
            if notes:
                question_notes[(new, n)] = notes
    paragraphs: list[str] = []
    answers_to: list[tuple[int, ...]] = []
    answer_notes: dict[int, tuple[Note, ...]] = {}
    for answer, group in zip(answers, groups):
        for text, notes in answer.paragraphs:
            paragraphs.append(text)
            answers_to.append(tuple(sorted(new_index[i] for i in group)))
            if notes:
                answer_notes[len(paragraphs)] = notes

    asked = next((d for d in descriptions if not d.lower().startswith("antwoord")), "")
    answered_by = next((d for d in descriptions if d.lower().startswith("antwoord")), "")
    submitted = _iso(meta, "datumindiening") or _date_in(asked, "ingezonden")
    answered = _iso(meta, "datumontvangst") or _date_in(answered_by, "ontvangen")
    days = (answered - submitted).days if submitted and answered and answered >= submitted else None
    subjects = [part.strip() for s in meta.get("subject", ()) for part in s.split("|") if part.strip()]
    document = Document(
        doc_id=identifier,
        submitted=submitted,
        answered=answered,
        days=days,
        submitters=parse_submitters(submitters_text(meta.get("indiener", ()), asked)),
        ministers=parse_ministers(ministers_text(meta.get("ontvanger", ()), answered_by)),
        subjects=parse_subjects("; ".join(dict.fromkeys(subjects))),
        answer_url=answer_url,
        question_id=_question_number(meta),
        answer_id=identifier,
        paragraphs=tuple(paragraphs),
        questions=tuple(doc_questions),
        answers_to=tuple(answers_to),
    )
    return AnswerSet(document, Footnotes(answer_notes, question_notes), _vergaderjaar(meta, root, answered))


def _question_number(meta: Meta) -> str | None:
    """The questions' official number (OVERHEIDop.vraagnummer, 2025Z09662), when well formed."""
    for value in meta.get("vraagnummer", ()):
        if re.fullmatch(r"\d{4}Z\d{4,6}", value.strip(), re.IGNORECASE):
            return value.strip().upper()
    return None


# --- grouping --------------------------------------------------------------------------------

_RANGE_RE = re.compile(r"(\d+)\s*(?:t/m|tot en met|-|–)\s*(\d+)")
_NUMBER_RE = re.compile(r"\d+[a-z]?\b", re.IGNORECASE)


def _numbers(nr: str | None) -> tuple[str, ...]:
    """``Antwoord 2 en 3`` -> ("2", "3"); ``Antwoord 4 t/m 6`` -> ("4", "5", "6")."""
    if not nr:
        return ()
    numbers: list[str] = []
    for m in _RANGE_RE.finditer(nr):
        low, high = int(m.group(1)), int(m.group(2))
        if 0 < high - low < 50:
            numbers.extend(str(n) for n in range(low, high + 1))
    nr = _RANGE_RE.sub(" ", nr)
    numbers.extend(n.lower() for n in _NUMBER_RE.findall(nr))
    return tuple(dict.fromkeys(numbers))


def _group(questions: list[_Item], answers: list[_Item]) -> tuple[list[int], list[list[int]]]:
    """Which questions each answer answers, and the order to write the questions in.

    An answer answers the questions its ``<nr>`` names; one whose numbers name no question yet
    unanswered takes the unanswered questions before it in the document. Questions are ordered
    by the first answer to them; questions no answer takes come last.
    """
    claimed: set[int] = set()
    order: list[int] = []
    groups: list[list[int]] = []
    for answer in answers:
        mine = [i for i, q in enumerate(questions) if i not in claimed and set(q.numbers) & set(answer.numbers)]
        if not mine and not any(set(q.numbers) & set(answer.numbers) for q in questions):
            mine = [i for i, q in enumerate(questions) if i not in claimed and q.position < answer.position]
        claimed.update(mine)
        order.extend(mine)
        groups.append(mine)
    order.extend(i for i in range(len(questions)) if i not in claimed)
    return order, groups


def _label(nr: str | None, index: int) -> str | None:
    """``Vraag 2`` as the corpus format labels it; a bare number gets "Vraag"."""
    if not nr:
        return None
    nr = clean(nr).rstrip(".:")
    if re.fullmatch(r"\d+[a-z]?", nr, re.IGNORECASE):
        return f"Vraag {nr.lower()}"
    m = re.fullmatch(r"vraag\s+(\d+[a-z]?)", nr, re.IGNORECASE)
    return f"Vraag {m.group(1).lower()}" if m else nr


# --- text ------------------------------------------------------------------------------------


def _nr(element: Element) -> str | None:
    for child in element:
        if _local(child.tag) == "nr":
            return clean("".join(child.itertext())) or None
    return None


def _paragraphs(element: Element) -> list[tuple[str, tuple[Note, ...]]]:
    """Each ``<al>`` under ``element`` (lists and tables included) as a paragraph and its notes."""
    out: list[tuple[str, tuple[Note, ...]]] = []
    prefix = ""
    for child in element:
        tag = _local(child.tag)
        if tag in ("nr", "noot"):
            continue
        if tag == "al":
            notes: list[Note] = []
            text = clean(prefix + _inline(child, notes))
            prefix = ""
            if text:
                out.append((text, tuple(notes)))
        elif tag == "li.nr":
            prefix = clean("".join(child.itertext())) + " "
        else:
            out.extend(_paragraphs(child))
    if not out and element.text and element.text.strip() and _local(element.tag) in ("vraag", "antwoord"):
        notes = []
        text = clean(_inline(element, notes, skip=("nr",)))
        if text:
            out.append((text, tuple(notes)))
    return out


def _inline(element: Element, notes: list[Note], skip: tuple[str, ...] = ()) -> str:
    """The text of ``element`` with footnotes replaced by their marker ``[N]`` (collected in
    ``notes``) and every other inline element (emphasis, links, names) as its plain text."""
    parts = [element.text or ""]
    for child in element:
        tag = _local(child.tag)
        if tag in skip:
            pass
        elif tag == "noot":
            number = clean("".join(c.text or "" for c in child if _local(c.tag) == "noot.nr")) or str(len(notes) + 1)
            body = " ".join(clean(_inline(c, [])) for c in child if _local(c.tag) != "noot.nr")
            parts.append(f"[{number}]")
            notes.append((number, clean(body)))
        elif tag == "extref":
            text = _inline(child, notes)
            url = (child.get("doc") or "").strip()
            if child.get("soort", "").upper() == "URL" and url.startswith("http") and url not in text:
                text = f"{text} ({url})" if text.strip() else url
            parts.append(text)
        else:
            parts.append(_inline(child, notes))
        parts.append(child.tail or "")
    return "".join(parts)


# --- header fields ---------------------------------------------------------------------------

_INITIALS_RE = re.compile(r"^(?:[A-Z][a-z]{0,2}\.\s*|[A-Z]\.?-?[A-Z]?\.\s*)+")


def _surname(name: str) -> str:
    """``J.A. de Vries`` -> ``de Vries``."""
    return _INITIALS_RE.sub("", name.strip()).strip() or name.strip()


def submitters_text(names: Sequence[str], asked: str) -> str:
    """The Indiener cell: the metadata's names, each with the party the question's heading
    gives it ("Vragen van de leden De Vries (VVD) en Jansen (CDA) aan ...")."""
    if not names:
        m = re.match(r"(.*?)\s+aan\s+(?:de|het)\b", asked)
        return m.group(1) if m else ""
    out = []
    for name in names:
        m = re.search(rf"(?<![\w-]){re.escape(_surname(name))}\s*\(([^()]+)\)", asked, re.IGNORECASE)
        out.append(f"{name} ({clean(m.group(1))})" if m else name)
    return ", ".join(out)


def ministers_text(names: Sequence[str], answered_by: str) -> str:
    """The Beantwoord door cell: the answer's heading ("Antwoord van Staatssecretaris Koster
    (Infrastructuur en Waterstaat) (ontvangen ...)") with the metadata's full names put in."""
    text = re.sub(r"^antwoord\s+van\s+", "", answered_by, flags=re.IGNORECASE)
    text = re.sub(r"\s*\((?:ontvangen|ingezonden)\b[^()]*\)\s*\.?\s*$", "", text).rstrip(" .")
    if not text:
        return ", ".join(names)
    missing = []
    for name in names:
        if name in text:
            continue
        pattern = re.compile(rf"(?<![\w.-]){re.escape(_surname(name))}\b", re.IGNORECASE)
        text, count = pattern.subn(name.replace("\\", r"\\"), text, count=1)
        if not count:
            missing.append(name)
    return ", ".join([text, *missing])


def _iso(meta: Meta, name: str) -> dt.date | None:
    for value in meta.get(name, ()):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            continue
    return None


def _date_in(text: str, word: str) -> dt.date | None:
    m = re.search(rf"\({word}\s+([^()]*)\)", text, re.IGNORECASE)
    return parse_date(m.group(1)) if m else None


def _vergaderjaar(meta: Meta, root: Element, answered: dt.date | None) -> str:
    candidates = [*meta.get("vergaderjaar", ())]
    candidates += [clean("".join(e.itertext())) for e in root.iter() if e.get("inhoud") == "vergaderjaar"]
    for value in candidates:
        m = re.search(r"(\d{4})\s*[-–/]\s*(\d{4})", value)
        if m:
            return f"{m.group(1)}-{m.group(2)}"
    if answered:  # the session year runs from September
        year = answered.year if answered.month >= 9 else answered.year - 1
        return f"{year}-{year + 1}"
    return "onbekend"


# --- XML -------------------------------------------------------------------------------------


def _parse(data: bytes) -> Element:
    try:
        return fromstring(data)
    except DefusedXmlException as exc:
        raise ConversionError(f"refused unsafe XML ({type(exc).__name__})") from None
    except ParseError as exc:
        raise ConversionError(f"malformed XML ({exc})") from None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
