"""Frozen dataclasses that cross module boundaries: parsed documents, hits, results, reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Submitter:
    """A member of parliament who asked the questions."""

    name: str
    party: str | None = None


@dataclass(frozen=True)
class Minister:
    """The member of government who answered: name plus role, ministry and party where given."""

    name: str
    role: str | None = None
    ministry: str | None = None
    party: str | None = None


@dataclass(frozen=True)
class DocumentMeta:
    """Everything the header table of one answer file says; no answer text.

    Every field but ``doc_id`` may be empty: real files leave fields blank or out.

    ``answered`` is the header's answer date only. Where it is missing, ``date`` places the
    answer in time all the same (filters, sorts, statistics): the answer date found in the text
    (``text_date``, from the heading of an old answer: "(Ingezonden 30 Maart 1937.)"), else
    the date the questions were submitted; ``date_estimated`` then says so.
    """

    doc_id: str
    submitted: dt.date | None = None
    answered: dt.date | None = None
    text_date: dt.date | None = None
    days: int | None = None
    submitters: tuple[Submitter, ...] = ()
    ministers: tuple[Minister, ...] = ()
    subjects: tuple[str, ...] = ()
    question_url: str | None = None
    answer_url: str | None = None
    question_id: str | None = None
    answer_id: str | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        """The official ids of the question and the answer that are known."""
        return tuple(i for i in (self.question_id, self.answer_id) if i)

    @property
    def date(self) -> dt.date | None:
        """When the answer was given: the header's answer date, else the one in the text, else
        the submission date (see ``date_source``); None when no date is known."""
        return self.answered or self.text_date or self.submitted

    @property
    def date_source(self) -> str | None:
        """Where ``date`` comes from: "answered" (the header), "text" (the answer's heading),
        "submitted" (the questions' date, an estimate) or None."""
        if self.answered:
            return "answered"
        if self.text_date:
            return "text"
        return "submitted" if self.submitted else None

    @property
    def date_estimated(self) -> bool:
        """True when ``date`` is not the header's answer date."""
        return self.date_source in ("text", "submitted")

    @property
    def url(self) -> str | None:
        """The best source link: the published answer, else the question."""
        return self.answer_url or self.question_url

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready mapping with ISO dates, and the effective ``date`` with its source."""
        out = asdict(self)
        for key in ("submitted", "answered", "text_date"):
            value = getattr(self, key)
            out[key] = value.isoformat() if value else None
        out.pop("paragraphs", None)
        date = self.date
        out["date"] = date.isoformat() if date else None
        out["date_source"] = self.date_source
        out["date_estimated"] = self.date_estimated
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DocumentMeta:
        """Rebuild metadata from :meth:`to_json` output."""
        return cls(
            doc_id=data["doc_id"],
            submitted=_date(data.get("submitted")),
            answered=_date(data.get("answered")),
            text_date=_date(data.get("text_date")),
            days=data.get("days"),
            submitters=tuple(Submitter(**s) for s in data.get("submitters", ())),
            ministers=tuple(Minister(**m) for m in data.get("ministers", ())),
            subjects=tuple(data.get("subjects", ())),
            question_url=data.get("question_url"),
            answer_url=data.get("answer_url"),
            question_id=data.get("question_id"),
            answer_id=data.get("answer_id"),
        )


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class Question:
    """One parliamentary question as an answer file quotes it: its label and its paragraphs."""

    label: str | None  # "Vraag 2" where the source numbers it
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        """The question as one text, its paragraphs joined by line breaks."""
        return "\n".join(self.paragraphs)

    @property
    def line(self) -> str:
        """The question on one line, after its label: "Vraag 2: Welke gevolgen ...?"."""
        text = " ".join(self.paragraphs)
        return f"{self.label}: {text}" if self.label else text


@dataclass(frozen=True)
class Document(DocumentMeta):
    """One parsed answer file: its metadata and its paragraphs (numbered from 1 in order).

    ``questions`` are the questions the file quotes, in order; ``answers_to`` has one entry per
    paragraph: the indexes (into ``questions``) of the questions that paragraph answers, several
    for a grouped answer ("Antwoord 2 en 3"), none where the file quotes no question for it.
    Files without questions have both empty.
    """

    paragraphs: tuple[str, ...] = ()
    questions: tuple[Question, ...] = ()
    answers_to: tuple[tuple[int, ...], ...] = ()

    def questions_of(self, paragraph: int) -> tuple[Question, ...]:
        """The questions that paragraph ``paragraph`` (numbered from 1) answers."""
        return questions_of(self.questions, self.answers_to, paragraph)

    @property
    def meta(self) -> DocumentMeta:
        """The metadata alone, as hits carry it."""
        return DocumentMeta(**{f: getattr(self, f) for f in DocumentMeta.__dataclass_fields__})


def questions_of(
    questions: tuple[Question, ...], answers_to: tuple[tuple[int, ...], ...], paragraph: int
) -> tuple[Question, ...]:
    """The questions that paragraph ``paragraph`` (numbered from 1) answers, given a document's
    ``questions`` and ``answers_to`` (see :class:`Document`)."""
    if not 1 <= paragraph <= len(answers_to):
        return ()
    return tuple(questions[i] for i in answers_to[paragraph - 1])


@dataclass(frozen=True)
class Rejected:
    """A corpus file that could not be indexed, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Hit:
    """One ranked passage.

    ``spans`` are ``(start, end)`` character offsets into ``text`` of the words that matched,
    found by the same analyzer as the index, so stemmed, folded and compound matches are marked
    on the original words. ``more`` counts further matching passages of the same document that
    were left out of the list. ``question`` is the question the passage answers as its file
    quotes it ("Vraag 2: Welke gevolgen ..."), one line per question for a grouped answer; None
    where the file quotes none for it.
    """

    doc_id: str
    paragraph: int
    score: float
    text: str
    spans: tuple[tuple[int, int], ...]
    document: DocumentMeta
    more: int = 0
    question: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON Lines object of ``kvsearch search --json``."""
        return {
            "doc_id": self.doc_id,
            "paragraph": self.paragraph,
            "score": round(self.score, 4),
            "question": self.question,
            "text": self.text,
            "spans": [list(s) for s in self.spans],
            "more": self.more,
            "document": self.document.to_json(),
        }


@dataclass(frozen=True)
class FacetCount:
    """How many matching documents share one value of a metadata field."""

    value: str
    count: int


@dataclass(frozen=True)
class SearchResult:
    """The outcome of one query: the page of hits and what is known about all matches."""

    query: str
    total: int
    total_documents: int
    hits: tuple[Hit, ...]
    offset: int = 0
    warnings: tuple[str, ...] = ()
    suggestion: str | None = None
    facets: dict[str, tuple[FacetCount, ...]] = field(default_factory=dict)
    # Passages with all the words, when passages with only some of them follow them in the
    # list (``total`` counts both); None when every listed passage has all the words.
    all_words: int | None = None

    def __len__(self) -> int:
        return len(self.hits)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.hits)


@dataclass(frozen=True)
class IndexReport:
    """What one ``build_index`` run did."""

    documents: int
    passages: int
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    rejected: tuple[Rejected, ...] = ()
    full: bool = True
    seconds: float = 0.0
    index_dir: str = ""
    # Why the current index could not be updated and was rebuilt fully from the corpus instead
    # (a damaged or unreadable file, named); empty when it was not damaged.
    repaired: str = ""

    @property
    def ok(self) -> bool:
        """True when no corpus file was rejected."""
        return not self.rejected


@dataclass(frozen=True)
class FetchFailure:
    """A publication ``kvsearch fetch`` could not fetch or convert; fetched again next run."""

    identifier: str
    reason: str


@dataclass(frozen=True)
class FetchReport:
    """What one ``kvsearch.fetch`` run did.

    ``written`` and ``replaced`` are corpus paths (relative, with "/") of new files and of files
    a newer version replaced; ``skipped`` are publications that hold no answer (questions only,
    a postponement notice); ``kept`` are files that fetch did not write (or that were edited
    since) and so left alone although a publication of that name was fetched.
    ``since`` and ``until`` are the modified-date range asked for (ISO dates; until empty: up to
    now); ``default_window`` is true when no earlier fetch and no ``since`` made it the last
    365 days.
    """

    since: str
    until: str = ""
    listed: int = 0
    written: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    unchanged: int = 0
    skipped: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    failed: tuple[FetchFailure, ...] = ()
    default_window: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no publication failed."""
        return not self.failed


@dataclass(frozen=True)
class CheckReport:
    """What ``check_index`` found: corpus files not indexed, indexed from an older version of
    the file, indexed but gone from the corpus, corpus files an update rejects (unreadable or
    unparseable: they are left out, or keep their last good version, as ``build_index`` does,
    so they are no mismatch), and problems with the index itself. ``documents`` and
    ``passages`` are None when the index could not be read (``problems`` says why)."""

    documents: int | None = None
    passages: int | None = None
    missing: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    rejected: tuple[Rejected, ...] = ()
    problems: tuple[str, ...] = ()
    # Files of the index that are missing, truncated or altered since they were written.
    damaged: tuple[str, ...] = ()
    # False for an index written before kvsearch recorded checksums: its files were not verified.
    verified: bool = False
    # The corpus directory the index was compared with (None when the index could not be read).
    corpus: str | None = None

    @property
    def ok(self) -> bool:
        """True when the index opens, is current and matches the corpus exactly."""
        return not (self.missing or self.stale or self.extra or self.problems)
