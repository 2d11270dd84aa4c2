"""One ``kvsearch fetch`` run, top to bottom: load state -> query SRU -> for each record: skip or
download -> convert -> write -> save state."""

from __future__ import annotations

import datetime as dt
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..config import default_source
from ..corpus.write import format_document, remove_stale_temporaries, write_if_changed
from ..errors import CorpusError, ParameterError
from ..models import FetchFailure, FetchReport
from . import DEFAULT_PAUSE, LAYOUT_ROOT, koopxml, sru, state
from .http import HttpClient, HttpError

# The source indexes late: each run asks again for what was modified this many days before
# the end of the last completed run.
OVERLAP_DAYS = 7
FIRST_RUN_DAYS = 365
_SAFE_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,150}")


@dataclass(frozen=True)
class _Outcome:
    kind: str  # written, replaced, unchanged, skipped, kept, failed
    path: str = ""
    reason: str = ""


def run(
    corpus_dir: str | Path,
    *,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    source: str | None = None,
    pause: float = DEFAULT_PAUSE,
    record: str | Path | None = None,
    quiet: bool = True,
    progress: Callable[[int, int], None] | None = None,
    today: dt.date | None = None,
) -> FetchReport:
    """One fetch run; see :func:`kvsearch.fetch.fetch`, which calls it."""
    began = time.monotonic()
    today = today or dt.date.today()
    corpus = Path(corpus_dir)
    source = source or default_source()
    since_date, until_date = _date(since, "since"), _date(until, "until")
    if since_date and until_date and since_date > until_date:
        raise ParameterError("{since} is after {until}", "since", "until")
    if not source.lower().startswith(("http://", "https://")):
        shown = source.replace("{", "{{").replace("}", "}}")
        raise ParameterError(f"{{source}}: {shown!r} is not an http:// or https:// URL", "source")
    say = (lambda _: None) if quiet else (lambda line: print(f"kvsearch: {line}", file=sys.stderr))
    if corpus.exists() and not corpus.is_dir():
        raise CorpusError(f"corpus path {corpus} is not a directory")
    corpus.mkdir(parents=True, exist_ok=True)

    with state.locked(corpus):
        # 1. Load the state; work out the date range.
        store = state.StateStore(corpus)
        memory = store.load()
        remove_stale_temporaries(corpus, recursive=False)  # the state file's
        remove_stale_temporaries(corpus / LAYOUT_ROOT)
        default_window = False
        if since_date is None and memory.pending:
            since_date, until_date = memory.pending
            say(f"resuming the fetch from {since_date.isoformat()} that did not complete")
        elif since_date is None and memory.fetched_until and memory.source == source:
            since_date = memory.fetched_until - dt.timedelta(days=OVERLAP_DAYS)
        elif since_date is None:
            since_date = today - dt.timedelta(days=FIRST_RUN_DAYS)
            default_window = True
            say(f"no earlier fetch into {corpus}: fetching the last {FIRST_RUN_DAYS} days"
                f" (from {since_date.isoformat()}; --since 1995-01-01 fetches the whole archive)")

        # Journalled before the listing: a first fetch of the whole archive whose listing fails
        # is resumed with its range by a plain 'kvsearch fetch', not cut down to 365 days.
        store.note(memory, {"op": "begin", "since": since_date.isoformat(),
                            "until": until_date.isoformat() if until_date else None})

        with HttpClient(pause=pause, record=Path(record) if record else None) as client:
            # 2. Query the SRU: the whole listing first, so an unreachable source or a
            #    diagnostic ends the run before any file is touched.
            records = sru.list_records(client, source, since_date, until_date, today=today)
            listed = len(records)
            listed_ids = {r.identifier for r in records}
            records += [
                sru.Record.from_json(f["record"]) for i, f in sorted(memory.failed.items()) if i not in listed_ids
            ]
            say(f"{listed} publications modified {since_date.isoformat()}..{(until_date or today).isoformat()}; fetching"
                + (f", {len(records) - listed} failed before" if len(records) > listed else ""))

            # 3. Each record: skip or download -> convert -> write.
            outcomes: list[tuple[str, _Outcome]] = []
            for n, rec in enumerate(records, 1):
                outcome = _fetch_one(client, rec, corpus, memory)
                entry: dict[str, object] = {"id": rec.identifier, "op": outcome.kind, "version": rec.version}
                if outcome.kind in ("written", "replaced", "unchanged"):
                    data = (corpus / outcome.path).read_bytes()
                    entry.update(op="written", path=outcome.path, sha256=state.sha256(data))
                elif outcome.kind == "failed":
                    entry.update(reason=outcome.reason, record=rec.to_json())
                store.note(memory, entry)
                outcomes.append((rec.identifier, outcome))
                if progress:
                    progress(n, len(records))

        # 4. Save the state; the date range counts as fetched only now, the run complete.
        memory.source = source
        memory.advance(since_date, until_date or today)
        store.save(memory)

    def paths(kind: str) -> tuple[str, ...]:
        return tuple(o.path for _, o in outcomes if o.kind == kind)

    return FetchReport(
        since=since_date.isoformat(),
        until=until_date.isoformat() if until_date else "",
        listed=listed,
        written=paths("written"),
        replaced=paths("replaced"),
        unchanged=sum(1 for _, o in outcomes if o.kind == "unchanged"),
        skipped=tuple(i for i, o in outcomes if o.kind == "skipped"),
        kept=paths("kept"),
        failed=tuple(FetchFailure(i, o.reason) for i, o in outcomes if o.kind == "failed"),
        default_window=default_window,
        seconds=time.monotonic() - began,
    )


