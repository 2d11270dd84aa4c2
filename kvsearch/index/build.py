"""Build an index generation from a corpus directory and publish it atomically.

:func:`build_index` takes the lock, scans the corpus, chooses what to start from (the current
generation when it is intact and of this version, else nothing: a full build) and runs
:func:`_build`, which reads top to bottom: start -> index the changed files -> remove the gone
ones -> commit -> verify -> record the history -> publish. ``kvsearch check`` is
:mod:`kvsearch.index.check`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from .. import corpus
from ..config import default_corpus_dir, default_index_dir
from ..errors import (
    BuildError,
    DocumentError,
    IndexNotFoundError,
    KvsearchError,
)
from ..faults import checkpoint
from ..models import IndexReport, Rejected
from . import corpusguard, generations, history, integrity, schema, writers
from .store import STORE_FILE, DocumentStore, StoredDocument

Progress = Callable[[int, int], None]
# A file whose mtime is this close to the previous scan (or later) is read even when its size
# and mtime are unchanged: 2 s covers filesystems that keep whole seconds.
RACY_NS = 2_000_000_000


def build_index(
    corpus_dir: str | os.PathLike[str] | None = None,
    index_dir: str | os.PathLike[str] | None = None,
    *,
    full: bool = False,
    progress: Progress | None = None,
) -> IndexReport:
    """Index every ``*.txt`` under ``corpus_dir`` into a new generation under ``index_dir``.

    Incremental unless ``full``: only files added, changed (by content digest) or removed since
    the last build are redone; a change of analyzer or schema version rebuilds fully. Files that
    cannot be read or parsed are listed in ``report.rejected``; a rejected file that was indexed
    before keeps its last good version. The new generation replaces the old one in one atomic
    step only when it is complete, so searches never see a partial index, and a build killed
    at any moment leaves the previous index as it was. An update first verifies every file of
    the current generation against its manifest; a damaged or unreadable one is rebuilt fully
    from the corpus instead, and ``report.repaired`` says what was wrong.

    Raises:
        CorpusError: the corpus directory is missing or not a directory.
        UpdateRefusedError: without ``full``, the update would remove every indexed document, or
            more than half of them from another corpus directory than the index was built from.
        IndexLockedError: another build is running on the same index.
        KvsearchError: the index directory cannot be written.
    """
    started = time.monotonic()
    root, target, files, scan_started_ns = _prepare(corpus_dir, index_dir)
    with generations.build_lock(target):
        return _update(root, target, files, full, progress, scan_started_ns, started)


def build_missing_index(
    corpus_dir: str | os.PathLike[str] | None = None,
    index_dir: str | os.PathLike[str] | None = None,
    *,
    wait: float = 60.0,
    on_wait: Callable[[str], None] | None = None,
    on_build: Callable[[], None] | None = None,
) -> IndexReport | None:
    """Build the index when there is none yet, for a search that needs one.

    When another process is building it, wait for that build (up to ``wait`` seconds;
    ``on_wait`` is told its pid) rather than fail at once: a user who searches expects results.
    Returns None when that build published the index, else the report of the build run here
    (``on_build`` is called as it starts).

    Raises:
        IndexLockedError: the other build still runs after ``wait`` seconds.
        and whatever :func:`build_index` raises.
    """
    started = time.monotonic()
    root, target, files, scan_started_ns = _prepare(corpus_dir, index_dir)
    with generations.build_lock(target, wait=wait, on_wait=on_wait):
        if (target / generations.CURRENT).exists():
            return None
        if on_build is not None:
            on_build()
        return _update(root, target, files, False, None, scan_started_ns, started)


def _prepare(
    corpus_dir: str | os.PathLike[str] | None, index_dir: str | os.PathLike[str] | None
) -> tuple[Path, Path, list[corpus.CorpusFile], int]:
    """The corpus and index directories, the corpus scanned (and when), the index directory
    created."""
    root = Path(corpus_dir) if corpus_dir is not None else default_corpus_dir()
    target = Path(index_dir) if index_dir is not None else default_index_dir()
    scan_started_ns = time.time_ns()
    files = corpus.scan_corpus(root)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KvsearchError(f"cannot create index directory {target}: {exc.strerror or exc}") from None
    return root, target, files, scan_started_ns


@contextlib.contextmanager
def _writing(target: Path) -> Iterator[None]:
    """Writing in the index directory: a failure is one line naming it, not an OSError."""
    try:
        yield
    except OSError as exc:
        raise generations.unwritable(target, exc) from None


def _update(
    root: Path,
    target: Path,
    files: list[corpus.CorpusFile],
    full: bool,
    progress: Progress | None,
    scan_started_ns: int,
    started: float,
) -> IndexReport:
    """The build itself, the lock held."""
    replaced = generations.current_name(target)
    with _writing(target):
        generations.remove_stale(target)
    if not full:
        corpusguard.refuse_mass_removal(target, root, files)
    previous, damage = (None, "") if full else _reusable_generation(target)
    with _writing(target):
        report = _build(root, target, files, previous, progress, scan_started_ns)
        generations.remove_stale(target, replaced=replaced)
    return replace(report, seconds=round(time.monotonic() - started, 3), repaired=damage)


def _reusable_generation(target: Path) -> tuple[Path | None, str]:
    """The current generation if an update can start from it (same analyzer and schema, every
    file as it was written), else None and, when damage was the reason, what is damaged.

    Every file is read against its manifest's checksum, not only its size: at about 1 GB/s
    that is 0.1 s for a 10,000-document index and under a second for 100,000, a small part of
    an update, and it finds overwritten bytes too, which an update would otherwise carry on.
    A generation without a manifest (written by an earlier kvsearch) is rebuilt fully once, like
    one of another schema version: an update would certify files nobody verified.
    """
    try:
        gen = generations.current_generation(target)
        info = generations.read_info(gen)
    except IndexNotFoundError:
        return None, ""
    except KvsearchError as exc:
        return None, str(exc)
    if info.get("schema_version") != schema.SCHEMA_VERSION:
        return None, ""
    verification = integrity.verify(gen, checksums=True, required=integrity.manifest_expected(info))
    if verification.damaged:
        return None, integrity.describe(gen, verification.damaged)
    if not verification.manifest:
        return None, ""
    # Intact files can still disagree (a build published without a dead sub-process's
    # passages, before builds checked for that): an update would carry the hole on for ever.
    try:
        store = DocumentStore(gen, readonly=True)
        try:
            _, recorded = store.counts()
        finally:
            store.close()
        mismatch = passage_mismatch(gen, recorded)
    except Exception:  # any damage Whoosh or SQLite reports that the manifest did not show
        return None, integrity.unreadable(gen)
    return (None, f"index inconsistent: {mismatch}") if mismatch else (gen, "")


def passage_mismatch(gen: Path, recorded: int) -> str:
    """How the passages in a generation's Whoosh index differ from the ``recorded`` count, or ""
    when they agree. Cheap: Whoosh keeps each segment's count in its table of contents."""
    written = whoosh_index.open_dir(str(gen / generations.WHOOSH_DIR)).doc_count()
    return "" if written == recorded else f"{written} passages in the index but {recorded} recorded"


