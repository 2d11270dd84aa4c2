"""The library's entry points: one function per thing a user (or a CLI command) does."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

from .config import default_index_dir
from .errors import ParameterError
from .models import CheckReport, Document, IndexReport, SearchResult
from .query.filters import DateValue, Filters, TextValue
from .query.plan import DEFAULT_LIMIT, DEFAULT_PER_DOCUMENT
from .query.reader import Index
from .query.stats import GROUPINGS, Stats
from .query.stats import compute as compute_stats

_open: dict[Path, Index] = {}
_open_lock = threading.Lock()


def open_index(index_dir: str | os.PathLike[str] | None = None) -> Index:
    """Open an index for many queries; close it (or use ``with``) when done.

    Raises IndexNotFoundError, IndexCorruptError or IndexVersionError.
    """
    return Index(index_dir)


def build_index(
    corpus_dir: str | os.PathLike[str] | None = None,
    index_dir: str | os.PathLike[str] | None = None,
    *,
    full: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> IndexReport:
    """Build or update the index; see :func:`kvsearch.indexer.build_index`."""
    from .index.build import build_index as build

    return build(corpus_dir, index_dir, full=full, progress=progress)


def check_index(
    corpus_dir: str | os.PathLike[str] | None = None, index_dir: str | os.PathLike[str] | None = None
) -> CheckReport:
    """Verify the index against the corpus; see :func:`kvsearch.indexer.check_index`."""
    from .index.check import check_index as check

    return check(corpus_dir, index_dir)


def _shared_index(index_dir: str | os.PathLike[str] | None) -> Index:
    # Reusing an open index saves the open on every call; refresh() picks up a nightly rebuild.
    key = (Path(index_dir) if index_dir is not None else default_index_dir()).resolve()
    with _open_lock:
        ix = _open.get(key)
        if ix is None:
            ix = _open[key] = Index(key)
        else:
            ix.refresh()
        return ix


def search(
    query: str | None,
    *,
    index_dir: str | os.PathLike[str] | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    per_document: int | None = DEFAULT_PER_DOCUMENT,
    minister: TextValue = None,
    ministry: TextValue = None,
    submitter: TextValue = None,
    party: TextValue = None,
    subject: TextValue = None,
    id: TextValue = None,
    since: DateValue = None,
    until: DateValue = None,
    late: bool = False,
    mode: str = "auto",
    sort: str = "relevance",
    facets: bool = False,
) -> SearchResult:
    """Search the index for ``query`` and return ranked passages.

    Args:
        query: words, "phrases", OR, NOT/-word, prefix*, fuzzy~, field:value clauses; a pasted
            question (long, or ending in '?') is searched as text. Words also count where they
            are in the question a passage answers (each hit's ``question``, None where its file
            quotes none). A word also finds the answers of a minister or member of parliament
            of that name. None or "" with a filter: every passage the filters let through,
            newest answer first (sort "relevance" means "newest" there).
        index_dir: the index location (default $KVSEARCH_INDEX or ./index).
        limit, offset: the page of hits to return.
        per_document: at most this many passages of one answer file (None: no limit); each
            hit's ``more`` counts the ones left out.
        minister, ministry, submitter, party, subject, id: metadata filters; a list means
            any of its values (``minister=["blok", "kaag"]``). A ministry may be an acronym or
            short name ("VWS", "J&V", "Fin"); a full name also finds a minister recorded by
            surname only. A filter no answer passes is named in ``warnings`` with the closest
            values the index has.
        since, until: answer date bounds: "2021", "2021-03", "2021-03-05" or a datetime.date.
        late: only answers that took longer than three weeks.
        mode: "auto", "syntax" (operators) or "text" (bag of words).
        sort: "relevance", "newest" or "oldest" (by answer date, undated answers last);
            a hit's ``score`` is its relevance either way.
        facets: also count matching documents per minister, ministry, party and year.

    Returns:
        SearchResult with ``total`` matching passages, ``total_documents``, ``hits``,
        ``suggestion`` ("did you mean") when little was found, and ``facets`` if asked.

    Raises:
        QueryError: the query cannot be read; its subclass ParameterError names the parameter
            whose value cannot be used (``sort``, ``since``, ``limit`` …) in ``parameters``.
        IndexNotFoundError, IndexCorruptError, IndexVersionError: no usable index.
    """
    filters = Filters(minister, ministry, submitter, party, subject, id, since, until, late)
    return _shared_index(index_dir).search(
        query,
        limit=limit,
        offset=offset,
        per_document=per_document,
        filters=filters,
        mode=mode,
        sort=sort,
        facets=facets,
    )


def similar(
    doc_id: str | None = None,
    *,
    text: str | None = None,
    index_dir: str | os.PathLike[str] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> SearchResult:
    """The documents most like an indexed one (by doc id or official id) or a pasted text,
    each with its best passage: "has this been asked before?". The questions the answers
    quote are compared too.

    Raises DocumentNotFoundError for an unknown id, KvsearchError for an empty text.
    """
    return _shared_index(index_dir).similar(doc_id, text=text, limit=limit)


def stats(
    query: str | None = None,
    *,
    by: str | None = None,
    index_dir: str | os.PathLike[str] | None = None,
    minister: TextValue = None,
    ministry: TextValue = None,
    submitter: TextValue = None,
    party: TextValue = None,
    subject: TextValue = None,
    since: DateValue = None,
    until: DateValue = None,
    late: bool = False,
) -> Stats:
    """Answer-time statistics of the documents matching ``query`` and filters (all if None),
    grouped ``by`` "minister", "ministry", "party" or "year".
    """
    if by is not None and by not in GROUPINGS:
        raise ParameterError(f"cannot group {{by}} {ParameterError.literal(repr(by))} (use {', '.join(GROUPINGS)})", "by")
    ix = _shared_index(index_dir)
    filters = Filters(minister, ministry, submitter, party, subject, None, since, until, late)
    metas, passages = ix.matching_documents(query, filters)
    return compute_stats(metas, passages=passages, built_at=ix.info.get("built_at"), by=by)


def get_document(key: str, *, index_dir: str | os.PathLike[str] | None = None) -> Document:
    """One whole indexed document by doc id or official id.

    Raises DocumentNotFoundError when no document has that id.
    """
    return _shared_index(index_dir).document(key)


__all__ = ["similar", "stats", "build_index", "check_index", "get_document", "open_index", "search"]
