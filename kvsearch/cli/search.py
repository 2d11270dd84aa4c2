"""``kvsearch search``, ``similar``, ``stats`` and ``show``: the commands that read the index."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .. import render
from ..errors import IndexNotFoundError
from . import pager
from .index import build_first
from .options import (
    EXIT_FOUND,
    EXIT_NONE,
    QueryCommand,
    color_option,
    corpus_option,
    fail,
    filter_options,
    full_text_option,
    given,
    index_option,
    no_index,
    no_pager_option,
    read_stdin,
    terminal_width,
    use_color,
)


@click.command("search", cls=QueryCommand)
@click.argument("words", nargs=-1, metavar="[QUERY]...")
@click.option("-n", "--limit", type=click.IntRange(1, 10_000), default=10, show_default=True, help="Hits to show.")
@click.option("--offset", type=click.IntRange(0), default=0, help="Skip this many hits (paging).")
@click.option(
    "-m",
    "--max-per-doc",
    "per_document",
    type=click.IntRange(0),
    default=3,
    show_default=True,
    help="At most this many passages per document (0: no limit).",
)
@filter_options
@click.option(
    "--sort",
    type=click.Choice(["relevance", "newest", "oldest"]),
    default="relevance",
    show_default=True,
    help="Order of hits (dates are answer dates).",
)
@click.option("--facets", is_flag=True, help="Also count matching documents per minister, ministry, party, year.")
@full_text_option
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one object per hit, whole text (and a facets line with --facets).")
@color_option
@no_pager_option
@index_option
@corpus_option
def search_cmd(
    words: tuple[str, ...],
    limit: int,
    offset: int,
    per_document: int,
    sort: str,
    facets: bool,
    full_text: bool,
    as_json: bool,
    color: str,
    no_pager: bool,
    index_dir: Path,
    corpus_dir: Path,
    **filters: Any,
) -> None:
    """Search for QUERY and print the best passages.

    \b
    Query syntax:
      kinderopvang toeslag      passages with both words (stemmed, accents optional)
      "zwarte lijst"            this exact phrase
      huawei OR zte             either word
      china -huawei, NOT huawei  leave out passages with a word
      gezicht*  gezichtsherkening~   prefix, and spelling-tolerant matching
      minister:blok  ministerie:"buitenlandse zaken"  indiener:"van helvert"
      partij:cda  onderwerp:veiligheid  id:2020Z25656
      beantwoord:2021  ingediend:2020-12..2021-04   dates (English: answered:, submitted:)
    A pasted question (long, or ending in '?') is searched as text: passages rank by how
    much of it they answer. Words of the question an answer file quotes count as words of
    every passage of its answer (not for phrases, prefixes and fuzzy words); such a hit shows
    that question on the line above the passage. A word also finds the answers of a minister
    or member of that name (kvsearch search Veldkamp). Without QUERY, a filter lists its
    answers, newest first (kvsearch search --minister veldkamp). --ministry takes acronyms:
    VWS, BZK, J&V.

    QUERY '-' reads the query from standard input: kvsearch search - < vraag.txt

    A hit shows a few lines around its matched words; -F shows whole passages. Long output on a
    terminal goes through $PAGER (default less -FRX); --no-pager prints it straight.

    Without an index at the default location (./index), or when --corpus is given, one is
    built from the corpus first; an --index that does not exist is an error (a misspelt path
    must not build a second index). When another process is building the index, the search
    waits for that build (up to 60 s). Exit status 0 when something was found, 1 when nothing
    was, 2 on error, 75 when the other build was still running after 60 s.

    Example: kvsearch search gezichtsherkenning Oeigoeren
    """
    import importlib

    from .. import api

    # One query and gone: load numpy only where it pays for its import (see kvsearch.query.plan.ONE_SHOT).
    importlib.import_module("kvsearch.query.plan").ONE_SHOT = True

    if not words and not any(filters.values()):
        raise click.UsageError("Missing argument 'QUERY...' (or a filter such as --minister)")
    text = read_stdin() if words == ("-",) else " ".join(words)
    common = dict(
        index_dir=index_dir,
        limit=limit,
        offset=offset,
        per_document=per_document or None,
        sort=sort,
        facets=facets,
        **filters,
    )
    try:
        result = api.search(text, **common)  # type: ignore[arg-type]
    except IndexNotFoundError:
        if not no_index(index_dir):
            raise
        if given("index_dir") and not given("corpus_dir"):
            # Likely a misspelt --index: building there from ./corpus would search the wrong index.
            fail(f"no index at {index_dir}; build one with 'kvsearch index --index {index_dir}'")
        if not Path(corpus_dir).is_dir():
            fail(f"no index in {index_dir}, and no corpus directory {corpus_dir} to build one from"
                 " (see --index and --corpus)")
        build_first(corpus_dir, index_dir)
        result = api.search(text, **common)  # type: ignore[arg-type]
    for warning in result.warnings:
        click.echo(f"kvsearch: warning: {render.safe(warning)}", err=True)
    if result.suggestion:
        click.echo(f"Bedoelde u: {render.safe(result.suggestion)}", err=True)
    if as_json:
        for hit in result.hits:
            click.echo(render.hit_json(hit))
        if facets:
            click.echo(render.facets_json(result))
    else:
        colored = use_color(color)  # asked of the terminal, before a pager takes its place
        with pager.paged(pager.wanted(no_pager, as_json) and bool(result.hits)):
            print_hits(result.hits, color=colored, full=full_text)
            if facets:
                click.echo()
                click.echo(render.render_facets(result.facets))
    # The totals, also with --json: on stderr, so stdout stays JSON Lines.
    click.echo(render.render_summary(result, per_document), err=True)
    sys.exit(EXIT_FOUND if result.hits else EXIT_NONE)


def print_hits(hits: tuple[Any, ...], *, color: bool, full: bool) -> None:
    """Hits as text, a blank line between two, each fitted to the terminal's width."""
    width = terminal_width()
    for n, hit in enumerate(hits):
        if n:
            click.echo()
        click.echo(render.render_hit(hit, color=color, width=width, full=full), color=color)


