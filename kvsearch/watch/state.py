"""Where each watch last ran, and the lock that lets one ``watch run`` at a time.

Kept beside the watches file (``watches.toml`` -> ``watches.state.json``, ``watches.lock``),
not in it: a nightly run must never rewrite the file people edit. A watch's entry holds the
history stamp of the generation it last reported on (kvsearch.index.history) and the id of that
history; it is written, atomically, only after the watch's report was written completely.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import WatchError, WatchLockedError
from .watches import write_atomically

VERSION = 1


@dataclass(frozen=True)
class Point:
    """Where a watch's next report starts: after history stamp ``after`` of history ``history_id``."""

    history_id: str
    after: str
    ran: str  # when it was set (UTC, ISO 8601): for people reading the file


def state_path(watches: Path) -> Path:
    """The state file of a watches file."""
    return watches.with_name(watches.stem + ".state.json")


def lock_path(watches: Path) -> Path:
    """The lock file of a watches file."""
    return watches.with_name(watches.stem + ".lock")


class State:
    """The starting points of the watches of one watches file."""

    def __init__(self, watches: Path) -> None:
        self.path = state_path(watches)
        self.points: dict[str, Point] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.points = {name: Point(**entry) for name, entry in data["watches"].items()}
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            reason = getattr(exc, "strerror", None) or type(exc).__name__
            raise WatchError(f"watch state {self.path} is damaged ({reason}); delete it to give every watch"
                             " a new starting point") from None

    def set(self, name: str, point: Point) -> None:
        """Move one watch's starting point and write the file (raises OSError)."""
        self.points[name] = point
        self._save()

    def drop(self, name: str) -> None:
        """Forget a watch's starting point (a watch added again under its name starts afresh)."""
        if self.points.pop(name, None) is not None:
            self._save()

    def _save(self) -> None:
        data = {"version": VERSION, "watches": {n: p.__dict__ for n, p in sorted(self.points.items())}}
        write_atomically(self.path, (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))


@contextlib.contextmanager
def locked(watches: Path, *, wait: float = 0.0) -> Iterator[None]:
    """Hold the watches' lock, or raise WatchLockedError when another process still holds it
    after ``wait`` seconds. flock: the kernel releases it when its holder dies."""
    path = lock_path(watches)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise WatchError(f"cannot create {path}: {(exc.strerror or str(exc)).lower()}") from None
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
            if time.monotonic() >= deadline:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
                raise WatchLockedError(f"another 'kvsearch watch run' is running on {watches} (pid {holder})")
            time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)
