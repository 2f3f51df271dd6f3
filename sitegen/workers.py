"""Worker processes that end with the build that forked them.

A build killed while its pools of forked workers run (Markdown, pages, PDF brochures) would
otherwise leave the workers waiting on their pipes for ever. On Linux a worker asks the kernel
to kill it when its parent dies; elsewhere the workers end when they next find the pipe closed.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def end_with_parent(parent: int) -> None:
    """A pool's initializer: `parent` is the process id of the build (os.getpid() before the pool)."""
    if sys.platform != "linux":
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the build died before the request took effect
        os._exit(1)
