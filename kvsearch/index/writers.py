"""The Whoosh writer a build uses: one process, or one sub-process per core for a full build.

Whoosh's MpWriter analyses documents and writes segments in sub-processes, which on this
2-core machine makes a full build 1.7x faster (600 documents: 19.7 s -> 11.4 s). Used as it
comes it is not safe to kill: its sub-processes block forever on their job queue when the
parent dies (holding the inherited build lock), and its cancel() only flips a flag in the
parent's copy of them. So here they die with the parent (PR_SET_PDEATHSIG), are daemons (never
waited for at exit), and are terminated on cancel.

Nor does MpWriter notice a sub-process that dies: its commit takes whatever segments arrive
within a second and publishes the index without the dead one's passages. So here every
sub-process must hand in its segment and exit cleanly, or the build fails with BuildError;
and the parent never blocks on a queue without looking at its sub-processes, since one killed
while holding the job queue's read lock leaves the others waiting forever.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import queue
import signal
from typing import Any

from whoosh.multiproc import MpWriter
from whoosh.writing import SegmentWriter

from ..errors import BuildError
from . import generations
from .codec import CompactCodec
from .segment import BuilderTask, SegmentBuilder

# Whoosh's writer buffers this many MB of postings (per process) before flushing a segment.
WRITER_LIMIT_MB = 256
# Segments stay as separate files: whoosh3 opens a file inside a compound segment as a BytesIO
# over the mmap, which copies it, so a search at 100,000 documents read 1 GB of postings into
# memory on start-up (1.9 s and 2 GB RSS for one terminal search).
COMPOUND = False
# Fewer documents than this are not worth starting sub-processes for.
PARALLEL_MIN_FILES = 200
_PR_SET_PDEATHSIG = 1
# How long the parent waits on a queue before looking whether its sub-processes still live.
POLL_SECONDS = 0.5
# First item of what a sub-process puts on the result queue when it failed (else None).
_FAILED = "kvsearch: sub-process failed"
# Set in the parent while a parallel writer starts sub-processes: the fork hook reads it.
_spawning = False
_parent_pid = 0


def build_procs() -> int:
    """How many processes a full build uses: $KVSEARCH_PROCS, else the usable cores (at most 4)."""
    configured = os.environ.get("KVSEARCH_PROCS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


def open_writer(ix: Any, files: int, full: bool) -> SegmentWriter:
    """A writer for ``ix``: parallel for a full build of many files, else a plain one."""
    procs = build_procs()
    if full and procs > 1 and files >= PARALLEL_MIN_FILES:
        return _SafeMpWriter(ix, procs=procs, multisegment=True, limitmb=WRITER_LIMIT_MB, compound=COMPOUND,
                             codec=CompactCodec())
    return SegmentBuilder(ix, limitmb=WRITER_LIMIT_MB, compound=COMPOUND, codec=CompactCodec())


class _SafeMpWriter(MpWriter):
    """MpWriter whose sub-processes never outlive the build, and whose build fails when one of
    them dies instead of leaving its passages out."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        # Only the multisegment commit is reimplemented below (_commit).
        assert self.multisegment
        self._jobs = self.jobqueue
        self.jobqueue = _GuardedQueue(self._jobs, self._check_workers)
        # Set once the sub-processes have been told to finish: from then on they may exit.
        self._finishing = False

    def _new_task(self) -> Any:
        global _spawning, _parent_pid
        task = _WorkerTask(self.storage, self.indexname, self._jobs, self.resultqueue, self.subargs,
                           self.multisegment)
        task.daemon = True
        self.tasks.append(task)
        _spawning, _parent_pid = True, os.getpid()
        try:
            task.start()
        finally:
            _spawning = False
        return task

    def _commit(self, mergetype: Any, optimize: Any, merge: Any) -> None:
        # MpWriter._commit with multisegment, but every sub-process's segment is required.
        if self.docbuffer:
            self._enqueue()
        self._finishing = True
        for _task in self.tasks:
            self.jobqueue.put(None)
        finalsegments = self._merge_segments(mergetype, optimize, merge)
        finalsegments += self._worker_segments()
        if self._added:
            finalsegments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(finalsegments)
        self._finish()

    def _worker_segments(self) -> list[Any]:
        """The segment of every sub-process, once each has exited cleanly."""
        segments: list[Any] = []
        while len(segments) < len(self.tasks):
            try:
                result = self.resultqueue.get(timeout=POLL_SECONDS)
            except queue.Empty:
                self._check_workers()
                # A process that exited has flushed what it put: nothing came, so nothing will.
                if all(task.exitcode is not None for task in self.tasks):
                    raise BuildError("build failed: a build process ended without handing in its part of the"
                                     " index; the previous index is unchanged") from None
                continue
            if result[0] == _FAILED:
                raise BuildError(f"build failed: a build process failed ({result[1]}); the previous index is unchanged")
            segments.append(result[2])
        for task in self.tasks:
            while task.exitcode is None:
                task.join(POLL_SECONDS)
            self._check_workers()
        return segments

    def _check_workers(self) -> None:
        """Raise BuildError if a sub-process has died (or, before the commit, ended at all)."""
        for task in self.tasks:
            code = task.exitcode
            if code is None or (self._finishing and code == 0):
                continue
            raise BuildError(f"build failed: {self._failure(task.pid, code)}; the previous index is unchanged")

    def _failure(self, pid: int | None, code: int) -> str:
        # A sub-process that raised said why on the result queue before it exited.
        with contextlib.suppress(queue.Empty, OSError, EOFError, ValueError):
            while True:
                result = self.resultqueue.get(timeout=0.1)
                if result[0] == _FAILED:
                    return f"a build process (pid {pid}) failed: {result[1]}"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = str(-code)
            return f"a build process (pid {pid}) was killed by signal {name}"
        if code == 0:
            return f"a build process (pid {pid}) ended before its work was done"
        return f"a build process (pid {pid}) exited with status {code}"

    def cancel(self) -> None:
        try:
            for task in self.tasks:
                if task.is_alive():
                    task.terminate()
                task.join(5)
        finally:
            SegmentWriter.cancel(self)