def _fetch_one(client: HttpClient, rec: sru.Record, corpus: Path, memory: state.FetchState) -> _Outcome:
    """Skip, or download, convert and write one publication."""
    ident = rec.identifier
    if not _SAFE_ID_RE.fullmatch(ident):
        return _Outcome("failed", reason="identifier unusable as a file name")
    known = memory.documents.get(ident)
    if known and known.version == rec.version and _ours(corpus, known.path, memory, ident):
        return _Outcome("unchanged", known.path)
    if memory.skipped.get(ident) == rec.version:
        return _Outcome("skipped")
    try:
        meta = koopxml.merge_meta(rec.fields, None)
        if koopxml.needs_metadata(meta) and rec.metadata_url:
            metadata = koopxml.parse_metadata(client.get(rec.metadata_url))
            if koopxml.answer_type(metadata) is False:
                return _Outcome("skipped")
            meta = koopxml.merge_meta(rec.fields, metadata)
        if not rec.xml_url:
            return _Outcome("failed", reason="the record gives no XML URL")
        answer = koopxml.convert(ident, client.get(rec.xml_url), meta, rec.preferred_url)
    except koopxml.NotAnAnswer:
        return _Outcome("skipped")
    except HttpError as exc:
        return _Outcome("failed", reason=exc.reason)
    except koopxml.ConversionError as exc:
        return _Outcome("failed", reason=str(exc))

    rel = f"{LAYOUT_ROOT}/{answer.vergaderjaar}/{ident}.txt"
    data = format_document(answer.document, answer.footnotes).encode("utf-8")
    target = corpus / rel
    if target.exists() and not _ours(corpus, rel, memory, ident) and target.read_bytes() != data:
        return _Outcome("kept", rel)
    existed = target.exists()
    changed = write_if_changed(target, data)
    if known and known.path != rel and _ours(corpus, known.path, memory, ident):
        (corpus / known.path).unlink()  # the publication moved folder: its old file was ours
    if not changed:
        return _Outcome("unchanged", rel)
    return _Outcome("replaced" if existed or known else "written", rel)


def _ours(corpus: Path, rel: str, memory: state.FetchState, ident: str) -> bool:
    """Whether the file at ``rel`` is exactly what fetch last wrote there for ``ident``."""
    known = memory.documents.get(ident)
    if not known or known.path != rel:
        return False
    try:
        return state.sha256((corpus / rel).read_bytes()) == known.sha256
    except OSError:
        return False


def _date(value: str | dt.date | None, name: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        shown = repr(value).replace("{", "{{").replace("}", "}}")
        raise ParameterError(f"{{{name}}}: not a date (YYYY-MM-DD): {shown}", name) from None
