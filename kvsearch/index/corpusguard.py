"""Refusing an update that would empty the index because it reads the wrong corpus.

An unmounted mount point is an existing, empty directory, and a cron job started in another
working directory finds another ./corpus: an update from either removes every document, or
most of them, and succeeds. A wrong directory is far likelier than a corpus that really lost
all its files overnight, so such an update is refused; ``--full`` (a deliberate rebuild from
the directory given) is the way to do it anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..corpus import CorpusFile
from ..errors import KvsearchError, UpdateRefusedError
from . import generations
from .store import DocumentStore


def refuse_mass_removal(target: Path, root: Path, files: Sequence[CorpusFile]) -> None:
    """Raise UpdateRefusedError when updating the index in ``target`` from ``files`` (scanned
    under ``root``) would remove every indexed document, or, when ``root`` is not the directory
    the index was built from, more than half of them. Does nothing without a readable index.
    """
    try:
        gen = generations.current_generation(target)
        info = generations.read_info(gen)
    except KvsearchError:
        return  # nothing to lose, or a broken index the update rebuilds anyway
    indexed = _indexed_ids(gen)
    if indexed is None:
        # The store is unreadable (a damaged index is rebuilt fully): only an empty corpus is
        # known to remove everything.
        count = int(info.get("documents") or 0)
        removed = 0 if files else count
    else:
        count = len(indexed)
        removed = len(indexed - {f.doc_id for f in files})
    if not count or not removed:
        return
    here = str(root.resolve())
    hint = f"the index is unchanged (pass --full to rebuild it from {here})"
    recorded = info.get("corpus")
    if recorded and recorded != here and removed * 2 > count:
        raise UpdateRefusedError(
            f"refusing to update: the index in {target} was built from {recorded}, not {here}, and this"
            f" would remove {removed} of its {count} documents; {hint}"
        )
    if removed == count:
        raise UpdateRefusedError(
            f"refusing to update: {here} holds none of the {count} documents in the index in {target}"
            f" (an empty or unmounted directory?); {hint}"
        )


def _indexed_ids(gen: Path) -> set[str] | None:
    try:
        store = DocumentStore(gen, readonly=True)
        try:
            return set(store.fingerprints())
        finally:
            store.close()
    except Exception:  # any damage SQLite reports: the update finds and repairs it
        return None
