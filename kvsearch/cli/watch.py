"""``kvsearch watch``: saved searches that report what is new after each nightly run (alerts).

Exit status of ``watch run``: 0 new or changed passages were reported, 1 nothing new, 2 error
(also when some watch could not run, or its report could not be written: its starting point then
stays), 75 another ``watch run`` is running.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .. import render, watch
from ..watch import WatchReport
from .options import (
    EXIT_ERROR,
    EXIT_FOUND,
    EXIT_NONE,
    KvsearchGroup,
    QueryCommand,
    _discard_stdout,
    color_option,
    fail,
    filter_options,
    full_text_option,
    index_option,
    terminal_width,
    use_color,
)

watches_option = click.option(
    "--watches",
    "watches_file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="KVSEARCH_WATCHES",
    default=None,
    help="Watches file (env KVSEARCH_WATCHES; default $XDG_CONFIG_HOME/kvsearch/watches.toml,"
    " i.e. ~/.config/kvsearch/watches.toml).",
)


@click.group("watch", cls=KvsearchGroup)
def watch_group() -> None:
    """Saved searches that report new and changed answers (alerts), e.g. nightly from cron.

    \b
    kvsearch watch add stikstof stikstof boeren --ministry landbouw
    kvsearch watch add vws --ministry volksgezondheid      filters alone
    kvsearch watch list
    kvsearch watch run --feed /var/www/feeds               after 'kvsearch index'
    kvsearch watch remove stikstof

    The watches are kept in a TOML file you may edit by hand (--watches); where each watch got
    to is kept beside it (NAME.state.json), and a lock (NAME.lock).
    """


@watch_group.command("add", cls=QueryCommand)
@click.argument("name")
@click.argument("words", nargs=-1, metavar="[QUERY]...")
@filter_options
@watches_option
def add_cmd(name: str, words: tuple[str, ...], watches_file: Path | None, **filters: Any) -> None:
    """Save a search as watch NAME: QUERY words (as 'kvsearch search' reads them) and/or filters.

    A query or filter that cannot be used is refused now (status 2), not at night. The watch's
    first run reports nothing and sets its starting point (see 'watch run --since').

    Example: kvsearch watch add gezicht gezichtsherkenning --ministry "justitie en veiligheid"
    """
    added = watch.watch_add(name, " ".join(words), watches=watches_file, **filters)
    click.echo(f"kvsearch: added watch {render.safe(added.name)}: {render.safe(added.describe())}", err=True)


@watch_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one object per watch.")
@watches_option
def list_cmd(as_json: bool, watches_file: Path | None) -> None:
    """List the watches. Exit status 0, or 1 when there are none."""
    found = watch.watch_list(watches=watches_file)
    for item in found:
        if as_json:
            click.echo(json.dumps(item.to_json(), ensure_ascii=False))
        else:
            click.echo(render.safe(f"{item.name}\t{item.describe()}"))
    if not found:
        click.echo("kvsearch: no watches (add one with 'kvsearch watch add NAME QUERY…')", err=True)
    sys.exit(EXIT_FOUND if found else EXIT_NONE)


@watch_group.command("remove")
@click.argument("name")
@watches_option
def remove_cmd(name: str, watches_file: Path | None) -> None:
    """Remove watch NAME (and where it got to). Its feed file, if any, is left."""
    watch.watch_remove(name, watches=watches_file)
    click.echo(f"kvsearch: removed watch {render.safe(name)}", err=True)


@watch_group.command("run")
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.option("--json", "as_json", is_flag=True,
              help="JSON Lines: the hit objects of 'search --json' plus \"watch\" and \"change\" (new|changed).")
@click.option("--feed", "feed_dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help=f"Also add each watch's passages to the Atom feed DIR/NAME.atom (keeps {watch.MAX_ENTRIES}).")
@click.option("--since", metavar="DATE", help="Report what entered the index or changed since this date (2026-12-01; local"
              " time), also on a watch's first run.")
@full_text_option
@color_option
@index_option
@watches_option
def run_cmd(names: tuple[str, ...], as_json: bool, feed_dir: Path | None, since: str | None, full_text: bool,
            color: str, index_dir: Path, watches_file: Path | None) -> None:
    """Report, per watch (all, or NAMEs), the passages of answers that entered the index, or
    whose text changed, since that watch last ran; ranked within each watch, under a heading
    with its counts.

    A watch's first run reports nothing and sets its starting point (unless --since). A watch
    moves on only when its report was written completely: output that fails (a full disk, a
    closed pipe, an unwritable --feed) leaves it, and the next run reports the same again.
    Exit status 0 when something was reported, 1 when nothing was new, 2 on error, 75 when
    another 'watch run' is running.

    Nightly: kvsearch index --quiet && kvsearch watch run --feed /var/www/feeds
    """
    colored = use_color(color) and not as_json
    width = terminal_width()
    errors = 0

    def deliver(report: WatchReport) -> None:
        nonlocal errors
        name = render.safe(report.watch.name)
        if report.error:
            errors += 1
            click.echo(f"kvsearch: error: {render.safe(report.error)}", err=True)
            return
        for warning in report.warnings:
            click.echo(f"kvsearch: warning: watch {name}: {render.safe(warning)}", err=True)
        if report.started:
            click.echo(f"kvsearch: watch {name}: starting point set; new and changed answers are reported"
                       " from now on", err=True)
        if not report.hits:
            return
        if as_json:
            for item in report.hits:
                click.echo(json.dumps(item.to_json(report.watch.name), ensure_ascii=False))
        else:
            click.echo(_heading(report))
            for item in report.hits:
                click.echo()
                click.echo(render.render_hit(item.hit, color=colored, width=width, full=full_text, label=item.change),
                           color=colored)
            click.echo()
        sys.stdout.flush()  # the report is out before the watch moves on (a failure raises here)

    try:
        reports = watch.watch_run(names, watches=watches_file, index_dir=index_dir, since=since,
                                  feed_dir=feed_dir, deliver=deliver)
    except BrokenPipeError:

        _discard_stdout()
        fail("cannot write output: the reader went away; the watch being reported will report the same again")
    if errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FOUND if any(r.hits for r in reports) else EXIT_NONE)


def _heading(report: WatchReport) -> str:
    parts = []
    if report.new:
        parts.append(f"{report.new} new")
    if report.changed:
        parts.append(f"{report.changed} changed")
    shown = len(report.hits)
    more = f", showing {shown}" if shown < report.passages else ""
    return render.safe(f"== {report.watch.name}: {render.counted(report.documents, 'answer')}"
                       f" ({', '.join(parts)}), {render.counted(report.passages, 'passage')}{more} ==")
