"""What the commands share: exit statuses, options, the reading of query words, errors in one line."""

from __future__ import annotations

import itertools
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from .. import render

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
