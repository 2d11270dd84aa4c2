"""KVSEARCH_FAULT: a process fails at exactly the step a test names, and nowhere else."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from kvsearch import faults
from kvsearch.faults import FaultInjected, checkpoint


@pytest.fixture(autouse=True)
def fresh_counts() -> None:
    faults.reset()


def test_without_the_variable_a_checkpoint_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KVSEARCH_FAULT", raising=False)
    checkpoint("after-manifest")
    monkeypatch.setenv("KVSEARCH_FAULT", "")
    checkpoint("after-manifest")


def test_the_named_step_raises_each_time_and_no_other(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KVSEARCH_FAULT", "after-manifest")
    checkpoint("before-manifest")
    checkpoint("after-manifest-2")
    for _ in range(2):
        with pytest.raises(FaultInjected, match="^fault injected at after-manifest$"):
            checkpoint("after-manifest")


def test_the_nth_time_a_step_is_reached_and_several_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KVSEARCH_FAULT", "cleanup@3:raise, segments-written@2")
    checkpoint("cleanup")
    checkpoint("cleanup")
    checkpoint("segments-written")
    with pytest.raises(FaultInjected, match="at cleanup$"):
        checkpoint("cleanup")
    checkpoint("cleanup")  # the 4th time: done failing
    with pytest.raises(FaultInjected, match="at segments-written$"):
        checkpoint("segments-written")


def test_an_unknown_way_of_failing_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KVSEARCH_FAULT", "cleanup:explode")
    with pytest.raises(FaultInjected, match="unknown failure 'explode' for cleanup"):
        checkpoint("cleanup")


SCRIPT = "from kvsearch.faults import checkpoint\ncheckpoint('one')\nprint('passed one', flush=True)\ncheckpoint('two')\nprint('passed two')"


def test_kill_ends_the_process_at_once_with_sigkill() -> None:
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "KVSEARCH_FAULT": "two:kill"})
    assert (proc.returncode, proc.stdout) == (-signal.SIGKILL, "passed one\n")


def test_stop_says_where_it_stopped_and_waits_to_be_killed() -> None:
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "KVSEARCH_FAULT": "two:stop"})
    assert proc.stderr is not None and proc.stdout is not None
    assert proc.stderr.readline() == "kvsearch: fault: reached two\n"
    assert proc.poll() is None  # still there, at step two
    proc.kill()
    assert (proc.wait(timeout=60), proc.stdout.read()) == (-signal.SIGKILL, "passed one\n")
