"""`iomodels query`: run SQL against the loaded data and views. Never imports dlt (start-up)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from pipelines.errors import BusyError, UsageError
from pipelines.settings import DUCKDB_FILE, PARQUET_VIEWS_FILE


def database_file(destination: str, data_dir: Path) -> Path:
    name = DUCKDB_FILE if destination == "duckdb" else PARQUET_VIEWS_FILE
    return data_dir / name


def connect(destination: str, data_dir: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection: readers never block a load (loads write a copy)."""
    path = database_file(destination, data_dir)
    if not path.exists():
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


def run_query(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> tuple[list[str], list[tuple[Any, ...]]]:
    try:
        cursor = con.execute(sql, params or [])
    except duckdb.Error as exc:
        first_line = str(exc).strip().splitlines()[0]
        raise UsageError(f"query failed: {first_line}") from None
    if cursor.description is None:
        return [], []
    return [d[0] for d in cursor.description], cursor.fetchall()


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
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
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
