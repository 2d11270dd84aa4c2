"""``kvsearch fetch``: one call of :func:`kvsearch.fetch.fetch`, its report on stderr."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import render
from ..config import DEFAULT_SOURCE
from ..fetch import DEFAULT_PAUSE
from ..models import FetchReport
from .options import (
    EXIT_FOUND,
    EXIT_INTERRUPTED,
    EXIT_REJECTED,
    _progress_bar,
    corpus_option,
    fail,
)


@click.command("fetch")
@corpus_option
@click.option("--since", metavar="DATE", help="Publications modified on or after DATE (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="... and on or before DATE (default: today).")
@click.option(
    "--source",
    envvar="KVSEARCH_SOURCE",
    default=DEFAULT_SOURCE,
    show_default=True,
    help="The SRU service to ask (env KVSEARCH_SOURCE).",
)
@click.option(
    "--pause",
    type=click.FloatRange(0),
    default=DEFAULT_PAUSE,
    show_default=True,
    metavar="SECONDS",
    help="Wait between requests (0 for a local server).",
)
@click.option("--record", type=click.Path(file_okay=False, path_type=Path), help="Save every raw response here.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing unless something failed (for cron).")
def fetch_cmd(
    corpus_dir: Path, since: str | None, until: str | None, source: str, pause: float, record: Path | None, quiet: bool
) -> None:
    """Fetch the answers to parliamentary questions from the official source into the corpus.

    Asks KOOP's SRU service for the "Kamervragen (Aanhangsel)" publications modified since the
    last completed fetch (a first fetch without --since takes the last 365 days and says so;
    --since 1995-01-01 is the whole archive), and writes one file per answer set, with its
    questions, under CORPUS/aanhangsel/<vergaderjaar>/<identifier>.txt. Publications without an
    answer (questions only, a postponement notice) are skipped. Files it did not write are never
    touched; a file whose content would not change is not rewritten.

    Exit status 0 when all went well, 3 when some publications failed (one line each on stderr;
    they are fetched again next run), 2 when the source cannot be reached or answers with an
    error (the corpus is untouched) or on bad usage, 75 when another fetch runs on the corpus,
    130 when interrupted (what was written is kept; the next run goes on from there).

    Example: kvsearch fetch --corpus corpus --since 2025-01-01
    """
    from ..fetch import fetch

    progress, finish = (None, lambda: None) if quiet else _progress_bar("fetching")
    try:
        try:
            report = fetch(
                corpus_dir,
                since=since,
                until=until,
                source=source,
                pause=pause,
                record=record,
                quiet=quiet,
                progress=progress,
            )
        finally:
            finish()
    except KeyboardInterrupt:
        # Every file is written whole or not at all, and each one is journalled at once.
        fail("interrupted; what was written is kept and the next fetch goes on from there", EXIT_INTERRUPTED)
    for failure in report.failed:
        click.echo(f"kvsearch: failed {render.safe(failure.identifier)}: {render.safe(failure.reason)}", err=True)
    if not quiet:
        for path in report.kept:
            click.echo(f"kvsearch: left {render.safe(path)} alone: fetch did not write it", err=True)
        click.echo(f"kvsearch: {summary(report)}", err=True)
    sys.exit(EXIT_REJECTED if report.failed else EXIT_FOUND)


def summary(report: FetchReport) -> str:
    """One line: what the run asked for and what it did."""
    until = report.until or "today"
    parts = [
        f"{len(report.written)} written",
        f"{len(report.replaced)} replaced by a newer version",
        f"{report.unchanged} unchanged",
        f"{len(report.skipped)} skipped (no answer)",
    ]
    if report.kept:
        parts.append(f"{len(report.kept)} left alone")
    parts.append(f"{len(report.failed)} failed")
    return (
        f"{render.counted(report.listed, 'publication')} modified {report.since}..{until}: "
        + ", ".join(parts)
        + f" ({report.seconds:.1f} s)"
    )
