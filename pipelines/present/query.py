"""`iomodels query`: run SQL against the loaded data and views. Never imports dlt (start-up)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from pipelines.errors import UsageError
from pipelines.present.connect import Connection, connect, database_errors, database_file
from pipelines.transform.numbers import plain

__all__ = ["FORMATTERS", "connect", "database_file", "run_query", "run_statement"]


def run_query(
    con: Connection, sql: str, params: list[Any] | None = None
) -> tuple[list[str], list[tuple[Any, ...]]]:
    columns, _, rows = run_statement(con, sql, params)
    return columns, rows


def run_statement(
    con: Connection, sql: str, params: list[Any] | None = None
) -> tuple[list[str], list[str], list[tuple[Any, ...]]]:
    """(column names, their types, rows) of exactly one SQL statement (DuckDB counts the
    statements; on Postgres the server runs what it is given)."""
    try:
        extract = getattr(con, "extract_statements", None)
        count = len(extract(sql)) if extract else 1
        if count != 1:
            raise UsageError(
                "nothing to run: the SQL is empty"
                if count == 0
                else f"query runs one statement at a time, and this SQL has {count}"
            )
        cursor = con.execute(sql, params or [])
    except database_errors() as exc:
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise UsageError(f"query failed: {first_line}") from None
    if cursor.description is None:
        return [], [], []
    names = [d[0] for d in cursor.description]
    types = [str(d[1]) for d in cursor.description]
    return names, types, [tuple(r) for r in cursor.fetchall()]


# The views' columns that hold JSON as text (the same text on every engine): decoded for JSON
# output by name, since their type says varchar.
JSON_TEXT_COLUMNS = frozenset({"tags", "extra_fields"})


def decode_json_columns(
    names: list[str], types: list[str], rows: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """JSON columns (tags, extra_fields) as the values they hold, not as text: in JSON output
    `tags` is then a list, not a string that holds one."""
    json_at = [
        i
        for i, (name, t) in enumerate(zip(names, types, strict=True))
        if t.upper() == "JSON" or name in JSON_TEXT_COLUMNS
    ]
    if not json_at:
        return rows
    decoded = []
    for row in rows:
        values = list(row)
        for i in json_at:
            if isinstance(values[i], str):
                with contextlib.suppress(ValueError):  # not JSON after all: keep the text
                    values[i] = json.loads(values[i])
        decoded.append(tuple(values))
    return decoded


def json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def to_json(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    records = [{c: json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows]
    return json.dumps(records, indent=2, default=str)


def to_csv(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[json_value(v) for v in row] for row in rows])
    return out.getvalue().removesuffix("\n")  # print() adds the last line end


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def to_table(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    """Aligned plain text: numbers right-aligned, one header rule, a row count."""
    cells = [[cell_text(v) for v in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    numeric = [
        bool(rows) and all(isinstance(r[i], int | float | Decimal) or r[i] is None for r in rows)
        for i in range(len(columns))
    ]

    def line(values: list[str]) -> str:
        parts = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out = [line(columns), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in cells)
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


FORMATTERS = {"table": to_table, "csv": to_csv, "json": to_json}
