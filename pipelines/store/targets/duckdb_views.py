"""A DuckDB file's views, made again only when what they are made from changed.

Creating the ~30 views binds every query (~60-80 ms a load); an unchanged load would make
exactly the same views again. What they are made from: the `.sql` files (their text, in
creation order) and the raw tables' columns (dlt adds a column when the catalogue gains a
field, and a view must then be bound again). A key of both is kept as the comment of one
staging view, set in the transaction that creates the views (CREATE OR REPLACE clears it, so a
view made again by hand makes the next load make them all again).
"""

from __future__ import annotations

import hashlib

import duckdb

from pipelines.settings import DATASET
from pipelines.store.views import apply_views, creation_order, sql_files

ENGINE = "duckdb"
KEY_PREFIX = "iomodels views "  # the comment's text: what the key is, for whoever reads it


def _columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    # duckdb_columns(): the same rows as information_schema.columns, a quarter of the time
    rows = con.execute(
        "select table_name, column_name, data_type from duckdb_columns() "
        "where schema_name = ? order by table_name, column_index",
        [DATASET],
    ).fetchall()
    return [(str(t), str(c), str(d)) for t, c, d in rows]


def views_key(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """(the view that keeps the key, the key) for the views this file should have now."""
    files = creation_order(sql_files(ENGINE))
    digest = hashlib.sha256()
    for f in files:
        digest.update(f"{f.creates}\n".encode())
        digest.update(f.path.read_bytes())
    for column in _columns(con):
        digest.update(repr(column).encode())
    keeper = next(f.creates for f in files if f.layer == "staging")
    return keeper, KEY_PREFIX + digest.hexdigest()[:32]


def _kept_key(con: duckdb.DuckDBPyConnection, keeper: str) -> str | None:
    schema, name = keeper.split(".")
    row = con.execute(
        "select comment from duckdb_views() where schema_name = ? and view_name = ?",
        [schema, name],
    ).fetchone()
    return str(row[0]) if row and row[0] is not None else None


def ensure_views(con: duckdb.DuckDBPyConnection) -> bool:
    """Make the views unless the file already has these very views; True if it made them."""
    keeper, key = views_key(con)
    if _kept_key(con, keeper) == key:
        return False
    apply_views(con, ENGINE, then=[f"comment on view {keeper} is '{key}'"])
    return True