@dataclass
class _Tally:
    """What a build did with the corpus files, for its report."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    rejected: list[Rejected] = field(default_factory=list)


@dataclass
class _Generation:
    """A generation being written: its directory, Whoosh index and writer, document store."""

    path: Path
    writer: Any
    store: DocumentStore
    base: Path | None  # the generation it starts from (an update), None for a full build


def _build(
    root: Path,
    target: Path,
    files: list[corpus.CorpusFile],
    previous: Path | None,
    progress: Progress | None,
    scan_started_ns: int,
) -> IndexReport:
    """Write a new generation and publish it, top to bottom: start it (from scratch, or as a
    copy of ``previous``) -> read, parse, analyse and write each added or changed file ->
    delete what left the corpus -> commit -> verify the passages -> record the history ->
    publish. Rejected files keep their last good version."""
    gen = _start(target, previous, len(files))
    tally = _Tally()
    try:
        known = gen.store.fingerprints()  # what the generation it starts from holds
        seen = _index_changes(gen, known, files, tally, progress)
        tally.removed = _remove_gone(gen, set(known) - seen)
        gen.writer.commit(optimize=False)
    except BaseException:
        gen.writer.cancel()
        gen.store.close()
        raise
    built_at, documents, passages = _finish_store(gen.store, scan_started_ns)
    checkpoint("segments-written")
    # The last line of defence against publishing an index that silently lacks passages.
    mismatch = passage_mismatch(gen.path, passages)
    if mismatch:
        raise BuildError(f"build failed: {mismatch}; the previous index is unchanged")
    history.record(gen.path, target)
    info = {
        "schema_version": schema.SCHEMA_VERSION,
        "built_at": built_at,
        "corpus": str(root.resolve()),
        "documents": documents,
        "passages": passages,
        "full": previous is None,
    }
    generations.publish(target, gen.path, info, reuse_from=previous)
    return IndexReport(
        documents=documents,
        passages=passages,
        added=tally.added,
        changed=tally.changed,
        removed=tally.removed,
        unchanged=tally.unchanged,
        rejected=tuple(tally.rejected),
        full=previous is None,
        index_dir=str(target),
    )


def _start(target: Path, previous: Path | None, files: int) -> _Generation:
    """A new build directory with its Whoosh index, writer and store: empty, or sharing the
    files of ``previous``."""
    build = generations.new_build_dir(target)
    whoosh_dir = build / generations.WHOOSH_DIR
    if previous is not None:
        # Whoosh never rewrites a segment file once written (deletions live in the table of
        # contents), so the new generation can share the old one's files by hard links.
        _link_tree(previous / generations.WHOOSH_DIR, whoosh_dir)
        shutil.copy2(previous / STORE_FILE, build / STORE_FILE)
        ix = whoosh_index.open_dir(str(whoosh_dir))
    else:
        whoosh_dir.mkdir()
        ix = whoosh_index.create_in(str(whoosh_dir), schema.build_schema())
    store = DocumentStore(build)
    return _Generation(build, writers.open_writer(ix, files, full=previous is None), store, previous)


def _index_changes(
    gen: _Generation, known: dict[str, Any], files: list[corpus.CorpusFile], tally: _Tally, progress: Progress | None
) -> set[str]:
    """Read, parse, analyse and write every file added or changed since the generation it
    starts from; return the doc ids of every file seen.

    A file is read and its digest compared unless its size and mtime are what they were when
    it was indexed (as git and rsync decide); a file modified within RACY_NS before the
    previous scan is always read, since a second change in the same clock tick could keep
    its mtime."""
    trusted_before = int(gen.store.info().get("scan_started_ns", "0")) - RACY_NS
    seen: set[str] = set()
    for done, file in enumerate(files, start=1):
        if progress:
            progress(done, len(files))
        doc_id, path = file.doc_id, file.path
        seen.add(doc_id)
        old = known.get(doc_id)
        if (
            old is not None
            and old.size == file.size
            and old.mtime_ns == file.mtime_ns
            and file.mtime_ns < trusted_before
        ):
            # Size and time say nothing of permissions: a file made unreadable since (chmod
            # 000 keeps both) is reported, as reading it would be, and keeps its last good
            # version. The scan's permission bits decide whether to try opening it: an open
            # of every file would cost 90-110 ms per 10,000.
            reason = None if file.may_read else corpus.unreadable(path)
            if reason is not None:
                tally.rejected.append(Rejected(str(path), reason))
            else:
                tally.unchanged += 1
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            tally.rejected.append(Rejected(str(path), (exc.strerror or str(exc)).lower()))
            continue
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        if old is not None and old.digest == digest:
            tally.unchanged += 1
            gen.store.set_file_stat(doc_id, file.size, file.mtime_ns)
            continue
        try:
            doc = corpus.parse_bytes(data, str(path), doc_id)
        except DocumentError as exc:
            tally.rejected.append(Rejected(str(path), exc.reason))
            continue
        if old is not None:
            gen.writer.delete_by_term(schema.DOC_ID, doc_id)
            tally.changed += 1
        else:
            tally.added += 1
        count = 0
        for record in schema.passage_records(doc):  # analysed as the writer adds each passage
            gen.writer.add_document(**record)
            count += 1
        gen.store.put(
            StoredDocument(
                doc_id, f"{doc_id}.txt", digest, count, doc.meta, doc.paragraphs, file.size, file.mtime_ns,
                doc.questions, doc.answers_to,
            )
        )
        checkpoint("document-indexed")  # KVSEARCH_FAULT=document-indexed@<n>: mid-build
    return seen


def _remove_gone(gen: _Generation, gone: set[str]) -> int:
    """Delete the documents whose files left the corpus; return how many."""
    removed = sorted(gone)
    for doc_id in removed:
        gen.writer.delete_by_term(schema.DOC_ID, doc_id)
    gen.store.delete(removed)
    return len(removed)


def _finish_store(store: DocumentStore, scan_started_ns: int) -> tuple[str, int, int]:
    """Record the build in the store and close it; return (built at, documents, passages)."""
    built_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    store.set_info("schema_version", schema.SCHEMA_VERSION)
    store.set_info("built_at", built_at)
    store.set_info("scan_started_ns", str(scan_started_ns))
    store.commit()
    documents, passages = store.counts()
    store.close()
    return built_at, documents, passages


def _link_tree(src: Path, dest: Path) -> None:
    dest.mkdir()
    for item in src.iterdir():
        if item.is_file():
            try:
                os.link(item, dest / item.name)
            except OSError:
                shutil.copy2(item, dest / item.name)  # a filesystem without hard links


__all__ = ["build_index", "build_missing_index", "passage_mismatch"]
