"""Finding corpus files on disk and reading one: doc ids, scanning, decoding."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusError, DocumentError
from ..models import Document
from .parse import parse_document
from .text import clean


@dataclass(frozen=True)
class CorpusFile:
    """One ``*.txt`` file found in the corpus, with what a scan learns of it without reading it."""

    path: Path
    doc_id: str  # the path under the root, without ".txt", with "/"
    size: int
    mtime_ns: int
    # What the permission bits say; only open() knows for sure (ACLs, root): see unreadable().
    may_read: bool = True


def scan_corpus(root: Path) -> list[CorpusFile]:
    """Every ``*.txt`` file under ``root``, recursively, sorted by path, with size and mtime.

    Hidden files and directories (".git", ".ipynb_checkpoints") are skipped and symbolic links
    to directories are not followed, so the list cannot loop or pick up tool copies.
    Raises CorpusError when ``root`` is missing or not a directory.
    """
    root = Path(root)
    if not root.exists():
        raise CorpusError(f"corpus directory {root} not found")
    if not root.is_dir():
        raise CorpusError(f"corpus path {root} is not a directory")
    found: list[tuple[tuple[str, ...], CorpusFile]] = []
    may_read = _permission_check()
    # os.scandir rather than pathlib: at 100,000 files the Path objects and relative_to calls
    # of a pathlib walk cost seconds of every nightly run.
    pending: list[tuple[str, tuple[str, ...]]] = [(str(root), ())]
    while pending:
        directory, parts = pending.pop()
        with os.scandir(directory) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, (*parts, name)))
                elif name.endswith(".txt") and entry.is_file():
                    try:
                        st = entry.stat()
                    except OSError:
                        continue  # vanished since listed
                    rel = (*parts, name)
                    doc_id = "/".join(rel)[:-4]
                    found.append(
                        (rel, CorpusFile(Path(entry.path), doc_id, st.st_size, st.st_mtime_ns, may_read(st)))
                    )
    # Sort on the relative parts, not the OS string, so every platform yields the same order.
    found.sort(key=lambda item: item[0])
    return [f for _, f in found]


def _permission_check() -> Callable[[os.stat_result], bool]:
    """Whether the permission bits of a file let this process read it, decided from the stat
    the scan makes anyway: an update that trusts a file's size and time (chmod keeps both)
    learns that it became unreadable without a system call per file."""
    if not hasattr(os, "geteuid") or os.geteuid() == 0:
        return lambda st: True  # root reads anything; Windows has no such bits
    uid = os.geteuid()
    groups = {os.getegid(), *os.getgroups()}

    def may_read(st: os.stat_result) -> bool:
        if st.st_uid == uid:
            return bool(st.st_mode & stat.S_IRUSR)
        if st.st_gid in groups:
            return bool(st.st_mode & stat.S_IRGRP)
        return bool(st.st_mode & stat.S_IROTH)

    return may_read


def iter_corpus_files(root: Path) -> list[Path]:
    """The paths of :func:`scan_corpus`."""
    return [f.path for f in scan_corpus(root)]


def doc_id_for(path: Path, root: Path) -> str:
    """The document id: the path under the corpus root, without ``.txt``, with ``/``."""
    rel = Path(path).relative_to(root).as_posix()
    return rel[:-4] if rel.endswith(".txt") else rel


def unreadable(path: Path) -> str | None:
    """Why ``path`` cannot be opened for reading (lower case, as the OS says it), or None.

    One open and close, no read: an index update that trusts a file's unchanged size and time
    asks it about a file whose permission bits (``CorpusFile.may_read``) say it cannot be read.
    """
    try:
        # O_NONBLOCK: a FIFO put in the file's place must not hang the update.
        os.close(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)))
    except OSError as exc:
        return (exc.strerror or str(exc)).lower()
    return None


def parse_file(path: Path, root: Path) -> Document:
    """Read and parse one corpus file.

    Raises DocumentError (path and reason) when the file cannot be read, is not UTF-8 text,
    is binary or empty, or has a header but no answer paragraphs.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), (exc.strerror or str(exc)).lower()) from None
    return parse_bytes(data, str(path), doc_id_for(path, root))


def parse_bytes(data: bytes, path: str, doc_id: str) -> Document:
    """Decode and parse the bytes of one corpus file (see :func:`parse_file`)."""
    if b"\x00" in data:
        # Checked before decoding: UTF-16 and binary files would otherwise get a less useful
        # "invalid byte" reason.
        raise DocumentError(path, "binary file (contains nul bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(path, f"not UTF-8 text (invalid byte at offset {exc.start})") from None
    doc, has_header = parse_document(text, doc_id)
    if not doc.paragraphs:
        # A body of page furniture or questions alone has no answer either, but is not empty.
        raise DocumentError(path, "no answer paragraphs" if has_header or clean(text) else "empty file")
    return doc
