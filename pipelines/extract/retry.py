"""When and how long to wait before asking again: the backoff policy, shared by all workers."""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC

from pipelines.settings import (
    DEFAULT_BACKOFF_S,
    DEFAULT_RETRIES,
    DEFAULT_RETRY_BUDGET_S,
    DEFAULT_TIMEOUT_S,
    MAX_BACKOFF_S,
)


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = DEFAULT_RETRIES
    backoff_s: float = DEFAULT_BACKOFF_S
    max_backoff_s: float = MAX_BACKOFF_S
    budget_s: float = DEFAULT_RETRY_BUDGET_S
    timeout_s: float = DEFAULT_TIMEOUT_S

    def delay(self, attempt: int) -> float:
        """Exponential backoff with jitter, so that parallel workers do not retry in lockstep."""
        ceiling = min(self.max_backoff_s, self.backoff_s * float(2**attempt))
        return ceiling * random.uniform(0.5, 1.0)


class SharedBackoff:
    """A not-before instant shared by all workers, pushed forward by Retry-After."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._not_before = 0.0

    def push(self, seconds: float) -> None:
        with self._lock:
            self._not_before = max(self._not_before, time.monotonic() + seconds)

    def wait(self, stop: threading.Event) -> None:
        """Until the not-before instant, or until `stop` is set."""
        with self._lock:
            pause = self._not_before - time.monotonic()
        if pause > 0:
            # a little jitter, so the workers do not all ask again at the same instant
            stop.wait(pause + random.uniform(0, min(0.5, pause / 10)))


def retry_after(headers: Mapping[str, str]) -> float | None:
    """The wait a 429 or 503 asks for (seconds or an HTTP date), from the response's headers
    (a case-insensitive mapping)."""
    value = headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (ValueError, TypeError):
        return None  # an unreadable Retry-After: fall back to our own backoff
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - time.time())
