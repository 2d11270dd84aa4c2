"""The open index that queries go through: :class:`Index`, following the nightly rebuild.

An Index holds one :class:`OpenGeneration` at a time and moves to the newest published one
when CURRENT changes. Each query method runs its stages (kvsearch.query.search) on the
generation it holds, one query at a time, and reports a read error of a damaged index as
IndexCorruptError naming the damaged file.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from ..config import default_index_dir
from ..errors import IndexCorruptError, KvsearchError
from ..index import generations, history
from ..models import Document, DocumentMeta, SearchResult
from . import search as stages
from .filters import Filters
from .generation import OpenGeneration
from .plan import DEFAULT_LIMIT, DEFAULT_PER_DOCUMENT
from .suggest import suggest

_Method = TypeVar("_Method", bound=Callable[..., Any])


def _reads_index(method: _Method) -> _Method:
    """Run a query method on the current generation, and report a read error of a damaged index
    as IndexCorruptError naming the damaged file, never as the decoder's exception.

    A long-running Index follows the nightly rebuild by itself: before each call it refreshes
    when CURRENT has changed, and a call that fails on a generation that is no longer current
    (a build published and deleted it meanwhile) is run once more on the new one. Calls made
    inside another (similar -> document) stay on the generation of the outer call.
    """

    @functools.wraps(method)
    def wrapper(self: Index, *args: Any, **kwargs: Any) -> Any:
        local = self._local
        if getattr(local, "busy", False):
            return method(self, *args, **kwargs)
        local.busy = True
        # One query at a time per Index: Whoosh's readers share file handles and seek them, so
        # concurrent queries read each other's blocks (wrong hits, false "index damaged").
        self._queries.acquire()
        try:
            self._follow_current()
            gen = self.generation
            try:
                return _diagnosed(method, self, args, kwargs)
            except KvsearchError as exc:
                if not isinstance(exc, IndexCorruptError) or not self._moved_from(gen):
                    raise
            except Exception:
                if not self._moved_from(gen):
                    raise
            self.refresh()
            return _diagnosed(method, self, args, kwargs)
        finally:
            self._queries.release()
            local.busy = False

    return cast(_Method, wrapper)


def _diagnosed(method: Callable[..., Any], self: Index, args: Any, kwargs: Any) -> Any:
    """``method(self, …)``, its read errors on a damaged index turned into IndexCorruptError."""
    try:
        return method(self, *args, **kwargs)
    except KvsearchError:
        raise
    except Exception as exc:
        # Another kind of exception is a bug unless the manifest shows damage: it must not
        # hide behind "run kvsearch index".
        message = self._gen.diagnose(exc)
        if message is None:
            raise
        raise IndexCorruptError(message) from exc


class Index:
    """An open index generation for many queries without reopening.

    Safe to share between threads: queries on one Index run one at a time (open one Index per
    thread for parallel queries). ``refresh()`` moves to the newest published generation; every
    query does so by itself when CURRENT has changed.
    """

    def __init__(self, index_dir: str | os.PathLike[str] | None = None) -> None:
        self.index_dir = Path(index_dir) if index_dir is not None else default_index_dir()
        self._lock = threading.Lock()
        self._queries = threading.RLock()  # see _reads_index; refresh() takes it too
        self._local = threading.local()  # per thread: inside a query method (see _reads_index)
        self._current_stamp: tuple[int, ...] | None = None
        self._open_current()

    @property
    def generation(self) -> Path:
        """The directory of the generation this Index reads."""
        return self._gen.path

    @property
    def info(self) -> dict[str, Any]:
        """What the build recorded of this generation (kvsearch.json)."""
        return self._gen.info

    def _stamp(self) -> tuple[int, ...] | None:
        """What identifies the CURRENT file as it is now; None when it cannot be read.

        A build replaces CURRENT with a new file (os.replace), so its inode and times change;
        a stat costs microseconds, unlike a read of the file.
        """
        try:
            st = os.stat(self.index_dir / generations.CURRENT)
        except OSError:
            return None
        return st.st_ino, st.st_mtime_ns, st.st_ctime_ns, st.st_size

    def _follow_current(self) -> None:
        """Refresh when CURRENT has changed since this generation was opened."""
        stamp = self._stamp()
        if stamp is not None and stamp != self._current_stamp:
            self.refresh()

    def _moved_from(self, gen: Path) -> bool:
        """Whether ``gen`` is no longer the generation to read: this Index has moved on, CURRENT
        names another, or its directory is gone."""
        if gen != self.generation or not gen.is_dir():
            return True
        try:
            return generations.current_generation(self.index_dir) != gen
        except KvsearchError:
            return True

    def _open_current(self) -> None:
        # A build may publish a newer generation and delete the one CURRENT named between our
        # reading CURRENT and opening it; reading CURRENT again then finds the new one.
        for attempt in range(3):
            # Stamped before reading: a CURRENT replaced in between only causes one more refresh.
            self._current_stamp = self._stamp()
            gen = generations.current_generation(self.index_dir)
            try:
                self._gen = OpenGeneration(self.index_dir, gen)
                return
            except IndexCorruptError:
                if attempt == 2 or gen.exists():
                    raise

    def refresh(self) -> bool:
        """Switch to the newest published generation; True when it changed.

        Queries do this by themselves when CURRENT has changed; calling it is never needed, but
        moves to a new generation before the next query rather than in it.
        """
        # Not while another thread's query reads the generation this would close.
        with self._queries, self._lock:
            # Under the lock: two threads that both saw a new CURRENT open it once.
            stamp = self._stamp()
            gen = generations.current_generation(self.index_dir)
            if gen == self.generation:
                self._current_stamp = stamp
                return False
            old = self._gen
            self._open_current()
            old.close()
        return True

    def close(self) -> None:
        """Release the index files."""
        self._gen.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- queries: each runs its stages (kvsearch.query.search) on the open generation --------

    @_reads_index
    def search(
        self,
        text: str | None,
        *,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
        per_document: int | None = DEFAULT_PER_DOCUMENT,
        filters: Filters | None = None,
        mode: str = "auto",
        sort: str = "relevance",
        facets: bool = False,
        relax: bool = True,
    ) -> SearchResult:
        """Rank the passages that match ``text``; see :func:`kvsearch.search`. Without ``relax``
        only passages with all the words are listed, however few."""
        return stages.search(self._gen, text, limit=limit, offset=offset, per_document=per_document,
                             filters=filters, mode=mode, sort=sort, facets=facets, relax=relax)

    @_reads_index
    def suggest(self, text: str) -> str | None:
        """"Bedoelde u": the query with unknown words replaced by the closest indexed word."""
        return suggest(self._gen, text)

    @_reads_index
    def similar(self, key: str | None = None, *, text: str | None = None, limit: int = DEFAULT_LIMIT) -> SearchResult:
        """Documents most like an indexed document (by id) or a pasted text, best passage each."""
        return stages.similar(self._gen, key, text=text, limit=limit)

    @_reads_index
    def matching_documents(self, text: str | None, filters: Filters | None = None) -> tuple[list[DocumentMeta], int]:
        """Metadata of every document with a passage matching ``text`` (all, if None) and
        filters, and the number of matching passages."""
        return stages.matching_documents(self._gen, text, filters)

    @_reads_index
    def document(self, key: str) -> Document:
        """One whole document by doc id or official id (``ah-tk-20202021-2310``, ``2020Z25656``)."""
        return stages.document(self._gen, key)

    @_reads_index
    def arrivals(self, after: str | None) -> history.Arrivals:
        """The documents of this generation that entered the index or whose text changed after
        the history stamp ``after`` (see kvsearch.index.history), with the generation's own
        stamp, for alerts. ``self.generation`` names the generation they are of."""
        return history.arrivals(self._gen.path, after)

    @_reads_index
    def counts(self) -> tuple[int, int]:
        """(documents, passages) in the index."""
        return self._gen.store.counts()
