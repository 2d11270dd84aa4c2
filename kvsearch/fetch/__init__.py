"""Stage 0, fetch: the answers from the official source into the corpus directory.

``kvsearch fetch`` lists the "Kamervragen (Aanhangsel)" publications of KOOP's SRU service
(:mod:`.sru`) over a polite, retrying HTTP client (:mod:`.http`), converts each publication's
XML and metadata into a Document with its questions and footnotes (:mod:`.koopxml`), writes it
in the corpus format (:mod:`kvsearch.corpus.write`) and remembers what it did between runs
(:mod:`.state`); :mod:`.run` is the run itself, top to bottom. Imports kvsearch.corpus, models,
errors and config; nothing downstream of the corpus. Importing this package loads no HTTP
client or XML parser: ``import kvsearch`` stays as quick as before for searches.

The library exports :func:`fetch` as ``kvsearch.fetch_answers`` (``kvsearch.fetch`` stays this
package, so ``import kvsearch.fetch.sru`` works).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from ..models import FetchFailure, FetchReport

# Fetched files go under <corpus>/aanhangsel/<vergaderjaar>/<identifier>.txt.
LAYOUT_ROOT = "aanhangsel"
DEFAULT_PAUSE = 1.0  # seconds between requests: about one request a second, one at a time


def fetch(
    corpus_dir: str | Path,
    *,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    source: str | None = None,
    pause: float = DEFAULT_PAUSE,
    record: str | Path | None = None,
    quiet: bool = True,
    progress: Callable[[int, int], None] | None = None,
    today: dt.date | None = None,
) -> FetchReport:
    """Fetch the answers to parliamentary questions modified in a date range into ``corpus_dir``.

    Asks the SRU service ``source`` ($KVSEARCH_SOURCE, else KOOP's) for "Kamervragen
    (Aanhangsel)" publications modified from ``since`` (default: a few days before the end of
    the last completed fetch; on a first fetch the last 365 days) to ``until`` (default: now),
    downloads each one's metadata and XML from the URLs the record gives, and writes one
    ``<identifier>.txt`` per answer set under ``aanhangsel/<vergaderjaar>/``. Files fetch did not
    write are never touched; unchanged files are not rewritten. ``pause`` seconds pass between
    requests; ``record`` saves every raw response in that directory. Without ``quiet``, what it
    does is said on stderr; ``progress(done, total)`` is called after each publication.

    Raises SourceError (nothing written) when the source cannot be listed, FetchLockedError
    when another fetch runs on the directory, ParameterError for a bad date. Publications that
    fail are in the report's ``failed`` and are fetched again next run.
    """
    from .run import run  # httpx and the XML parser load only when fetching

    return run(
        corpus_dir, since=since, until=until, source=source, pause=pause, record=record,
        quiet=quiet, progress=progress, today=today,
    )  # fmt: skip


__all__ = ["DEFAULT_PAUSE", "FetchFailure", "FetchReport", "LAYOUT_ROOT", "fetch"]