class _GuardedQueue:
    """The job queue as the parent uses it: a put that gives up when a sub-process has died,
    where a plain put on the full queue would wait for it forever."""

    def __init__(self, jobs: Any, check: Any) -> None:
        self._jobs = jobs
        self._check = check

    def put(self, item: Any) -> None:
        """Put ``item`` on the queue, raising BuildError as soon as a sub-process is dead."""
        while True:
            self._check()
            try:
                self._jobs.put(item, timeout=POLL_SECONDS)
                return
            except queue.Full:
                continue


class _WorkerTask(BuilderTask):
    """A sub-process that, when it fails, tells the parent why in one line instead of printing
    a traceback, and exits with status 1."""

    def run(self) -> None:
        try:
            super().run()
        except BaseException as exc:
            with contextlib.suppress(BaseException):
                reason = (f"{type(exc).__name__}: {exc}".splitlines() or [type(exc).__name__])[0]
                self.resultqueue.put((_FAILED, reason, None), timeout=5)
            # SystemExit ends a multiprocessing child quietly, after its queues are flushed.
            raise SystemExit(1) from None


def _die_with_parent() -> None:
    if not _spawning:
        return
    # Ctrl-C reaches the whole process group: the parent alone handles it, by cancelling.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A dying sub-process must not keep the build lock from the next build.
    for fd in list(generations.HELD_LOCKS):
        try:
            os.close(fd)
        except OSError:
            pass
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: sub-processes still end when their job queue closes on normal exit
    if os.getppid() != _parent_pid:  # the parent died before the line above took effect
        os._exit(1)


os.register_at_fork(after_in_child=_die_with_parent)