@click.command("similar")
@click.argument("doc_id", required=False)
@click.option("--text", help="A pasted question or text instead of a document id ('-': read it from standard input).")
@click.option("-n", "--limit", type=click.IntRange(1, 1000), default=10, show_default=True, help="Documents to show.")
@full_text_option
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one object per document (its best passage, whole).")
@color_option
@no_pager_option
@index_option
def similar_cmd(
    doc_id: str | None,
    text: str | None,
    limit: int,
    full_text: bool,
    as_json: bool,
    color: str,
    no_pager: bool,
    index_dir: Path,
) -> None:
    """List the documents most like DOC_ID, or like a pasted --text ("has this been asked before?").

    Each line shows the best matching passage of a similar document; the questions that
    answers quote are compared too.

    Example: kvsearch similar ah-tk-20202021-2310
    """
    from .. import api

    if doc_id is None and text is None:
        raise click.UsageError("give a DOC_ID or --text")
    if doc_id is not None and text is not None:
        raise click.UsageError("give a DOC_ID or --text, not both")
    if text == "-":
        text = read_stdin()
    result = api.similar(doc_id, text=text, index_dir=index_dir, limit=limit)
    if as_json:
        for hit in result.hits:
            click.echo(render.hit_json(hit))
    else:
        colored = use_color(color)
        with pager.paged(pager.wanted(no_pager, as_json) and bool(result.hits)):
            print_hits(result.hits, color=colored, full=full_text)
    summary = render.render_summary(result)  # on stderr, also with --json
    if not result.hits and doc_id is not None:
        # The document itself never counts, so an index of one document has nothing to list.
        summary += f"; no other answer is like {doc_id}"
    click.echo(render.safe(summary), err=True)
    sys.exit(EXIT_FOUND if result.hits else EXIT_NONE)


@click.command("stats", cls=QueryCommand)
@click.argument("words", nargs=-1, metavar="[QUERY]...")
@click.option("--by", type=click.Choice(["minister", "ministry", "party", "year"]), help="Group into a table.")
@filter_options
@click.option("--json", "as_json", is_flag=True, help="The statistics as one JSON object.")
@no_pager_option
@index_option
def stats_cmd(words: tuple[str, ...], by: str | None, as_json: bool, no_pager: bool, index_dir: Path, **filters: Any) -> None:
    """Corpus overview and answer-time statistics, for all answers or those matching QUERY.

    With --by, a table per minister, ministry, party or year: documents, median days to
    answer, and the shares answered after 21 days (the Reglement van Orde's three weeks) and
    after 42 days. Exit status 0, or 1 when no answer matches.

    Example: kvsearch stats stikstof --by ministry
    """
    from .. import api

    result = api.stats(" ".join(words) or None, by=by, index_dir=index_dir, **filters)
    if as_json:
        click.echo(render.stats_json(result))
    elif result.documents:
        with pager.paged(pager.wanted(no_pager, as_json)):
            click.echo(render.render_stats(result))
    else:
        click.echo("kvsearch: no answers match", err=True)
    sys.exit(EXIT_FOUND if result.documents else EXIT_NONE)


@click.command("show")
@click.argument("doc_id")
@click.option("--json", "as_json", is_flag=True, help="The document as one JSON object.")
@color_option
@no_pager_option
@index_option
def show_cmd(doc_id: str, as_json: bool, color: str, no_pager: bool, index_dir: Path) -> None:
    """Print one whole document: metadata, then its numbered paragraphs with each question it
    quotes ("  >  Vraag 2: ...") before the paragraphs that answer it.

    DOC_ID is the document's id (its path in the corpus) or an official id such as
    ah-tk-20202021-2310 or 2020Z25656.

    Example: kvsearch show ah-tk-20202021-2310
    """
    from .. import api

    doc = api.get_document(doc_id, index_dir=index_dir)
    if as_json:
        click.echo(render.document_json(doc))
    else:
        colored = use_color(color)
        with pager.paged(pager.wanted(no_pager, as_json)):
            click.echo(render.render_document(doc, color=colored, width=terminal_width()), color=colored)
