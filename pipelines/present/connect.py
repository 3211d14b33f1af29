"""The one way the read path opens the data: DuckDB files or a Postgres database, alike.

`connect()` returns a connection whose `execute(sql, params)` gives a cursor with
`description` and `fetchall()`, on either engine; `run_query` turns that into (column names,
rows). Timestamps come back in UTC, decimals as Decimal, on both. Never imports dlt.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

import duckdb

from pipelines.errors import BusyError, UsageError
from pipelines.settings import DUCKDB_FILE, PARQUET_VIEWS_FILE
from pipelines.store.pg_session import PostgresConnection, pyformat

__all__ = ["PostgresConnection", "connect", "pyformat"]


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
            f"no data at {path}: run `iomodels load --destination {destination}` first"
        )
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise BusyError(f"{path} is held open for writing by another process") from None
        raise
    con.execute("set TimeZone = 'UTC'")  # timestamps shown and compared in UTC, everywhere
    return con


def database_errors() -> tuple[type[BaseException], ...]:
    """The errors a query can fail with on either engine (psycopg2's only once imported)."""
    import sys

    errors: list[type[BaseException]] = [duckdb.Error]
    psycopg2 = sys.modules.get("psycopg2")
    if psycopg2 is not None:
        errors.append(psycopg2.Error)
    return tuple(errors)
