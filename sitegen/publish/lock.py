"""One build of a site at a time: a lock file in `.sitegen-cache/` that names its holder.

The lock is an operating-system lock on an open file (a POSIX record lock, or msvcrt on Windows),
so it ends with the process that holds it, however that process ends, and its forked workers do
not inherit it: a killed build never leaves a lock that blocks the next one. The file stays;
only the lock on it matters.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TextIO

LOCK_NAME = "build.lock"


class BuildLock:
    """Held while a build reads the last build's record and writes the output."""

    def __init__(
        self,
        cache_folder: Path,
        on_wait: Callable[[str], None] = lambda holder: None,
        holder: str = "sitegen build",
        wait: bool = True,
    ) -> None:
        """`wait` False: for work that may be left out, such as the preview keeping its caches;
        `held` then says whether the lock was free."""
        self.path = cache_folder / LOCK_NAME
        self._on_wait = on_wait
        self._holder = holder
        self._wait = wait
        self._file: TextIO | None = None

    @property
    def held(self) -> bool:
        return self._file is not None

    def __enter__(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        file = self._file = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 -- held until __exit__
        if not _try_lock(file):
            if not self._wait:
                file.close()
                self._file = None
                return self
            file.seek(0)
            self._on_wait(file.read().strip() or "another build")
            _lock(file)
        file.seek(0)
        file.truncate()
        started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        file.write(f"{self._holder}, process {os.getpid()}, started {started}\n")
        file.flush()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._file is not None:
            self._file.seek(0)
            self._file.truncate()
            _unlock(self._file)
            self._file.close()
            self._file = None


if sys.platform == "win32":
    import msvcrt
    import time

    def _try_lock(file: TextIO) -> bool:
        file.seek(0)
        try:
            msvcrt.locking(file.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _lock(file: TextIO) -> None:
        while not _try_lock(file):
            time.sleep(0.2)

    def _unlock(file: TextIO) -> None:
        file.seek(0)
        msvcrt.locking(file.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    # POSIX record locks (lockf), not flock: a lock of flock's kind is shared with forked
    # children, so the build's workers, orphaned by a kill, would keep it held.
    def _try_lock(file: TextIO) -> bool:
        try:
            fcntl.lockf(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 0, os.SEEK_SET)
        except OSError:
            return False
        return True

    def _lock(file: TextIO) -> None:
        fcntl.lockf(file.fileno(), fcntl.LOCK_EX, 1, 0, os.SEEK_SET)

    def _unlock(file: TextIO) -> None:
        fcntl.lockf(file.fileno(), fcntl.LOCK_UN, 1, 0, os.SEEK_SET)
