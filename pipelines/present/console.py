"""What a load prints, for people at a terminal and for cron's log files.

On a terminal: plain lines, hints (`next: ...`), and a progress bar for a long load. Anywhere
else (a file, a pipe, cron mail): every line starts with an ISO-8601 UTC time, so a log
appended to by a year of hourly loads says when each line was written, and there are no hints.
Progress arrives as log records of `iomodels.progress` (see transform/catalogue_run.py).
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any, TextIO

PROGRESS_LOGGER = "iomodels.progress"
PROGRESS_EVERY_S = 1.0  # -v logs a page at most this often (and always the first and last)
BAR_AFTER_PAGES = 5  # a load of fewer pages is over before a bar would help


def utc_stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def stamped(text: str, stream: TextIO) -> str:
    """`text` with an ISO-8601 UTC time before every line, unless `stream` is a terminal."""
    if is_terminal(stream):
        return text
    stamp = utc_stamp()
    return "\n".join(f"{stamp} {line}" for line in text.splitlines())


class _Formatter(logging.Formatter):
    def __init__(self, timed: bool) -> None:
        super().__init__()
        self.timed = timed

    def format(self, record: logging.LogRecord) -> str:
        line = f"iomodels: {record.getMessage()}"
        return f"{utc_stamp()} {line}" if self.timed else line


class _ThrottleProgress(logging.Filter):
    """Page-by-page progress at most once a second: 1,000 pages must not be 1,000 lines."""

    def __init__(self) -> None:
        super().__init__()
        self._last = 0.0

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name != PROGRESS_LOGGER:
            return True
        page, pages = getattr(record, "page", 0), getattr(record, "pages", 0)
        now = time.monotonic()
        if page in (1, pages) or now - self._last >= PROGRESS_EVERY_S:
            self._last = now
            return True
        return False


class _ProgressBar(logging.Handler):
    """A rich progress bar on the terminal, fed by progress records; started lazily."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(level=logging.INFO)
        self.stream = stream
        self.progress: Any = None
        self.task: Any = None

    def emit(self, record: logging.LogRecord) -> None:
        if record.name != PROGRESS_LOGGER:
            return
        page, pages = getattr(record, "page", 0), getattr(record, "pages", 0)
        if self.progress is None:
            if pages < BAR_AFTER_PAGES:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            self.progress = Progress(
                "fetching pages",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task("pages", total=pages)
        self.progress.update(self.task, completed=page, total=pages)
        if page >= pages:
            # gone once the pages are in: while it is live, rich re-wraps whatever the
            # command prints to its width (a pasted `next:` hint would break in two)
            self._stop()

    def _stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def close(self) -> None:
        self._stop()
        super().close()


def setup_logging(stream: TextIO, *, verbose: bool, timed: bool) -> list[logging.Handler]:
    """Our logger's handlers for one command (replacing an earlier command's, in-process)."""
    logger = logging.getLogger("iomodels")
    for old in logger.handlers[:]:
        logger.removeHandler(old)
        old.close()
    text = logging.StreamHandler(stream)
    text.setLevel(logging.INFO if verbose else logging.WARNING)
    text.setFormatter(_Formatter(timed))
    text.addFilter(_ThrottleProgress())
    handlers: list[logging.Handler] = [text]
    if not verbose and is_terminal(stream):
        handlers.append(_ProgressBar(stream))
    for handler in handlers:
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return handlers


def close_logging(handlers: list[logging.Handler]) -> None:
    logger = logging.getLogger("iomodels")
    for handler in handlers:
        logger.removeHandler(handler)
        handler.close()
