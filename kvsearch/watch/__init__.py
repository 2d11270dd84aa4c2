"""Alerts: saved searches ("watches") that report what entered the index, or changed, since
each last ran; from cron, with no server.

A way in, beside :mod:`kvsearch.api` and the CLI: may import the query and index stages and
models; the CLI imports it. The watches live in a TOML file people edit
(:mod:`.watches`), where each got to beside it (:mod:`.state`), reports go to the caller and to
Atom feeds (:mod:`.feed`); what "new" means is kept by the index (kvsearch.index.history).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..config import default_watches_file
from ..errors import WatchError
from .feed import MAX_ENTRIES
from .report import WatchHit, WatchReport
from .run import MAX_HITS, run_watches
from .state import State, locked
from .watches import Watch, WatchesFile, new_watch

# How long add and remove wait for a running ``watch run`` to finish.
EDIT_WAIT_SECONDS = 30.0

PathLike = str | os.PathLike[str] | None


def _file(watches: PathLike) -> Path:
    return Path(watches) if watches is not None else default_watches_file()


def watch_add(name: str, query: str = "", *, watches: PathLike = None, **filters: Any) -> Watch:
    """Save a search under ``name``: query words (the syntax of :func:`kvsearch.search`, may be
    empty) and filters (``minister``, ``ministry``, ``submitter``, ``party``, ``subject``,
    ``since``, ``until``, ``late``). Its first :func:`watch_run` reports nothing and sets its
    starting point.

    ``watches`` is the watches file (default $KVSEARCH_WATCHES, else
    $XDG_CONFIG_HOME/kvsearch/watches.toml); it is created when missing, and comments in it
    are kept.

    Raises:
        QueryError (ParameterError for a filter): the query or a filter cannot be used.
        WatchError: a bad or taken name, or a damaged watches file (left as it is).
    """
    path = _file(watches)
    watch = new_watch(name, query, **filters)
    with locked(path, wait=EDIT_WAIT_SECONDS):
        file = WatchesFile(path)
        if file.get(name) is not None:
            raise WatchError(f"a watch named {name!r} exists in {path} (remove it first)")
        file.add(watch)
        _save(file)
        State(path).drop(name)  # a watch once removed by hand starts afresh
    return watch


def watch_list(*, watches: PathLike = None) -> tuple[Watch, ...]:
    """The saved watches, in the order of the file (none when there is no file yet).

    Raises WatchError for a damaged watches file.
    """
    return WatchesFile(_file(watches)).watches


def watch_remove(name: str, *, watches: PathLike = None) -> Watch:
    """Remove the watch ``name`` and its starting point; returns it.

    Raises WatchError when there is no such watch or the watches file is damaged.
    """
    path = _file(watches)
    with locked(path, wait=EDIT_WAIT_SECONDS):
        file = WatchesFile(path)
        watch = file.get(name)
        if watch is None:
            raise WatchError(f"no watch named {name!r} in {path} (see 'kvsearch watch list')")
        file.remove(name)
        _save(file)
        State(path).drop(name)
    return watch


def watch_run(
    names: Iterable[str] = (),
    *,
    watches: PathLike = None,
    index_dir: PathLike = None,
    since: str | None = None,
    feed_dir: PathLike = None,
    deliver: Callable[[WatchReport], None] | None = None,
) -> tuple[WatchReport, ...]:
    """Report, per watch (all, or those ``names``), the passages of documents that entered the
    index or whose text changed since that watch last ran, ranked within the watch.

    A watch's first run reports nothing and sets its starting point, unless ``since`` (a date,
    "2026-12-01", or an ISO date and time; local time) asks for what entered or changed since
    then. With ``feed_dir``, each watch's report is also added to the Atom feed
    ``feed_dir/NAME.atom`` (which keeps the latest MAX_ENTRIES entries). ``deliver`` is called
    with each watch's report (to print or mail it); a watch's starting point moves only after
    its feed was written and ``deliver`` returned, so an exception from either leaves it where
    it was (the exception is raised; the watches before it keep their new points).

    Raises:
        WatchLockedError: another ``watch run`` on the same watches file is running.
        WatchError: no watches file, a damaged one, an unknown name, or a feed that cannot be
            written. IndexNotFoundError and the other index errors as :func:`kvsearch.search`.
    """
    return run_watches(names, watches_file=watches, index_dir=index_dir, since=since, feed_dir=feed_dir,
                       deliver=deliver)


def _save(file: WatchesFile) -> None:
    try:
        file.save()
    except OSError as exc:
        raise WatchError(f"cannot write {file.path}: {(exc.strerror or str(exc)).lower()}") from None


__all__ = [
    "MAX_ENTRIES",
    "MAX_HITS",
    "Watch",
    "WatchHit",
    "WatchReport",
    "watch_add",
    "watch_list",
    "watch_remove",
    "watch_run",
]
