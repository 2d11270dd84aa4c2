"""Layout of an index directory: immutable generations, an atomic CURRENT pointer, a build lock.

    index/
      CURRENT          name of the published generation (replaced atomically with os.replace)
      LOCK             flock'ed by the one running build; holds its pid
      gen-000007/      a complete generation: Whoosh segments, documents.sqlite, kvsearch.json,
                       manifest.json (size and checksum of every other file; kvsearch.integrity)
      .build-000008/   a build in progress (or killed); never read by searches

Readers only ever open what CURRENT names, and a generation is never modified once published,
so a search sees either the old index or the new one, never a half-written one.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import (
    IndexCorruptError,
    IndexLockedError,
    IndexNotFoundError,
    KvsearchError,
)
from ..faults import checkpoint
from . import integrity

CURRENT = "CURRENT"
LOCK = "LOCK"
INFO_FILE = "kvsearch.json"
WHOOSH_DIR = "whoosh"
_GEN_RE = re.compile(r"^(?:gen|\.build)-(\d{6,})$")
# The steps of a build, in order, at which KVSEARCH_FAULT can make it fail (kvsearch.faults):
# segments and document store written; the manifest about to be / just written; the build
# directory renamed to its generation; CURRENT's replacement written but not yet / just renamed
# into place; an old generation about to be deleted.
PUBLISH_STEPS = (
    "segments-written",
    "before-manifest",
    "after-manifest",
    "generation-renamed",
    "before-current-rename",
    "after-current-rename",
    "cleanup",
)


def current_generation(index_dir: Path) -> Path:
    """The directory of the published generation.

    Raises IndexNotFoundError when there is none yet, IndexCorruptError when CURRENT names a
    generation that is not there.
    """
    index_dir = Path(index_dir)
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise IndexNotFoundError(f"no index in {index_dir} (run 'kvsearch index')") from None
    except NotADirectoryError:
        raise IndexNotFoundError(f"{index_dir} is not a directory") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise IndexCorruptError(f"cannot read {index_dir / CURRENT}: {_reason(exc)}") from None
    gen = index_dir / name
    if not _GEN_RE.match(name) or not gen.is_dir():
        raise IndexCorruptError(f"index in {index_dir} is broken: CURRENT names missing generation {name!r}")
    return gen


def read_info(gen: Path) -> dict[str, Any]:
    """The build information a generation was published with."""
    try:
        data = json.loads((gen / INFO_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(f"index generation {gen} is broken: {_reason(exc)}") from None
    if not isinstance(data, dict):
        raise IndexCorruptError(f"index generation {gen} is broken: bad {INFO_FILE}")
    return data


def new_build_dir(index_dir: Path) -> Path:
    """Create an empty directory for the next generation (caller must hold the lock)."""
    numbers = [int(m.group(1)) for p in index_dir.iterdir() if (m := _GEN_RE.match(p.name))]
    build = index_dir / f".build-{max(numbers, default=0) + 1:06d}"
    build.mkdir()
    return build


def publish(index_dir: Path, build: Path, info: dict[str, Any], reuse_from: Path | None = None) -> Path:
    """Make a finished build the current generation in one atomic step and return its path.

    The manifest is written inside the build, so it is published (or lost) with it; see
    :func:`kvsearch.integrity.write_manifest` for ``reuse_from``.
    """
    checkpoint("before-manifest")
    # Recorded so that a manifest deleted later is found as damage (integrity.manifest_expected).
    info = {**info, integrity.INFO_KEY: integrity.MANIFEST_VERSION}
    _write_durably(build / INFO_FILE, json.dumps(info, indent=1, sort_keys=True))
    integrity.write_manifest(build, reuse_from)
    _fsync_tree(build)
    checkpoint("after-manifest")
    gen = index_dir / build.name.replace(".build-", "gen-")
    os.replace(build, gen)
    _fsync_dir(index_dir)
    checkpoint("generation-renamed")
    _write_durably(index_dir / CURRENT, gen.name + "\n", before_rename="before-current-rename")
    checkpoint("after-current-rename")
    return gen


def current_name(index_dir: Path) -> str:
    """The name CURRENT holds, or "" when there is none (or it cannot be read)."""
    try:
        return (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def remove_stale(index_dir: Path, replaced: str | None = None) -> None:
    """Delete killed builds, and every generation but the current one and the one it replaced
    (caller holds the lock).

    The replaced generation is kept so a search that read CURRENT just before the switch can
    still open what it read. After a publish, ``replaced`` is what CURRENT named before it ("" for
    none); before a build (None) it is taken to be the newest generation older than the current
    one. A generation newer than the current one was never published (its build was killed
    before CURRENT named it) and nobody can have opened it. Without a readable CURRENT nothing
    is known to be in use: the newest two are kept.
    """
    current = current_name(index_dir)
    gens = sorted(
        (p for p in index_dir.iterdir() if p.name.startswith("gen-") and _GEN_RE.match(p.name)),
        key=lambda p: int(p.name[4:]),
    )
    names = [p.name for p in gens]
    if current not in names:
        keep = set(names[-2:])
    else:
        if replaced is None:
            older = names[: names.index(current)]
            replaced = older[-1] if older else ""
        keep = {current, replaced}
    for path in index_dir.iterdir():
        if path.name.startswith(".build-") or path.name.endswith(".tmp"):
            _rmtree(path)
    for path in gens:
        if path.name not in keep:
            checkpoint("cleanup")
            _rmtree(path)


# File descriptors of the build locks this process holds: a build's sub-processes close their
# inherited copies (kvsearch.writers), so only the build itself ever holds the lock.
HELD_LOCKS: set[int] = set()


@contextlib.contextmanager
def build_lock(
    index_dir: Path, *, wait: float = 0.0, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the index's build lock, or raise IndexLockedError naming the holder: at once, or
    when it is still held after ``wait`` seconds (``on_wait`` is told the holder's pid first).

    flock is released by the kernel when its holder dies, so a lock left by a killed build is
    simply taken over.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(index_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise unwritable(index_dir, exc) from None
    try:
        _acquire(fd, index_dir, wait, on_wait)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        HELD_LOCKS.add(fd)
        try:
            yield
        finally:
            HELD_LOCKS.discard(fd)
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, index_dir: Path, wait: float, on_wait: Callable[[str], None] | None) -> None:
    # Polled, not a blocking flock: a blocking one cannot be given up after ``wait`` seconds.
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise
        holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
        if time.monotonic() >= deadline:
            waited = f" and did not finish within {wait:g} s" if wait > 0 else ""
            raise IndexLockedError(f"another build is running on {index_dir} (pid {holder}){waited}")
        if on_wait is not None and not told:
            on_wait(holder)
            told = True
        time.sleep(0.1)


def _write_durably(path: Path, text: str, before_rename: str = "") -> None:
    """Replace ``path`` by a complete new file in one rename, never rewriting it in place: a
    reader sees the old text or the new, and a crash leaves one of them."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    if before_rename:
        checkpoint(before_rename)
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_tree(root: Path) -> None:
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(dirpath))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _rmtree(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def unwritable(index_dir: Path, exc: OSError) -> KvsearchError:
    """The one-line error for an index directory a build cannot write in (its permissions, a
    read-only filesystem, a full disk)."""
    return KvsearchError(f"cannot write index directory {index_dir}: {exc.strerror or exc}")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


__all__ = [
    "CURRENT",
    "PUBLISH_STEPS",
    "INFO_FILE",
    "WHOOSH_DIR",
    "build_lock",
    "current_generation",
    "current_name",
    "new_build_dir",
    "publish",
    "read_info",
    "remove_stale",
    "unwritable",
]
