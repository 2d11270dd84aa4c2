"""What ``kvsearch fetch`` remembers between runs, kept in the corpus directory.

``.kvsearch-fetch.json`` (hidden: never scanned as corpus) holds the date up to which the last
completed run fetched, and per publication what fetch wrote (version, path, checksum), what it
skipped and what failed (with the record, to fetch it again next run). It is written
atomically, only when its content changes. During a run each outcome is also appended to
``.kvsearch-fetch.journal`` at once, so a killed run loses nothing it did: the next run reads
the journal back and skips what is already there. ``.kvsearch-fetch.lock`` keeps a second
fetch on the same directory out (exit 75).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..corpus.write import write_if_changed
from ..errors import CorpusError, FetchLockedError

STATE_FILE = ".kvsearch-fetch.json"
JOURNAL_FILE = ".kvsearch-fetch.journal"
LOCK_FILE = ".kvsearch-fetch.lock"
FORMAT = 1


@dataclass(frozen=True)
class Written:
    """A file fetch wrote: the publication's version, the corpus path and its SHA-256."""

    version: str
    path: str
    sha256: str


@dataclass
class FetchState:
    """The state of the last runs (see the module docstring)."""

    source: str = ""
    fetched_until: dt.date | None = None
    documents: dict[str, Written] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    failed: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The range of a run that began and did not complete (from the journal; never saved: a
    # completed run drops the journal). A run without --since resumes it.
    pending: tuple[dt.date, dt.date | None] | None = None

    def apply(self, entry: dict[str, Any]) -> None:
        """Take one journal entry into the state."""
        op = entry["op"]
        ident = entry.get("id", "")
        if op == "written":
            self.documents[ident] = Written(entry["version"], entry["path"], entry["sha256"])
            self.skipped.pop(ident, None)
            self.failed.pop(ident, None)
        elif op == "skipped":
            self.skipped[ident] = entry["version"]
            self.failed.pop(ident, None)
        elif op == "failed":
            self.failed[ident] = {"reason": entry["reason"], "record": entry["record"]}
        elif op == "kept":
            self.failed.pop(ident, None)
        elif op == "begin":
            until = entry.get("until")
            self.pending = (dt.date.fromisoformat(entry["since"]), dt.date.fromisoformat(until) if until else None)

    def advance(self, since: dt.date, until: dt.date) -> None:
        """Record that a completed run fetched everything modified in [since, until]: the
        watermark moves to ``until`` when that range joins on to what was fetched before."""
        if self.fetched_until is None or since <= self.fetched_until + dt.timedelta(days=1):
            self.fetched_until = max(until, self.fetched_until or until)

    def to_json(self) -> dict[str, Any]:
        """The JSON object of the state file."""
        return {
            "format": FORMAT,
            "source": self.source,
            "fetched_until": self.fetched_until.isoformat() if self.fetched_until else None,
            "documents": {
                k: {"version": w.version, "path": w.path, "sha256": w.sha256} for k, w in sorted(self.documents.items())
            },
            "skipped": dict(sorted(self.skipped.items())),
            "failed": dict(sorted(self.failed.items())),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FetchState:
        """Rebuild the state from :meth:`to_json`."""
        until = data.get("fetched_until")
        return cls(
            source=data.get("source") or "",
            fetched_until=dt.date.fromisoformat(until) if until else None,
            documents={k: Written(v["version"], v["path"], v["sha256"]) for k, v in data.get("documents", {}).items()},
            skipped=dict(data.get("skipped", {})),
            failed=dict(data.get("failed", {})),
        )


def sha256(data: bytes) -> str:
    """The hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


class StateStore:
    """Loading, journalling and saving the fetch state of one corpus directory."""

    def __init__(self, corpus_dir: Path) -> None:
        self.path = Path(corpus_dir) / STATE_FILE
        self.journal = Path(corpus_dir) / JOURNAL_FILE

    def load(self) -> FetchState:
        """The saved state with the journal of an unfinished run applied.

        Raises CorpusError when the state file is not what fetch wrote.
        """
        state = FetchState()
        try:
            state = FetchState.from_json(json.loads(self.path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CorpusError(
                f"fetch state {self.path} is unreadable ({type(exc).__name__}); move it away to start afresh"
            ) from None
        try:
            lines = self.journal.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            lines = []
        for line in lines:
            try:
                state.apply(json.loads(line))
            except (ValueError, KeyError, TypeError):
                continue  # a line torn by a kill: that outcome is simply done again
        return state

    def note(self, state: FetchState, entry: dict[str, Any]) -> None:
        """Apply ``entry`` and append it to the journal at once."""
        state.apply(entry)
        with open(self.journal, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def save(self, state: FetchState) -> None:
        """Write the state atomically (only when it changed) and drop the journal."""
        data = (json.dumps(state.to_json(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        write_if_changed(self.path, data)
        self.journal.unlink(missing_ok=True)
        state.pending = None


@contextmanager
def locked(corpus_dir: Path) -> Iterator[None]:
    """Hold the fetch lock of ``corpus_dir``; raises FetchLockedError when another holds it.

    An OS lock on an open file: it ends with the process, so a killed fetch never leaves a
    stale lock behind.
    """
    path = Path(corpus_dir) / LOCK_FILE
    handle = open(path, "a+", encoding="utf-8")
    try:
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock rather than no fetch
            fcntl = None  # type: ignore[assignment]
        if fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.seek(0)
                holder = handle.read().strip() or "unknown"
                raise FetchLockedError(
                    f"another kvsearch fetch is running on {corpus_dir} (pid {holder}); try again when it ends"
                ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()
