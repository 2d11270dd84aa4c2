"""Named steps at which a test can make a kvsearch process fail, to prove what a crash there
leaves behind (the previous index intact, state files readable, the next run completing).

Set ``KVSEARCH_FAULT`` to ``<step>[@<n>][:<how>]`` (several, comma-separated) and the process
fails each time it reaches the :func:`checkpoint` of that name, or only the ``n``-th time
(counted from the start of the process, or from :func:`reset`):

    raise   raise FaultInjected, an ordinary exception, so cleanup code runs (the default)
    kill    SIGKILL itself: nothing runs after it, as with a power cut or the OOM killer
    stop    print ``kvsearch: fault: reached <step>`` on stderr and wait there to be killed,
            so a test can look at the files, search, or ``kill -9`` at exactly that moment
            instead of sleeping and hoping

    KVSEARCH_FAULT=after-manifest:kill kvsearch index
    KVSEARCH_FAULT=cleanup:stop,segments-written@2 kvsearch index --full

Each stage names its steps where it defines them (``kvsearch.index.generations.PUBLISH_STEPS``);
a name that no checkpoint uses is never reached, so tests assert that the process did fail.
Unset, as always outside tests, a checkpoint costs one environment lookup.
"""

from __future__ import annotations

import os
import signal
import sys
import time

ENV = "KVSEARCH_FAULT"
HOW = ("raise", "kill", "stop")
# Steps reached so far in this process, for "<step>@<n>".
_reached: dict[str, int] = {}


class FaultInjected(Exception):
    """The failure KVSEARCH_FAULT asked for at a checkpoint (never raised otherwise)."""


def checkpoint(step: str) -> None:
    """Fail here if ``KVSEARCH_FAULT`` names ``step``; else do nothing."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    count = _reached[step] = _reached.get(step, 0) + 1
    for item in spec.split(","):
        name, _, how = item.strip().partition(":")
        name, _, nth = name.partition("@")
        if name == step and (not nth or nth == str(count)):
            _fail(step, how or "raise")


def reset() -> None:
    """Count the steps reached from zero again (for ``<step>@<n>`` in a long-lived process)."""
    _reached.clear()


def _fail(step: str, how: str) -> None:
    if how == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if how == "stop":
        sys.stderr.write(f"kvsearch: fault: reached {step}\n")
        sys.stderr.flush()
        while True:  # until the test kills the process
            time.sleep(60)
    if how != "raise":
        raise FaultInjected(f"{ENV}: unknown failure {how!r} for {step} (use {', '.join(HOW)})")
    raise FaultInjected(f"fault injected at {step}")


__all__ = ["ENV", "FaultInjected", "checkpoint", "reset"]
