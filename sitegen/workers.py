"""Worker processes that end with the build that forked them, and collect garbage as usual.

A build killed while its pools of forked workers run (Markdown, pages, PDF brochures) would
otherwise leave the workers waiting on their pipes for ever. On Linux a worker asks the kernel
to kill it when its parent dies; elsewhere the workers end when they next find the pipe closed.

A build runs the cyclic garbage collector seldom (sitegen.build), which forked workers would
inherit; printing PDFs makes much cyclic garbage, which would pile up in the workers' memory.
The objects a forked worker inherits are hidden from its collector (`shared_with_forks`), so
that it leaves the pages it shares with the build alone.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_PR_SET_PDEATHSIG = 1
_USUAL_COLLECTION = gc.get_threshold()  # Python's own, read before any build changes it
_TERMINAL_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGHUP") if hasattr(signal, name))


def start_worker(parent: int | None, interrupted_by_parent: bool = False) -> None:
    """A pool's initializer: `parent` is the process id of the build (os.getpid() before the pool),
    or None for workers forked by a server of multiprocessing's, which itself ends with the build.

    A terminal's Ctrl+C, or its closing, reaches the build and its workers alike. A worker
    waiting for its next task prints a traceback, and one stopped while it sends a result leaves
    the pool waiting for the rest of it for ever. With `interrupted_by_parent`, for a pool whose
    parent cancels its tasks when it stops, so that each worker ends after its current one,
    the workers leave those signals to the parent."""
    gc.set_threshold(*_USUAL_COLLECTION)
    if interrupted_by_parent:
        for number in _TERMINAL_SIGNALS:
            signal.signal(number, signal.SIG_IGN)
    if sys.platform != "linux":
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:  # the build died before the request took effect
        os._exit(1)


@contextmanager
def shared_with_forks() -> Iterator[None]:
    """Fork workers within this. A forked worker shares its parent's memory until either writes
    to a page, and a full pass of the cyclic collector writes to every page holding an object
    it walks; frozen for the fork, the inherited objects are never walked by the workers, and
    more pages stay shared (1,000 parks: about 50 MB less in all processes). The parent's are
    unfrozen once the workers are forked. A process that froze its objects itself (a preview,
    after its first run) is left as it is: freezing again would keep this run's objects, and
    whatever cycles they hold, for good.

    A pool interrupted between the forks of its workers (Ctrl+C) is not running yet: shutting
    it down does not end the workers forked so far, which ignore Ctrl+C and wait for work, and
    Python waits for them as it exits. They are ended here."""
    forked_before = set(multiprocessing.active_children())
    freezing = not gc.get_freeze_count()
    if freezing:
        gc.freeze()
    try:
        yield
    except BaseException:
        for worker in set(multiprocessing.active_children()) - forked_before:
            worker.kill()
            worker.join()
        raise
    finally:
        if freezing:
            gc.unfreeze()
