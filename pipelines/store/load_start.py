"""What a load does first, before it imports pyarrow, DuckDB and dlt: check the data dir, take
its lock, and start reading the catalogue.

A load's set-up (those imports, the destination, the history, the dlt pipeline) takes ~0.3 s
(more with a large history); the first pages are read meanwhile. This module stays light to
import for that reason: the catalogue is on its way before the heavy modules load.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.errors import UsageError
from pipelines.extract.client import ApiKey, CatalogueClient
from pipelines.extract.fetch import Pagination
from pipelines.extract.retry import RetryPolicy
from pipelines.settings import DUCKDB_MEMORY_LIMIT, NOTIFY_TIMEOUT_S, PAGES_AHEAD_AT_START
from pipelines.store.lock import DataDirLock

if TYPE_CHECKING:  # requests, imported by a load that notifies
    from pipelines.store.webhook import WebhookUrl


@dataclass(frozen=True)
class LoadConfig:
    base_url: str
    destination: str
    data_dir: Path
    page_size: int
    q: str | None
    workers: int
    lock_wait_s: float
    retry: RetryPolicy
    api_key: ApiKey | None = None
    guest_session_id: str | None = None
    notify_urls: tuple[WebhookUrl, ...] = ()
    notify_timeout_s: float = NOTIFY_TIMEOUT_S
    postgres_dsn: str | None = None  # --destination postgres: the credentials, a secret
    duckdb_memory: str = DUCKDB_MEMORY_LIMIT  # DuckDB's memory_limit while it loads


@dataclass(frozen=True)
class Started:
    """A load under way: its data dir locked, its client, and its first pagination reading."""

    client: CatalogueClient
    first_pages: Pagination


@contextmanager
def started_load(config: LoadConfig) -> Iterator[Started]:
    """The data dir checked and locked, and the catalogue being read, until the load ends."""
    check_data_dir(config.data_dir)
    with DataDirLock(config.data_dir, config.lock_wait_s):
        client = CatalogueClient(
            config.base_url, config.api_key, config.guest_session_id, config.retry, config.workers
        )
        first_pages = Pagination(
            client, config.page_size, config.q, config.workers, ahead=PAGES_AHEAD_AT_START
        )
        try:
            yield Started(client, first_pages)
        finally:
            first_pages.close()
            client.close()


def check_data_dir(data_dir: Path) -> None:
    """A data dir that is a file, or one we may not write to, is a configuration error."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UsageError(f"cannot use --data-dir {data_dir}: it is a file, not a folder") from None
    except OSError as exc:
        raise UsageError(f"cannot use --data-dir {data_dir}: {exc.strerror}") from None
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise UsageError(f"cannot use --data-dir {data_dir}: it is not writable")
