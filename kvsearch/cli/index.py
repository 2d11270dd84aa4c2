"""``kvsearch index`` and ``kvsearch check``: build or update the index, verify it."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import click

from .. import render
from .options import (
    EXIT_FOUND,
    EXIT_INTERRUPTED,
    EXIT_NONE,
    EXIT_REJECTED,
    _progress_bar,
    corpus_option,
    fail,
    given,
    index_option,
    no_index,
)


@click.command("index")
@corpus_option
@index_option
@click.option("--full", is_flag=True, help="Rebuild from scratch instead of updating.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success (for cron).")
def index_cmd(corpus_dir: Path, index_dir: Path, full: bool, quiet: bool) -> None:
    """Build or update the index from the corpus.

    Incremental: only files added, changed or removed since the last build are redone. The
    new index replaces the old one atomically when complete; a killed build leaves the old one
    searchable. A damaged current index (a file missing, truncated or altered) is said in one
    line on stderr, even with --quiet, and rebuilt fully from the corpus. Exit status 0 when all
    files were indexed, 3 when some were rejected (listed on stderr; their last good version
    stays searchable), 75 when another build is running, 2 on error (also when a build process
    dies: the previous index stays), 130 when interrupted (Ctrl-C; the previous index stays).

    An update that would remove every indexed document (an empty or unmounted corpus directory),
    or more than half of them from another directory than the index was built from, is refused
    with status 2 and the index unchanged; --full rebuilds from the directory given anyway.

    A full build uses one process per core (at most 4; env KVSEARCH_PROCS sets
    the number).

    Example: kvsearch index --corpus ../shared/corpus
    """
    from ..index.build import build_index

    progress, finish = (None, lambda: None) if quiet else _progress_bar("indexing")
    try:
        try:
            report = build_index(corpus_dir, index_dir, full=full, progress=progress)
        finally:
            finish()
    except KeyboardInterrupt:
        # A build is published in one rename at its very end (kvsearch.generations).
        fail("interrupted; the previous index is unchanged", EXIT_INTERRUPTED)
    if report.repaired:
        click.echo(f"kvsearch: {render.safe(report.repaired)}; rebuilt it fully from the corpus", err=True)
    for rejected in report.rejected:
        click.echo(f"kvsearch: rejected {render.safe(rejected.path)}: {render.safe(rejected.reason)}", err=True)
    if not quiet:
        click.echo(render.render_report(report), err=True)
    sys.exit(EXIT_REJECTED if report.rejected else EXIT_FOUND)


# How long a search without an index waits for another process that is building it.
BUILD_WAIT_SECONDS = 60


def build_first(corpus_dir: Path, index_dir: Path) -> None:
    """For a search without an index: build it from the corpus, saying so on stderr, or wait
    for the build another process is running (up to BUILD_WAIT_SECONDS, then status 75)."""
    from ..index.build import build_missing_index

    def waiting(holder: str) -> None:
        click.echo(f"kvsearch: no index in {index_dir} yet; waiting for the build running on it (pid {holder}),"
                   f" up to {BUILD_WAIT_SECONDS} s", err=True)

    def building() -> None:
        click.echo(f"kvsearch: no index in {index_dir} yet; building it from {corpus_dir} first", err=True)

    report = build_missing_index(corpus_dir, index_dir, wait=BUILD_WAIT_SECONDS, on_wait=waiting, on_build=building)
    if report is None:
        return
    for rejected in report.rejected:
        click.echo(f"kvsearch: rejected {render.safe(rejected.path)}: {render.safe(rejected.reason)}", err=True)
    click.echo(f"kvsearch: {render.render_report(report)}", err=True)


@click.command("check")
@corpus_option
@index_option
@click.option("--json", "as_json", is_flag=True, help="The findings as one JSON object.")
def check_cmd(corpus_dir: Path, index_dir: Path, as_json: bool) -> None:
    """Verify the index: its files are intact, it opens, has the current version and matches
    the corpus.

    Every index file is read and compared with the size and checksum it was written with; a
    damaged one is named (and nothing else said). Lists corpus files missing from the index,
    indexed from an older version of the file (stale), or indexed but gone from the corpus
    (extra); corpus files that 'kvsearch index' rejects (empty, binary, not UTF-8, unreadable)
    are listed as rejected, with the reason, and are no mismatch. Without --corpus (or
    KVSEARCH_CORPUS), the corpus is the one the index was built from. Exit status 0 when all is
    well, 1 when not, 2 when there is no index at all.

    Example: kvsearch check --corpus ../shared/corpus
    """
    from ..index.check import check_index

    if no_index(index_dir):
        fail(f"no index in {index_dir} (run 'kvsearch index')")
    report = check_index(corpus_dir if given("corpus_dir") else None, index_dir)
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(report) | {"ok": report.ok}, ensure_ascii=False))
    else:
        for problem in report.problems:
            click.echo(f"problem: {render.safe(problem)}")
        if report.documents is None:
            # The index could not be read: the problem is all there is to say, no counts.
            sys.exit(EXIT_NONE)
        click.echo(f"corpus: {render.safe(report.corpus or '')}")
        for rejected in report.rejected:
            click.echo(f"rejected: {render.safe(rejected.path)}: {render.safe(rejected.reason)}")
        for label, ids in (("missing", report.missing), ("stale", report.stale), ("extra", report.extra)):
            for doc_id in ids:
                click.echo(f"{label}: {render.safe(doc_id)}")
        verdict = "ok" if report.ok else "NOT ok"
        rejected_count = f", {len(report.rejected)} rejected" if report.rejected else ""
        unverified = ""
        if report.ok and not report.verified:
            unverified = "; files not verified (no checksums: written by an older kvsearch)"
        click.echo(
            f"{verdict}: {render.counted(report.documents, 'document')}, {render.counted(report.passages, 'passage')};"
            f" {len(report.missing)} missing,"
            f" {len(report.stale)} stale, {len(report.extra)} extra{rejected_count}{unverified}"
        )
    sys.exit(EXIT_FOUND if report.ok else EXIT_NONE)
