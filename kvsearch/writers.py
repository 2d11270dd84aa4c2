"""The Whoosh writer a build uses: one process, or one sub-process per core for a full build.

Whoosh's MpWriter analyses documents and writes segments in sub-processes, which on this
2-core machine makes a full build 1.7x faster (600 documents: 19.7 s -> 11.4 s). Used as it
comes it is not safe to kill: its sub-processes block forever on their job queue when the
parent dies (holding the inherited build lock), and its cancel() only flips a flag in the
parent's copy of them. So here they die with the parent (PR_SET_PDEATHSIG), are daemons (never
waited for at exit), and are terminated on cancel.
"""

from __future__ import annotations

import ctypes
import os
import signal
from typing import Any

from whoosh.multiproc import MpWriter
from whoosh.writing import SegmentWriter

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
    """MpWriter whose sub-processes never outlive the build."""

    def _new_task(self) -> Any:
        global _spawning, _parent_pid
        task = BuilderTask(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                           self.multisegment)
        task.daemon = True
        self.tasks.append(task)
        _spawning, _parent_pid = True, os.getpid()
        try:
            task.start()
        finally:
            _spawning = False
        return task

    def cancel(self) -> None:
        try:
            for task in self.tasks:
                if task.is_alive():
                    task.terminate()
                task.join(5)
        finally:
            SegmentWriter.cancel(self)


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
