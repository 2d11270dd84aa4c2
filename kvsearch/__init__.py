"""kvsearch: full-text search over the answers of Dutch ministers to parliamentary questions.

    >>> import kvsearch
    >>> kvsearch.build_index("corpus", "index")
    >>> result = kvsearch.search("gezichtsherkenning", index_dir="index")
    >>> result.total, result.hits[0].doc_id
"""

from __future__ import annotations

from .api import (
    build_index,
    check_index,
    get_document,
    open_index,
    search,
    similar,
    stats,
)
from .errors import (
    BuildError,
    CorpusError,
    DocumentError,
    DocumentNotFoundError,
    FetchLockedError,
    IndexCorruptError,
    IndexLockedError,
    IndexNotFoundError,
    IndexVersionError,
    KvsearchError,
    ParameterError,
    QueryError,
    SourceError,
    UpdateRefusedError,
    WatchError,
    WatchLockedError,
)
from .fetch import fetch as fetch_answers
from .models import (
    CheckReport,
    Document,
    DocumentMeta,
    FetchFailure,
    FetchReport,
    Hit,
    IndexReport,
    Minister,
    Question,
    Rejected,
    SearchResult,
    Submitter,
)
from .query.filters import Filters
from .query.reader import Index
from .watch import (
    Watch,
    WatchHit,
    WatchReport,
    watch_add,
    watch_list,
    watch_remove,
    watch_run,
)

__version__ = "0.1.0"

__all__ = [
    "BuildError",
    "CheckReport",
    "check_index",
    "CorpusError",
    "Document",
    "DocumentError",
    "DocumentMeta",
    "DocumentNotFoundError",
    "FetchFailure",
    "FetchLockedError",
    "FetchReport",
    "Filters",
    "Hit",
    "Index",
    "IndexCorruptError",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexReport",
    "IndexVersionError",
    "KvsearchError",
    "Minister",
    "ParameterError",
    "Question",
    "QueryError",
    "Rejected",
    "SourceError",
    "SearchResult",
    "Submitter",
    "UpdateRefusedError",
    "Watch",
    "WatchError",
    "WatchHit",
    "WatchLockedError",
    "WatchReport",
    "build_index",
    "fetch_answers",
    "get_document",
    "open_index",
    "search",
    "similar",
    "stats",
    "watch_add",
    "watch_list",
    "watch_remove",
    "watch_run",
]
