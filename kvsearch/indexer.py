"""Build an index generation from a corpus directory and publish it atomically."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path

from whoosh import index as whoosh_index

from . import corpus, generations, schema
from .errors import CorpusError, DocumentError, KvsearchError
from .models import IndexReport, Rejected
from .store import DocumentStore, StoredDocument

Progress = Callable[[int, int], None]

# Whoosh's writer buffers this many MB of postings before flushing a segment.
WRITER_LIMIT_MB = 256


def default_index_dir() -> Path:
    """The index location: $KVSEARCH_INDEX, else ./index."""
    return Path(os.environ.get("KVSEARCH_INDEX") or "index")


def default_corpus_dir() -> Path:
    """The corpus location: $KVSEARCH_CORPUS, else ./corpus."""
    return Path(os.environ.get("KVSEARCH_CORPUS") or "corpus")


def build_index(
    corpus_dir: str | os.PathLike[str] | None = None,
    index_dir: str | os.PathLike[str] | None = None,
    *,
    full: bool = False,
    progress: Progress | None = None,
) -> IndexReport:
    """Index every ``*.txt`` under ``corpus_dir`` into a new generation under ``index_dir``.

    Files that cannot be read or parsed are skipped and listed in ``report.rejected``; the rest
    is indexed. The new generation replaces the old one in one atomic step only when it is
    complete, so searches never see a partial index.

    Raises:
        CorpusError: the corpus directory is missing or not a directory.
        IndexLockedError: another build is running on the same index.
        KvsearchError: the index directory cannot be written.
    """
    started = time.monotonic()
    root = Path(corpus_dir) if corpus_dir is not None else default_corpus_dir()
    target = Path(index_dir) if index_dir is not None else default_index_dir()
    files = corpus.iter_corpus_files(root)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KvsearchError(f"cannot create index directory {target}: {exc.strerror or exc}") from None
    with generations.build_lock(target):
        generations.remove_stale(target)
        try:
            report = _full_build(root, target, files, progress)
        except OSError as exc:
            raise KvsearchError(f"cannot write index in {target}: {exc.strerror or exc}") from None
        generations.remove_stale(target)
    return IndexReport(**{**report.__dict__, "seconds": round(time.monotonic() - started, 3)})


def _full_build(root: Path, target: Path, files: list[Path], progress: Progress | None) -> IndexReport:
    build = generations.new_build_dir(target)
    whoosh_dir = build / generations.WHOOSH_DIR
    whoosh_dir.mkdir()
    ix = whoosh_index.create_in(str(whoosh_dir), schema.build_schema())
    store = DocumentStore(build)
    writer = ix.writer(limitmb=WRITER_LIMIT_MB)
    rejected: list[Rejected] = []
    documents = passages = 0
    try:
        for done, path in enumerate(files, start=1):
            try:
                doc = corpus.parse_file(path, root)
                digest = _digest(path)
            except KvsearchError as exc:
                rejected.append(Rejected(str(path), getattr(exc, "reason", str(exc))))
                continue
            count = 0
            for record in schema.passage_records(doc):
                writer.add_document(**record)
                count += 1
            store.put(StoredDocument(doc.doc_id, str(path.relative_to(root)), digest, count, doc.meta))
            documents += 1
            passages += count
            if progress:
                progress(done, len(files))
        writer.commit()
    except BaseException:
        writer.cancel()
        store.close()
        raise
    built_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    store.set_info("schema_version", schema.SCHEMA_VERSION)
    store.set_info("built_at", built_at)
    store.commit()
    store.close()
    generations.publish(
        target,
        build,
        {
            "schema_version": schema.SCHEMA_VERSION,
            "built_at": built_at,
            "corpus": str(root.resolve()),
            "documents": documents,
            "passages": passages,
        },
    )
    return IndexReport(
        documents=documents,
        passages=passages,
        added=documents,
        rejected=tuple(rejected),
        full=True,
        index_dir=str(target),
    )


def _digest(path: Path) -> str:
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except OSError as exc:
        # The file vanished or became unreadable between parsing and hashing.
        raise DocumentError(str(path), (exc.strerror or str(exc)).lower()) from None


__all__ = ["CorpusError", "build_index", "default_corpus_dir", "default_index_dir"]
