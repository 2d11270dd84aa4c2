"""``watch run``: per watch, the passages of documents that entered the index or changed since
the watch last ran, and moving its starting point once its report is out.

Each watch is reported from one generation: the documents it holds that are newer than the
watch's starting point (kvsearch.index.history), searched with the watch's query and filters
restricted to them. The new starting point is that generation's own stamp, so a build that
publishes during the run is reported next time, wherever the run was. The point moves only
after the feed file was renamed into place and ``deliver`` (the command's printing, flushed)
returned: output that fails leaves it, and the next run reports the same passages again.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from ..config import default_index_dir, default_watches_file
from ..errors import ParameterError, QueryError, WatchError
from ..index import history
from ..query.plan import DEFAULT_PER_DOCUMENT
from ..query.reader import Index
from .feed import feed_path, write_feed
from .report import WatchHit, WatchReport
from .state import Point, State, locked
from .watches import Watch, WatchesFile

# At most this many passages per watch and run: a first run with an early --since on a large
# archive must stay readable (the counts still say how many there are).
MAX_HITS = 1000
# How often a report is made again when a build published a new generation while it was made.
ATTEMPTS = 3


def run_watches(
    names: Iterable[str] = (),
    *,
    watches_file: str | os.PathLike[str] | None = None,
    index_dir: str | os.PathLike[str] | None = None,
    since: str | None = None,
    feed_dir: str | os.PathLike[str] | None = None,
    deliver: Callable[[WatchReport], None] | None = None,
) -> tuple[WatchReport, ...]:
    """Run the watches (all, or those ``names``); see :func:`kvsearch.watch_run`."""
    path = Path(watches_file) if watches_file is not None else default_watches_file()
    target = Path(index_dir) if index_dir is not None else default_index_dir()
    watches = WatchesFile(path)
    if not watches.exists:
        raise WatchError(f"no watches file {path} (add a watch with 'kvsearch watch add NAME QUERY…')")
    selected = [watches.get(n) or _unknown(n, path) for n in dict.fromkeys(names)] or list(watches.watches)
    after = since_stamp(since) if since is not None else None
    reports = []
    with locked(path):
        state = State(path)
        with Index(target) as ix:
            for watch in selected:
                report, point = _report(ix, watch, state.points.get(watch.name), after)
                if feed_dir is not None and report.error is None and (report.hits or report.started):
                    report = _with_feed(report, Path(feed_dir))
                if deliver is not None:
                    deliver(report)
                if point is not None:
                    try:
                        state.set(watch.name, point)
                    except OSError as exc:
                        raise WatchError(f"cannot save where watch {watch.name!r} got to in {state.path}:"
                                         f" {(exc.strerror or str(exc)).lower()}") from None
                reports.append(report)
    return tuple(reports)


def _unknown(name: str, path: Path) -> Watch:
    raise WatchError(f"no watch named {name!r} in {path} (see 'kvsearch watch list')")


def since_stamp(value: str) -> str:
    """``--since``: a date (local midnight) or an ISO date and time, as a history stamp."""
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise ParameterError("{since}: not a date: " + value.replace("{", "{{").replace("}", "}}")
                             + " (use 2026-12-01 or 2026-12-01T06:00)", "since") from None
    return history.to_stamp(moment)


def _report(ix: Index, watch: Watch, point: Point | None, since: str | None) -> tuple[WatchReport, Point | None]:
    """The watch's report and the starting point to move to once it is out (None: stay)."""
    try:
        watch.check()
    except QueryError as exc:
        return WatchReport(watch, error=f"watch {watch.name!r}: {exc}"), None
    for _ in range(ATTEMPTS):
        head = ix.arrivals(None)
        gen = ix.generation
        if head.stamp is None or head.history_id is None:
            raise WatchError(f"the index in {ix.index_dir} has no record of when documents entered it yet"
                             " (built by an older kvsearch): run 'kvsearch index' once")
        if since is not None:
            after = since
        elif point is not None and point.history_id == head.history_id:
            after = point.after
        else:
            # A first run, or the index was made anew (its history with it): nothing is new.
            note = () if point is None else ("the index was rebuilt from nothing; reporting from now on",)
            return WatchReport(watch, until=head.stamp, started=True, warnings=note), _point(head, head.stamp)
        arrivals = {a.doc_id: a for a in ix.arrivals(after).documents}
        result = None
        if arrivals:
            result = ix.search(watch.query, filters=watch.filters(frozenset(arrivals)), limit=MAX_HITS,
                               per_document=DEFAULT_PER_DOCUMENT, sort="relevance" if watch.query else "newest",
                               relax=False)
        if ix.generation == gen:
            break
    hits = tuple(
        WatchHit(h, arrivals[h.doc_id].change, arrivals[h.doc_id].updated, arrivals[h.doc_id].first_seen)
        for h in (result.hits if result else ())
    )
    changes = {h.hit.doc_id: h.change for h in hits}
    changed = sum(1 for c in changes.values() if c == "changed")
    report = WatchReport(watch, hits, new=len(changes) - changed, changed=changed,
                         passages=result.total if result else 0, after=after, until=head.stamp,
                         warnings=result.warnings if result else ())
    # Never back: an index restored from an older copy has older stamps than the point.
    return report, _point(head, max(head.stamp, point.after) if point and since is None else head.stamp)


def _point(head: history.Arrivals, after: str) -> Point:
    ran = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    return Point(history_id=head.history_id or "", after=after, ran=ran)


def _with_feed(report: WatchReport, directory: Path) -> WatchReport:
    path = feed_path(directory, report.watch)
    try:
        warnings = write_feed(path, report.watch, report.hits, report.until or history.to_stamp(dt.datetime.now()))
    except OSError as exc:
        raise WatchError(f"cannot write feed {path}: {(exc.strerror or str(exc)).lower()};"
                         f" watch {report.watch.name!r} will report the same again") from None
    if not warnings:
        return report
    return WatchReport(**{**report.__dict__, "warnings": report.warnings + tuple(warnings)})
