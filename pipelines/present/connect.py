"""The one way the read path opens the data: DuckDB files or a Postgres database, alike.

`connect()` returns a connection whose `execute(sql, params)` gives a cursor with
`description` and `fetchall()`, on either engine; `run_query` turns that into (column names,
rows). Timestamps come back in UTC, decimals as Decimal, on both. Never imports dlt.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Protocol

import duckdb

from pipelines.errors import BusyError, UsageError
from pipelines.settings import DUCKDB_FILE, PARQUET_DIR, PARQUET_VIEWS_FILE
from pipelines.store.pg_session import PostgresConnection, pyformat

__all__ = ["PostgresConnection", "connect", "pyformat"]

log = logging.getLogger("iomodels")


class Cursor(Protocol):
    @property
    def description(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    """What the read path needs of a connection: DuckDB's, or a PostgresConnection."""

    def execute(self, sql: str, parameters: Any = None, /) -> Any: ...

    def close(self) -> None: ...

    def __enter__(self) -> Any: ...

    def __exit__(self, *exc: Any) -> Any: ...


def database_file(destination: str, data_dir: Path) -> Path:
    name = DUCKDB_FILE if destination == "duckdb" else PARQUET_VIEWS_FILE
    return data_dir / name


def connect(destination: str, data_dir: Path) -> Connection:
    """A read-only connection: readers never block a load (loads write a copy, or publish in
    one transaction)."""
    if destination == "postgres":
        from pipelines.config import postgres_dsn

        return PostgresConnection.open(postgres_dsn())
    path = database_file(destination, data_dir)
    if data_dir.exists() and not data_dir.is_dir():
        raise UsageError(f"--data-dir {data_dir} is a file, not the folder of a load's data")
    if not path.exists():
        other = "parquet" if destination == "duckdb" else "duckdb"
        if database_file(other, data_dir).exists():  # loaded, but into the other destination
            raise UsageError(
                f"no data at {path}, but {data_dir} holds a {other} load: "
                f"add --destination {other} (or set IOMODELS_DESTINATION={other})"
            )
        raise UsageError(
            f"no data at {path}: run `iomodels load --destination {destination} "
            f"--data-dir {data_dir}` first"
        )
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise BusyError(f"{path} is held open for writing by another process") from None
        raise
    con.execute("set TimeZone = 'UTC'")  # timestamps shown and compared in UTC, everywhere
    if destination == "parquet":
        return _parquet_views_here(con, data_dir)
    return con


def _parquet_views_here(con: duckdb.DuckDBPyConnection, data_dir: Path) -> Connection:
    """`con`, or, when the data dir was moved or copied since its last load (its views read
    the old place's files), the same views over the files here, in memory."""
    from pipelines.store.parquet_views import points_at, views_in_memory

    bucket = (data_dir / PARQUET_DIR).resolve()
    if points_at(con, bucket):
        return con
    con.close()
    log.warning(
        "warning: the views in %s read files of another folder (this data dir was moved or "
        "copied): reading the files here; the next load rewrites the file for BI tools",
        database_file("parquet", data_dir),
    )
    return views_in_memory(bucket)


def database_errors() -> tuple[type[BaseException], ...]:
    """The errors a query can fail with on either engine (psycopg2's only once imported)."""
    import sys

    errors: list[type[BaseException]] = [duckdb.Error]
    psycopg2 = sys.modules.get("psycopg2")
    if psycopg2 is not None:
        errors.append(psycopg2.Error)
    return tuple(errors)
