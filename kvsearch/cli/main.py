"""The ``kvsearch`` command: a thin click layer, one library call per command.

Exit status: 0 found / done, 1 nothing found, 2 error, 3 index updated but files rejected (or
fetch done but some publications failed), 75 another build, fetch or watch run holds the lock
(a search without an index: after waiting 60 s for it), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from .. import render
from ..errors import IndexNotFoundError, KvsearchError, ParameterError
from . import pager

EXIT_FOUND, EXIT_NONE, EXIT_ERROR, EXIT_REJECTED = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command ended by Ctrl-C

# click >= 8.2 raises this (a UsageError carrying the whole help) for a group without a command.
_NO_ARGS_IS_HELP: Any = getattr(click.exceptions, "NoArgsIsHelpError", ())

index_option = click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="KVSEARCH_INDEX",
    default="index",
    show_default=True,
    help="Index directory (env KVSEARCH_INDEX).",
)
corpus_option = click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="KVSEARCH_CORPUS",
    default="corpus",
    show_default=True,
    help="Corpus directory (env KVSEARCH_CORPUS).",
)
color_option = click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the output; auto colours a terminal unless NO_COLOR is set.",
)
full_text_option = click.option(
    "-F",
    "--full-text",
    is_flag=True,
    help=f"Whole passages (default: {render.SNIPPET_LINES} lines around the matched words).",
)
no_pager_option = click.option(
    "--no-pager", is_flag=True, help="Never page; long output on a terminal goes through $PAGER or less by default."
)


def terminal_width() -> int:
    """The width to wrap to: $COLUMNS, else the terminal's, else 80 (piped output)."""
    return shutil.get_terminal_size((80, 24)).columns


_FILTERS = [
    click.option("--minister", help="Answered by this minister (name, any case, accents optional)."),
    click.option("--ministry", help="Answered by this ministry: its name or acronym (VWS, BZK, J&V)."),
    click.option("--submitter", help="Asked by this member of parliament."),
    click.option("--party", help="Asked by a member of this party."),
    click.option("--subject", help="On this subject."),
    click.option("--since", help="Answered on or after: 2021, 2021-03 or 2021-03-05."),
    click.option("--until", help="Answered on or before: 2021, 2021-03 or 2021-03-05."),
    click.option("--late", is_flag=True, help="Only answers that took longer than three weeks."),
]


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The metadata filter options, the same on every command that takes them; they arrive as
    keyword arguments named like the library's."""
    for option in reversed(_FILTERS):
        command = option(command)
    return command


def option_name(parameter: str) -> str:
    """The command-line option of a library parameter: the filter options are named like the
    library's parameters (``since`` -> ``--since``)."""
    return "--" + parameter.replace("_", "-")


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    """Print one error line on stderr and exit."""
    click.echo(f"kvsearch: error: {render.safe(message)}", err=True)
    sys.exit(code)


def use_color(choice: str) -> bool:
    """Whether to colour standard output."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def _progress_bar(label: str) -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
    """A progress callback drawing on a terminal's stderr, or none off a terminal."""
    if not sys.stderr.isatty():
        return None, lambda: None
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        bar = state.get("bar")
        if bar is None:
            bar = state["bar"] = click.progressbar(length=total, label=label, file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    def finish() -> None:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)

    return update, finish


class QueryCommand(click.Command):
    """A command whose QUERY words may start with '-' (NOT): a token that is not one of the
    command's options is query text, so ``search china -huawei`` is ``search "china -huawei"``.

    click's own ``ignore_unknown_options`` is no help here: it reads ``-huawei`` letter by
    letter, as ``-h`` (help) and the leftover ``-uawei``, and ``-nato`` as ``-n ato``.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            args = query_words_last(args, self.get_params(ctx))
        except click.UsageError as exc:
            exc.ctx = ctx  # for the "see --help" hint
            raise
        return super().parse_args(ctx, args)


def query_words_last(args: list[str], params: list[click.Parameter]) -> list[str]:
    """``args`` with the options first, then ``--`` and the query words in their order.

    A token is an option when it starts with ``--`` (an unknown one is left for click to
    report), is one of the short options, or is a short option glued to a number (``-n5``);
    any other token starting with ``-`` is a query word. Raises click.BadOptionUsage for an
    option that needs a value and is the last token (click would take the ``--`` for it).
    """
    takes_value: dict[str, bool] = {}
    numeric: set[str] = set()
    for param in params:
        if isinstance(param, click.Option):
            for name in (*param.opts, *param.secondary_opts):
                takes_value[name] = not (param.is_flag or param.count)
                if isinstance(param.type, (click.types.IntParamType, click.types.FloatParamType)):
                    numeric.add(name)
    options: list[str] = []
    words: list[str] = []
    tokens = iter(args)
    for token in tokens:
        if token == "--":
            words.extend(tokens)
        elif token.startswith("--") or token in takes_value:
            options.append(token)
            if takes_value.get(token):
                value = list(itertools.islice(tokens, 1))
                if not value:
                    raise click.BadOptionUsage(token, f"{token} needs {'a number' if token in numeric else 'a value'}")
                options.extend(value)
        elif takes_value.get(token[:2]) and token[2:].isdigit():
            options.append(token)
        else:
            words.append(token)
    return [*options, "--", *words]


class KvsearchGroup(click.Group):
    """The command group, ending a command whose reader went away (``| head``) quietly, and
    one interrupted by Ctrl-C with one line and status 130.

    click's own main() would catch both first: the broken pipe with status 1 and not a word,
    Ctrl-C as a blank line and "aborted"; so they are handled here, around the command.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _reader_gone()
        except KeyboardInterrupt:
            fail("interrupted", EXIT_INTERRUPTED)


