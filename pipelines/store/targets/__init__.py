"""Where a load writes, and how it becomes visible to readers all at once: one module per
destination (DuckDB file, Parquet files, Postgres database) behind one `Target` interface."""

from __future__ import annotations

from pathlib import Path

from pipelines.errors import UsageError
from pipelines.settings import DUCKDB_MEMORY_LIMIT
from pipelines.store.targets.base import Target
from pipelines.store.targets.duckdb_file import DuckDBTarget
from pipelines.store.targets.parquet_files import ParquetTarget

__all__ = ["DuckDBTarget", "ParquetTarget", "Target", "make_target"]


def make_target(
    destination: str,
    data_dir: Path,
    *,
    postgres_dsn: str | None = None,
    lock_wait_s: float = 0,
    duckdb_memory: str = DUCKDB_MEMORY_LIMIT,
) -> Target:
    if destination == "postgres":
        from pipelines.store.targets.postgres_db import PostgresTarget

        if not postgres_dsn:
            raise UsageError("--destination postgres needs credentials")
        return PostgresTarget(data_dir, postgres_dsn, lock_wait_s)
    if destination == "duckdb":
        return DuckDBTarget(data_dir, duckdb_memory)
    return ParquetTarget(data_dir)
