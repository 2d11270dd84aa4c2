"""Long output through a pager on a terminal, as git does it.

The pager is $KVSEARCH_PAGER, else $PAGER, else ``less``; an empty one or ``cat`` means none.
``less`` gets LESS=FRX when LESS is unset (git's default): quit at once when the output fits on
one screen (-F), pass colours through (-R), leave the text on the screen when it quits (-X).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Iterator
from typing import Any

# io, shlex, signal and subprocess are imported where a pager runs: a search whose output is
# piped (most scripted ones) does not pay for them.

DEFAULT_PAGER = "less"


def pager_command() -> str | None:
    """The pager to run, or None when none is wanted or it cannot be found."""
    for name in ("KVSEARCH_PAGER", "PAGER"):
        if name in os.environ:
            command = os.environ[name].strip()
            break
    else:
        command = DEFAULT_PAGER
    if not command or command == "cat":
        return None
    import shlex

    try:
        program = shlex.split(command)[0]
    except (ValueError, IndexError):
        return None
    # A pager that is not there would swallow the output: the shell says "not found" and the
    # writes fail as if the reader had quit. Better unpaged output than none.
    return command if shutil.which(program) else None


def wanted(no_pager: bool, as_json: bool) -> bool:
    """Whether a command's output goes through the pager: only to a terminal, never as JSON."""
    return not no_pager and not as_json and sys.stdout.isatty()


@contextlib.contextmanager
def paged(enabled: bool) -> Iterator[None]:
    """Send what is written to sys.stdout in the block through the pager, when ``enabled`` and
    there is one; on leaving, wait until the reader quits the pager.

    The reader quitting early (``q`` before the end) is no error: the rest of the output is
    dropped and the block ends quietly. Ctrl-C reaches the pager too (less ignores it): the
    command stops, waits for the pager to be quit so the terminal is left to the shell in a sane
    state, then KeyboardInterrupt goes on (status 130).
    """
    command = pager_command() if enabled else None
    if command is None:
        yield
        return
    import io
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")  # lv, a pager some set, passes colours with -c
    try:
        process = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        yield
        return
    assert process.stdin is not None
    pipe = io.TextIOWrapper(process.stdin, encoding="utf-8", errors="replace", write_through=False)
    real = sys.stdout
    sys.stdout = pipe
    interrupted = False
    try:
        yield
    except BrokenPipeError:
        pass  # the reader quit the pager before the end
    except KeyboardInterrupt:
        interrupted = True
    finally:
        sys.stdout = real
        for stream in (pipe, process.stdin):  # the second when flushing the first failed
            with contextlib.suppress(OSError, ValueError):
                stream.close()
        interrupted = _wait(process) or interrupted
    if interrupted:
        raise KeyboardInterrupt


def _wait(process: Any) -> bool:
    """Wait for the pager (a subprocess.Popen) to end, Ctrl-C meanwhile being the pager's; whether
    one was pressed."""
    import signal

    pressed = False

    def note(signum: int, frame: object) -> None:
        nonlocal pressed
        pressed = True

    previous = signal.signal(signal.SIGINT, note)
    try:
        process.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    return pressed
