"""Create the analytics views from the `.sql` files: one view per file, applied in name order.

Imports no dlt: it only needs DuckDB, and runs after every load on both destinations.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.settings import DATASET

_PACKAGE = Path(__file__).resolve().parents[1]  # pipelines/


def sql_dir() -> Path:
    """`sql/` at the repository root (editable install) or inside the installed package."""
    for candidate in (_PACKAGE.parent / "sql", _PACKAGE / "sql"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the sql/ folder of view definitions is missing")


def view_files() -> list[Path]:
    return sorted(sql_dir().glob("*.sql"))


def apply_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """(Re)create every analytics view; idempotent. Returns the files applied."""
    con.execute("create schema if not exists analytics")
    applied = []
    for path in view_files():
        con.execute(path.read_text())
        applied.append(path.stem)
    return applied


def raw_table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [DATASET, table],
    ).fetchone()
    return bool(row and row[0])
