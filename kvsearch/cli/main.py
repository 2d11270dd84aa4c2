"""The ``kvsearch`` command: a thin click layer, one library call per command.

Exit status: 0 found / done, 1 nothing found, 2 error, 3 index updated but files rejected (or
fetch done but some publications failed), 75 another build, fetch or watch run holds the lock
(a search without an index: after waiting 60 s for it), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

import click

from ..errors import KvsearchError, ParameterError
from .fetch import fetch_cmd
from .index import check_cmd, index_cmd
from .options import (
    _NO_ARGS_IS_HELP,
    EXIT_ERROR,
    EXIT_FOUND,
    EXIT_INTERRUPTED,
    KvsearchGroup,
    _discard_stdout,
    _reader_gone,
    fail,
    option_name,
)
from .search import search_cmd, show_cmd, similar_cmd, stats_cmd
from .watch import watch_group


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


for command in (index_cmd, check_cmd, search_cmd, similar_cmd, stats_cmd, show_cmd, fetch_cmd, watch_group):
    cli.add_command(command)
