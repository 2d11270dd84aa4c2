"""Turn hits, documents and reports into terminal text or JSON Lines. No searching here."""

from __future__ import annotations

import json
import re
import shutil
import textwrap

from .models import Document, DocumentMeta, FacetCount, Hit, IndexReport, SearchResult
from .query.stats import Stats, StatsRow

# C0 and C1 control characters (tab kept) and bidi overrides: corpus text must never drive the
# terminal.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_LABELLED_RE = re.compile(r"^(Vraag \w+): ")

_HIGHLIGHT = "\x1b[1;31m"
_HEADING = "\x1b[1;36m"
_DIM = "\x1b[2m"
_RESET = "\x1b[0m"


def safe(text: str) -> str:
    """Text with every control character replaced by U+FFFD, safe to print on a terminal."""
    return _CONTROL_RE.sub("\ufffd", text)


def highlight(text: str, spans: tuple[tuple[int, int], ...], color: bool) -> str:
    """The passage with its matched words marked: in colour, or not at all without colour."""
    if not color or not spans:
        return safe(text)
    out, last = [], 0
    for start, end in spans:
        out.append(safe(text[last:start]))
        out.append(_HIGHLIGHT + safe(text[start:end]) + _RESET)
        last = end
    out.append(safe(text[last:]))
    return "".join(out)


def date_label(meta: DocumentMeta) -> str:
    """'2021-04-13'; '1937-03-30 (geschat)' where the header gives no answer date and it was
    read from the text or taken from the questions' date; 'datum onbekend' without any."""
    date = meta.date
    if date is None:
        return "datum onbekend"
    return f"{date.isoformat()} (geschat)" if meta.date_estimated else date.isoformat()


def minister_label(meta: DocumentMeta) -> str:
    """'Stef Blok (minister buitenlandse zaken, VVD)' for each answering minister."""
    labels = []
    for m in meta.ministers:
        extra = ", ".join(x for x in (m.role if not m.ministry else f"{m.role or 'minister'} {m.ministry}", m.party) if x)
        labels.append(f"{m.name} ({extra})" if extra else m.name)
    return "; ".join(labels)


def submitter_label(meta: DocumentMeta) -> str:
    """'Martijn van Helvert (CDA)' for each submitter."""
    return "; ".join(f"{s.name} ({s.party})" if s.party else s.name for s in meta.submitters)


def heading(hit: Hit) -> str:
    """One line naming the passage and its document."""
    meta = hit.document
    parts = [f"{hit.doc_id} ¶{hit.paragraph}"]
    parts.append(date_label(meta))
    if meta.ministers:
        parts.append(minister_label(meta))
    if meta.submitters:
        parts.append("vragen: " + submitter_label(meta))
    return safe(" · ".join(parts))


def terminal_width() -> int:
    """The width of the terminal, 80 when the output is not one (and $COLUMNS is not set)."""
    return shutil.get_terminal_size((80, 24)).columns


def cut(text: str, width: int) -> str:
    """``text`` on one line of at most ``width`` characters, an ellipsis where it was cut."""
    line = " ".join(text.split())
    if len(line) <= width:
        return line
    kept = line[: max(width - 1, 0)]
    # At a word boundary when one is near: "het CCS…", not "het CCS pl…".
    space = kept.rfind(" ")
    if line[len(kept)] != " " and 0 < space and space >= len(kept) - 20:
        kept = kept[:space]
    return kept.rstrip() + "…"


def question_line(hit: Hit, width: int) -> str | None:
    """The question(s) a hit answers on one line, cut to ``width``: "Vraag 2: …", and for a
    grouped answer "Vraag 2 en 3: … · …" (the labels first, so a cut keeps them); None when its
    file quotes none for it."""
    if not hit.question:
        return None
    labels, texts = [], []
    for line in hit.question.splitlines():
        labelled = _LABELLED_RE.match(line)
        if labelled:
            labels.append(labelled.group(1))
            line = line[labelled.end() :]
        texts.append(line)
    # A question its file does not number still reads as one.
    numbers = [label.split(" ", 1)[1] for label in labels]
    head = "Vraag " + (" en ".join([", ".join(numbers[:-1]), numbers[-1]]) if len(numbers) > 1 else "".join(numbers))
    head = f"{head.rstrip()}: "
    # Each question of a grouped answer gets its share of the line, so all of them show.
    share = (width - len(head)) // len(texts) - len(" · ")
    if share >= 12 and len(head) + sum(len(t) + 3 for t in texts) > width:
        texts = [cut(t, share) for t in texts]
    return cut(safe(head + " · ".join(texts)), width)


