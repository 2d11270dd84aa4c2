"""``kvsearch check``: is the index intact, current, and does it match the corpus?"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .. import corpus
from ..config import default_corpus_dir, default_index_dir
from ..errors import CorpusError, DocumentError, KvsearchError
from ..models import CheckReport, Rejected
from . import generations, integrity, schema
from .build import passage_mismatch
from .store import DocumentStore


def check_index(
    corpus_dir: str | os.PathLike[str] | None = None, index_dir: str | os.PathLike[str] | None = None
) -> CheckReport:
    """Verify that the index is intact (every file against its manifest's size and checksum),
    opens, has the current version and matches the corpus.

    Without ``corpus_dir`` (and $KVSEARCH_CORPUS), the corpus is the one the index was built
    from; ``report.corpus`` says which directory was compared. Never raises for a broken index:
    the problem is in ``report.problems`` (and the damaged files in ``report.damaged``).

    Raises:
        CorpusError: the corpus directory is missing (also the recorded one, gone since).
    """
    target = Path(index_dir) if index_dir is not None else default_index_dir()
    root = Path(corpus_dir) if corpus_dir is not None else default_corpus_dir()
    problems: list[str] = []
    try:
        gen = generations.current_generation(target)
        info = generations.read_info(gen)
        recorded = info.get("corpus")
        if corpus_dir is None and not os.environ.get("KVSEARCH_CORPUS") and isinstance(recorded, str) and recorded:
            root = Path(recorded)
            if not root.is_dir():
                raise CorpusError(f"the index was built from {root}, which is not there now (give --corpus)")
        if info.get("schema_version") != schema.SCHEMA_VERSION:
            problems.append(
                f"index version {info.get('schema_version')} is not the current {schema.SCHEMA_VERSION}"
                " (run 'kvsearch index')"
            )
        verification = integrity.verify(gen, checksums=True, required=integrity.manifest_expected(info))
        if verification.damaged:
            return CheckReport(
                problems=(*problems, integrity.repair_hint(integrity.describe(gen, verification.damaged))),
                damaged=tuple(str(gen / d.path) for d in verification.damaged),
                verified=True,
            )
        store = DocumentStore(gen, readonly=True)
        known = store.fingerprints()
        _, stored_passages = store.counts()
        store.close()
        mismatch = passage_mismatch(gen, stored_passages)
    except CorpusError:
        raise
    except KvsearchError as exc:
        return CheckReport(problems=(str(exc),))
    except Exception:  # any damage Whoosh or SQLite reports that the manifest did not show
        return CheckReport(problems=(integrity.repair_hint(integrity.unreadable(gen)),))
    if mismatch:
        problems.append(mismatch)
    missing: list[str] = []
    stale: list[str] = []
    rejected: list[Rejected] = []
    seen: set[str] = set()
    for file in corpus.scan_corpus(root):
        doc_id = file.doc_id
        seen.add(doc_id)
        try:
            data = file.path.read_bytes()
        except OSError as exc:
            rejected.append(Rejected(str(file.path), (exc.strerror or str(exc)).lower()))
            continue
        old = known.get(doc_id)
        if old is not None and old.digest == hashlib.blake2b(data, digest_size=16).hexdigest():
            continue
        # Only a file an update would redo is parsed: one it rejects is no mismatch, since the
        # update leaves it out (or keeps its last good version) as well.
        try:
            corpus.parse_bytes(data, str(file.path), doc_id)
        except DocumentError as exc:
            rejected.append(Rejected(str(file.path), exc.reason))
            continue
        (missing if old is None else stale).append(doc_id)
    extra = sorted(set(known) - seen)
    return CheckReport(
        documents=len(known),
        passages=stored_passages,
        missing=tuple(missing),
        stale=tuple(stale),
        extra=tuple(extra),
        rejected=tuple(rejected),
        problems=tuple(problems),
        verified=verification.manifest,
        corpus=str(root),
    )
