"""One load at a time per data dir: an advisory lock file, waited on for a bounded time."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

from pipelines.errors import BusyError
from pipelines.settings import LOCK_FILE


class DataDirLock:
    """Held for a whole load; released by the kernel even when the process is killed."""

    def __init__(self, data_dir: Path, wait_s: float) -> None:
        self.path = data_dir / LOCK_FILE
        self.wait_s = wait_s
        self._fd: int | None = None

    def __enter__(self) -> DataDirLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
                    os.close(fd)
                    raise BusyError(
                        f"another load (pid {holder}) holds {self.path.parent} "
                        f"and did not finish within {self.wait_s:g}s; try again later"
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