# A hit shows this many lines of its passage around the matched words unless the whole passage
# is asked for: three keep ten hits on about two screens.
SNIPPET_LINES = 3
ELLIPSIS = "…"
# Where a sentence (or clause) ends: a snippet starts after one when that keeps the match in view.
_CLAUSE_END_RE = re.compile(r"[.?!;:]\s+")
_WORD_RE = re.compile(r"\S+")


def render_hit(hit: Hit, *, color: bool, width: int = 80, full: bool = False, label: str = "") -> str:
    """A hit as heading (after ``label``, e.g. "new"), the question it answers (one line, cut to
    ``width``), passage and source link, wrapped at word boundaries to ``width``.

    The passage is a snippet of SNIPPET_LINES lines around its matched words, with an ellipsis
    where the text is cut; ``full`` shows all of it.
    """
    width = max(width, 20)  # a window too narrow for a word or two is wrapped as if wider
    head = f"{label}: {heading(hit)}" if label else heading(hit)
    lines = [f"{_HEADING}{row}{_RESET}" if color else row for row in _wrap_plain(head, width)]
    asked = question_line(hit, width)
    if asked:
        lines.append(f"{_DIM}{asked}{_RESET}" if color else asked)
    lines.extend(passage_lines(hit.text, hit.spans, width=width, color=color, rows=None if full else SNIPPET_LINES))
    tail = []
    if hit.document.url:
        tail.append(safe(hit.document.url))
    if hit.more:
        tail.append(f"+{hit.more} more passage{'s' if hit.more != 1 else ''} in this document")
    if tail:
        # The link whole on a line of its own when the two do not fit on one.
        rows = [" · ".join(tail)] if sum(map(len, tail)) + 3 * (len(tail) - 1) <= width else tail
        lines.extend(f"{_DIM}{row}{_RESET}" if color else row for row in rows)
    return "\n".join(lines)


def _wrap_plain(text: str, width: int) -> list[str]:
    """Text without marks wrapped at spaces; a word longer than the line (a URL) stays whole."""
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [text]


def passage_lines(
    text: str, spans: tuple[tuple[int, int], ...], *, width: int, color: bool, rows: int | None = SNIPPET_LINES
) -> list[str]:
    """A passage as lines of at most ``width`` characters, broken between words, its matched words
    (``spans``, character offsets) highlighted when ``color``.

    With ``rows``, only that many lines: a window around the densest run of matched words, starting
    at a sentence start when one is near, with an ellipsis where text is left out.
    """
    words = [(m.start(), m.end()) for m in _WORD_RE.finditer(text)]
    if not words:
        return []
    spans = tuple(sorted(spans))
    first = 0 if rows is None else _snippet_start(text, words, spans, width * rows)
    lead = ELLIPSIS + " " if first else ""
    lines: list[list[tuple[int, int]]] = []
    used = len(lead)
    index = first
    for index in range(first, len(words)):
        start, end = words[index]
        size = end - start
        if lines and lines[-1] and used + 1 + size <= width:
            lines[-1].append(words[index])
            used += 1 + size
            continue
        if rows is not None and len(lines) == rows:
            break
        lines.append([words[index]])
        used = size + (len(lead) if len(lines) == 1 else 0)
    else:
        index = len(words)
    cut = index < len(words)
    if cut:
        # Room for the closing ellipsis on the last line.
        last = lines[-1]
        while len(last) > 1 and used + 2 > width:
            start, end = last.pop()
            used -= end - start + 1
    out = [" ".join(_marked(text, start, end, spans, color) for start, end in line) for line in lines]
    out[0] = lead + out[0]
    if cut:
        out[-1] += " " + ELLIPSIS
    return out


