"""The first rows of a view in an order, and how many rows it has in all, in one query.

The reports show top-N lists with "and N more": at 50,000 models, fetching every row into
Python to keep ten cost more than the rest of the report. `count(*) over ()` is computed
before `order by ... limit`, so one query on either engine gives both. Never imports dlt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipelines.present.connect import Connection
from pipelines.present.query import run_query

Record = dict[str, Any]
TOTAL = "total_rows"  # the count's column, taken off the rows


@dataclass(frozen=True)
class Top:
    """The first rows of a ranking or a list, and how many rows it has in all."""

    rows: list[Record]
    total: int

    @property
    def left_out(self) -> int:
        return max(self.total - len(self.rows), 0)


def records(con: Connection, sql: str, params: list[Any] | None = None) -> list[Record]:
    columns, rows = run_query(con, sql, params)
    return [dict(zip(columns, row, strict=True)) for row in rows]


def top_rows(
    con: Connection, sql: str, params: list[Any] | None = None
) -> tuple[list[str], list[tuple[Any, ...]], int]:
    """Columns and rows of `sql`, whose last column is the count (TOTAL), without it; and
    the count (0 without rows)."""
    columns, rows = run_query(con, sql, params)
    total = int(rows[0][-1]) if rows else 0
    return columns[:-1], [row[:-1] for row in rows], total


def top(
    con: Connection,
    columns: str,
    source: str,
    order: str,
    limit: int,
    where: str = "",
    params: list[Any] | None = None,
) -> Top:
    """The first `limit` rows of `source` (a view, or a table macro's call) in `order`."""
    sql = (
        f"select {columns}, count(*) over () as {TOTAL} from {source}"
        + (f" where {where}" if where else "")
        + f" order by {order} limit {int(limit)}"
    )
    names, rows, total = top_rows(con, sql, params)
    return Top([dict(zip(names, row, strict=True)) for row in rows], total)