def read_stdin() -> str:
    """The query given as '-': all of standard input (a long question pasted into a file)."""
    stream = sys.stdin
    if stream is None:
        fail("QUERY '-' reads standard input, which is closed")
    try:
        text = stream.buffer.read().decode("utf-8") if hasattr(stream, "buffer") else stream.read()
    except UnicodeDecodeError:
        fail("standard input is not UTF-8 text")
    if not text.strip():
        fail("no query on standard input")
    return text


def given(parameter: str) -> bool:
    """Whether the current command's ``parameter`` was given, on the command line or in its
    environment variable, rather than left at its default."""
    source = click.get_current_context().get_parameter_source(parameter)
    return source in (click.core.ParameterSource.COMMANDLINE, click.core.ParameterSource.ENVIRONMENT)


def no_index(index_dir: Path) -> bool:
    """Whether there is no index at all, as opposed to a damaged one: a build writes CURRENT
    last."""
    return not (Path(index_dir) / "CURRENT").exists()


@click.group(cls=KvsearchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kvsearch")
def cli() -> None:
    """Search the answers of Dutch ministers to parliamentary questions.

    \b
    kvsearch fetch                      get new answers from the official source into ./corpus
    kvsearch index                      build or update the index from ./corpus
    kvsearch search gezichtsherkenning  ranked, highlighted passages
    kvsearch show ah-tk-20202021-2310   one whole answer document
    kvsearch watch run                  what is new for your saved searches (alerts)
    """


@cli.command("index")
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


@cli.command("check")
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


@cli.command("search", cls=QueryCommand)
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


@cli.command("similar")
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


@cli.command("stats", cls=QueryCommand)
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


@cli.command("show")
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


class _OutputError(KvsearchError):
    """Standard output cannot be written: the disk is full (``>/dev/full``), or it is closed."""


class _Stdout:
    """Standard output for the commands, whose failed writes end the command with one line,
    ``cannot write output: …`` (a reader gone away, BrokenPipeError, passes as it is).

    A closed output (``>&-``) is None to Python, which click.echo silently writes nothing to:
    here writing to it fails like writing to any unwritable output.
    """

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        if self.stream is None:
            if text:
                raise _OutputError("cannot write output: standard output is closed")
            return 0
        return self._do("write", text)

    def flush(self) -> None:
        if self.stream is not None:  # nothing was written to a closed one, or it failed then
            self._do("flush")

    def isatty(self) -> bool:
        return self.stream is not None and self.stream.isatty()

    def _do(self, action: str, *args: Any) -> Any:
        try:
            return getattr(self.stream, action)(*args)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _OutputError(f"cannot write output: {exc.strerror or exc}") from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def main(argv: list[str] | None = None) -> NoReturn:
    """Entry point of the console script: library errors become one line and an exit status."""
    stdout = sys.stdout
    sys.stdout = _Stdout(stdout)  # type: ignore[assignment]
    try:
        _run(argv)
    finally:
        sys.stdout = stdout


def _run(argv: list[str] | None) -> NoReturn:
    try:
        try:
            cli.main(args=argv, prog_name="kvsearch", standalone_mode=False)
        finally:
            # A reader gone before the last write was flushed shows here, not as Python's
            # "Exception ignored" warning at exit.
            sys.stdout.flush()
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:  # Ctrl-C before a command ran (click turns it into Abort)
        fail("interrupted", EXIT_INTERRUPTED)
    except _NO_ARGS_IS_HELP as exc:
        # Bare `kvsearch`: the help, as click shows it for a group called without a command
        # (on stderr, status 2; click before 8.2 printed it on stdout with status 0).
        exc.show()
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        # One line, like every other error; the full usage is one --help away.
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        fail(" ".join(exc.format_message().split()) + hint)
    except click.ClickException as exc:
        fail(exc.format_message(), EXIT_ERROR if exc.exit_code == 1 else exc.exit_code)
    except ParameterError as exc:
        # The library names its parameter ("since: …"); here it is the option ("--since: …").
        fail(exc.naming(option_name), exc.exit_code)
    except _OutputError as exc:
        _discard_stdout()
        fail(str(exc))
    except KvsearchError as exc:
        fail(str(exc) or type(exc).__name__, exc.exit_code)
    except BrokenPipeError:
        _reader_gone()
    except KeyboardInterrupt:
        fail("interrupted", EXIT_INTERRUPTED)
    except Exception as exc:  # never a traceback on the terminal
        if os.environ.get("KVSEARCH_DEBUG"):
            raise
        fail(f"unexpected {type(exc).__name__}: {exc}".splitlines()[0] + " (set KVSEARCH_DEBUG=1 for details)")
    sys.exit(EXIT_FOUND)


def _discard_stdout() -> None:
    """Send what is still buffered for stdout nowhere: it would fail again when Python flushes
    it at exit (an "Exception ignored" message and status 120)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no stdout at all (>&-): nothing buffered
        pass


def _reader_gone() -> NoReturn:
    """Like ripgrep: the reader went away (``| head``); not an error, and nothing to say."""
    _discard_stdout()
    sys.exit(EXIT_FOUND)


# Registered last: the command modules use the options and helpers above.
from .fetch import fetch_cmd  # noqa: E402
from .watch import watch_group  # noqa: E402

cli.add_command(fetch_cmd)
cli.add_command(watch_group)