def _snippet_start(text: str, words: list[tuple[int, int]], spans: tuple[tuple[int, int], ...], budget: int) -> int:
    """The index of the word a snippet of about ``budget`` characters starts at: some context
    before the densest run of matched words, from the start of its sentence when that is near."""
    if not spans or len(text) <= budget:
        return 0
    reach = budget * 2 // 3
    # The matched word whose next two thirds of a snippet hold the most matches (the first on a tie).
    anchor = max(spans, key=lambda s: (sum(1 for t in spans if s[0] <= t[0] < s[0] + reach), -s[0]))[0]
    context = budget // 4
    if anchor <= context:
        return 0
    start = anchor - context
    clause = None
    for clause in _CLAUSE_END_RE.finditer(text, start, anchor):
        pass
    if clause is not None:
        start = clause.end()
    # Near the end of the passage: start earlier rather than show a short snippet.
    start = min(start, max(0, len(text) - budget + budget // 8))
    return next(i for i, (s, _) in enumerate(words) if s >= start or i == len(words) - 1)


def _marked(text: str, start: int, end: int, spans: tuple[tuple[int, int], ...], color: bool) -> str:
    """``text[start:end]`` made safe, with the parts inside ``spans`` highlighted when ``color``."""
    inside = tuple((max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start)
    return highlight(text[start:end], inside, color)


def counted(n: int, noun: str) -> str:
    """'1 document', '2 documents'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def render_summary(result: SearchResult, per_document: int | None = None) -> str:
    """'3 passages in 1 document (showing 1-3)' ('652 passages in 442 documents, 20 with all the
    words' when passages with some of the words follow), and why a page past the end of the list is
    empty when there are matches (``per_document`` is the cap the search ran with)."""
    shown = len(result.hits)
    docs = result.total_documents
    text = f"{counted(result.total, 'passage')} in {counted(docs, 'document')}"
    if result.all_words is not None:
        # The same on every page: passages with some of the words follow those with all.
        text += f", {result.all_words} with all the words"
    if shown:
        text += f" (showing {result.offset + 1}-{result.offset + shown})"
    elif result.offset < result.total and per_document:
        # Fewer passages are listed than match: the rest are the +N more of each document.
        text += f"; no passages on this page: at most {per_document} shown per document, use -m 0 to see all"
    elif result.total:
        text += f"; no passages on this page: --offset {result.offset} is past the end of the list"
    return text


def hit_json(hit: Hit) -> str:
    """One JSON Lines record."""
    return json.dumps(hit.to_json(), ensure_ascii=False)


def render_document(doc: Document, *, color: bool, width: int | None = None) -> str:
    """A whole document: its metadata, then its numbered paragraphs, wrapped at word boundaries
    to ``width`` (None: a paragraph a line)."""
    rows = [
        ("Document", doc.doc_id),
        ("Ingediend", doc.submitted.isoformat() if doc.submitted else ""),
        ("Beantwoord", (date_label(doc) if doc.date else "") + (f" (na {doc.days} dagen)" if doc.days is not None else "")),
        ("Indiener", submitter_label(doc)),
        ("Beantwoord door", minister_label(doc)),
        ("Onderwerpen", "; ".join(doc.subjects)),
        ("Bron vraag", doc.question_url or ""),
        ("Bron antwoord", doc.answer_url or ""),
    ]
    label_width = max(len(k) for k, _ in rows)
    lines = []
    for key, value in rows:
        label = key.ljust(label_width)
        lines.append(f"{_HEADING}{label}{_RESET}  {safe(value)}" if color else f"{label}  {safe(value)}")
    lines.append("")
    for kind, number, text in document_order(doc):
        if kind == "question":
            line = f"  >  {safe(text)}"
            lines.append(f"{_HEADING}{line}{_RESET}" if color else line)
            continue
        num = f"{number:>3}"
        rows = _wrap_plain(safe(text), max(width - 5, 20)) if width else [safe(text)]
        lines.append(f"{_DIM}{num}{_RESET}  {rows[0]}" if color else f"{num}  {rows[0]}")
        lines.extend("     " + row for row in rows[1:])
    return "\n".join(lines)


def document_order(doc: Document) -> list[tuple[str, int, str]]:
    """The questions and answer paragraphs of a document in reading order, as ("question",
    number from 1, its line) and ("paragraph", number from 1, text): each question before the
    first paragraph that answers it (a grouped answer after all its questions), and a question
    that no paragraph answers where it stands among the others."""
    out: list[tuple[str, int, str]] = []
    shown = 0  # the questions up to here are out
    for number, text in enumerate(doc.paragraphs, start=1):
        answered = doc.answers_to[number - 1] if number <= len(doc.answers_to) else ()
        last = max(answered, default=-1)
        while shown <= last:
            out.append(("question", shown + 1, doc.questions[shown].line))
            shown += 1
        out.append(("paragraph", number, text))
    out.extend(("question", i + 1, q.line) for i, q in enumerate(doc.questions[shown:], start=shown))
    return out


def document_json(doc: Document) -> str:
    """A whole document as one JSON object: its metadata, paragraphs, the questions it quotes
    (label and paragraphs) and, per paragraph, the indexes of the questions it answers."""
    data = doc.meta.to_json()
    data["paragraphs"] = list(doc.paragraphs)
    data["questions"] = [{"label": q.label, "paragraphs": list(q.paragraphs)} for q in doc.questions]
    data["answers_to"] = [list(a) for a in doc.answers_to]
    return json.dumps(data, ensure_ascii=False)


def render_report(report: IndexReport) -> str:
    """The one summary line of an index build."""
    kind = "full build" if report.full else "update"
    parts = [
        f"indexed {counted(report.documents, 'document')}, {counted(report.passages, 'passage')}",
        f"{kind}: {report.added} added, {report.changed} changed, {report.removed} removed",
        f"{len(report.rejected)} rejected",
        f"{report.seconds:.1f} s",
    ]
    return "; ".join(parts)


def render_facets(facets: dict[str, tuple[FacetCount, ...]], top: int = 8) -> str:
    """Counts of matching documents per facet value, the largest first."""
    labels = {"minister": "Minister", "ministry": "Ministerie", "party": "Partij", "year": "Jaar"}
    lines = []
    for name, counts in facets.items():
        shown = ", ".join(f"{safe(c.value)} ({c.count})" for c in counts[:top])
        rest = len(counts) - top
        lines.append(f"{labels.get(name, name)}: {shown or '-'}" + (f", +{rest} more" if rest > 0 else ""))
    return "\n".join(lines)


def facets_json(result: SearchResult) -> str:
    """The closing JSON line of a --facets search: totals, suggestion and facet counts."""
    return json.dumps(
        {
            "total": result.total,
            "total_documents": result.total_documents,
            "suggestion": result.suggestion,
            "facets": {k: [[c.value, c.count] for c in v] for k, v in result.facets.items()},
        },
        ensure_ascii=False,
    )


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def render_stats(stats: Stats) -> str:
    """The corpus overview and, when grouped, an aligned table."""
    lines = [
        f"documents {stats.documents}, passages {stats.passages}",
        f"answered between {stats.first_answer or '?'} and {stats.last_answer or '?'}",
        f"index built {stats.built_at or '?'}",
    ]
    header = ("", "docs", "timed", "median days", "> 21 days", "> 42 days")
    rows = [stats.overall, *stats.rows]

    def cells(r: StatsRow) -> tuple[str, ...]:
        median = "-" if r.median_days is None else f"{r.median_days:g}"
        key = safe(r.key)
        key = key if len(key) <= 40 else key[:39] + "…"
        return (key, str(r.documents), str(r.timed), median, _pct(r.over_21), _pct(r.over_42))

    table = [header, *(cells(r) for r in rows)]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines.append("")
    for row in table:
        first = row[0].ljust(widths[0])
        rest = "  ".join(cell.rjust(w) for cell, w in zip(row[1:], widths[1:]))
        lines.append(f"{first}  {rest}")
    return "\n".join(lines)


def stats_json(stats: Stats) -> str:
    """Statistics as one JSON object."""
    from dataclasses import asdict

    return json.dumps(asdict(stats), ensure_ascii=False)
