"""The one way the read path opens the data: DuckDB files or a Postgres database, alike.

`connect()` returns a connection whose `execute(sql, params)` gives a cursor with
`description` and `fetchall()`, on either engine; `run_query` turns that into (column names,
rows). Timestamps come back in UTC, decimals as Decimal, on both. Never imports dlt.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

import duckdb

from pipelines.errors import BusyError, UsageError, scrub
from pipelines.settings import DUCKDB_FILE, PARQUET_VIEWS_FILE


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


_QUOTED_OR_MARK = re.compile(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")|(\?)|(%)")


def pyformat(sql: str) -> str:
    """DuckDB's `?` placeholders as psycopg2's `%s` (a literal `%` doubled), quotes untouched."""

    def swap(match: re.Match[str]) -> str:
        if match.group(1):
            return match.group(1).replace("%", "%%")
        return "%s" if match.group(2) else "%%"

    return _QUOTED_OR_MARK.sub(swap, sql)


class PostgresConnection:
    """A read-only psycopg2 session in UTC that answers `execute` as DuckDB's connection does."""

    def __init__(self, con: Any) -> None:
        self._con = con

    @classmethod
    def open(cls, dsn: str) -> PostgresConnection:
        import psycopg2

        try:
            con = psycopg2.connect(dsn, options="-c TimeZone=UTC", connect_timeout=10)
        except psycopg2.Error as exc:
            text = str(exc).strip()
            first = scrub(text.splitlines()[0]) if text else type(exc).__name__
            raise UsageError(f"cannot connect to Postgres: {first}") from None
        con.set_session(readonly=True, autocommit=True)
        return cls(con)

    def execute(self, sql: str, parameters: Any = None, /) -> Any:
        cursor = self._con.cursor()
        if parameters:
            cursor.execute(pyformat(sql), list(parameters))
        else:
            cursor.execute(sql)
        return cursor

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> PostgresConnection:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def database_errors() -> tuple[type[BaseException], ...]:
    """The errors a query can fail with on either engine (psycopg2's only once imported)."""
    import sys

    errors: list[type[BaseException]] = [duckdb.Error]
    psycopg2 = sys.modules.get("psycopg2")
    if psycopg2 is not None:
        errors.append(psycopg2.Error)
    return tuple(errors)
