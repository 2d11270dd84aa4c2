"""The watches file: saved searches, one TOML table per watch, written for people to edit.

    # comments and layout are kept when kvsearch adds or removes a watch
    [stikstof]
    query = "stikstof boeren"
    ministry = "Landbouw"

    [vws-laat]               # filters alone: everything VWS answers late
    ministry = "Volksgezondheid"
    late = true

TOML rather than JSON because people write it by hand (comments, no quoting of keys, no
trailing-comma errors). A file that cannot be read as watches is never rewritten: every command
that needs it stops with one line naming the file and what is wrong.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from ..errors import WatchError
from ..query.filters import Filters
from ..query.parse import parse

# A watch's name is also its feed's file name (NAME.atom), so it must be a safe one.
NAME_RE = re.compile(r"^\w[\w.-]{0,63}$")
_HEADER = """\
kvsearch watches: saved searches that 'kvsearch watch run' reports new and changed answers for.
One table per watch, [NAME], with query = "words" (the syntax of 'kvsearch search') and/or
filters: minister, ministry, submitter, party, subject, since, until (text), late (true/false).
Edit freely; 'kvsearch watch add' and 'watch remove' keep your comments."""


@dataclass(frozen=True)
class Watch:
    """A saved search: query words (may be empty) and metadata filters (as :func:`kvsearch.search`
    takes them)."""

    name: str
    query: str = ""
    minister: str | None = None
    ministry: str | None = None
    submitter: str | None = None
    party: str | None = None
    subject: str | None = None
    since: str | None = None  # answer dates, as in search; not the alert's starting point
    until: str | None = None
    late: bool = False

    def filters(self, documents: frozenset[str] | None = None) -> Filters:
        """The watch's filters, restricted to ``documents`` when given."""
        return Filters(self.minister, self.ministry, self.submitter, self.party, self.subject, None,
                       self.since, self.until, self.late, documents)

    def check(self) -> None:
        """Raise QueryError (or ParameterError) when the query or a filter cannot be used."""
        if self.query.strip():
            parse(self.query)
        self.filters().query()

    def settings(self) -> dict[str, Any]:
        """The settings that are set, as the watches file holds them."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name != "name" and value not in (None, "", False):
                out[f.name] = value
        return out

    def describe(self) -> str:
        """'query: stikstof; ministry: landbouw', or 'every new answer' for a watch of nothing."""
        return "; ".join(f"{k}: {v}" for k, v in self.settings().items()) or "every new answer"

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready mapping: the name and every setting (unset ones as null)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


SETTINGS = tuple(f.name for f in fields(Watch) if f.name != "name")


def check_name(name: str) -> None:
    """Refuse a name that cannot be a watch's (its feed file is named after it)."""
    if not NAME_RE.match(name):
        raise WatchError(f"bad watch name {name!r}: use letters, digits, '-', '_' and '.' (at most 64, not first)")


class WatchesFile:
    """The watches file at ``path``, read once; :meth:`save` writes it back atomically."""

    def __init__(self, path: Path) -> None:
        import tomlkit  # here: 20 ms that a search, importing kvsearch, need not pay
        import tomlkit.exceptions

        self.path = path
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            text = None
        except (OSError, UnicodeError) as exc:
            raise self._damaged(getattr(exc, "strerror", None) or str(exc)) from None
        self.exists = text is not None
        try:
            self._doc = tomlkit.parse(text) if text is not None else _new_document()
        except tomlkit.exceptions.ParseError as exc:
            raise self._damaged(str(exc)) from None
        self.watches = tuple(self._read(name, table) for name, table in self._doc.items())

    def _damaged(self, reason: str) -> WatchError:
        return WatchError(f"watches file {self.path} is damaged: {reason}; fix it by hand (it was left as it is)")

    def _read(self, name: str, table: Any) -> Watch:
        if not isinstance(table, dict):
            raise self._damaged(f"{name!r} is not a watch: write [{name}] and its settings under it")
        if not NAME_RE.match(name):
            raise self._damaged(f"bad watch name {name!r} (letters, digits, '-', '_' and '.')")
        values: dict[str, Any] = {}
        for key, value in table.items():
            if key not in SETTINGS:
                raise self._damaged(f"watch {name!r}: unknown setting {key!r} (use {', '.join(SETTINGS)})")
            wanted = bool if key == "late" else str
            if not isinstance(value, wanted):
                kind = "true or false" if wanted is bool else "text in quotes"
                raise self._damaged(f"watch {name!r}: {key} must be {kind}")
            values[key] = wanted(value)
        return Watch(name, **values)

    def get(self, name: str) -> Watch | None:
        """The watch of that name, or None."""
        return next((w for w in self.watches if w.name == name), None)

    def add(self, watch: Watch) -> None:
        """Add a watch (call :meth:`save` to write it)."""
        import tomlkit

        table = tomlkit.table()
        for key, value in watch.settings().items():
            table[key] = value
        self._doc[watch.name] = table
        self.watches = (*self.watches, watch)

    def remove(self, name: str) -> None:
        """Remove a watch (call :meth:`save` to write it)."""
        del self._doc[name]
        self.watches = tuple(w for w in self.watches if w.name != name)

    def save(self) -> None:
        """Replace the file with the watches, in one step: a reader sees the old file or the new."""
        import tomlkit

        write_atomically(self.path, tomlkit.dumps(self._doc).encode("utf-8"))


def _new_document() -> Any:
    import tomlkit

    doc = tomlkit.document()
    for line in _HEADER.splitlines():
        doc.add(tomlkit.comment(line))
    doc.add(tomlkit.nl())
    return doc


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory, flushed to disk
    before it takes the name: a crash or a full disk leaves the old file. Keeps the old file's
    permissions. Raises OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, path.stat().st_mode & 0o777)
        if not path.exists():
            os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide a feed from the web server
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def new_watch(name: str, query: str = "", **filters: Any) -> Watch:
    """A watch from the command line's or the library's arguments, refused (WatchError) when its
    name, query or a filter cannot be used."""
    check_name(name)
    unknown = set(filters) - set(SETTINGS)
    if unknown:
        raise WatchError(f"unknown watch setting {sorted(unknown)[0]!r}")
    watch = Watch(name, query.strip(), **{k: (v or None) if k != "late" else bool(v) for k, v in filters.items()})
    watch.check()  # QueryError (ParameterError for a filter) names what is wrong
    return watch
