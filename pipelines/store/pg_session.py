"""A psycopg2 session that answers `execute(sql, params)` as DuckDB's connection does.

The read path (present/) opens it read-only; a Postgres load hands one to the webhook step on
its not yet committed publication (store/targets/postgres_db.py). Never imports dlt.
"""

from __future__ import annotations

import re
from types import TracebackType
from typing import Any

from pipelines.errors import UsageError, scrub

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
