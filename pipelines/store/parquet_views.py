"""Views named like dlt's tables (`io_intelligence.*`) over the Parquet files of completed loads.

With them, the analytics views in sql/ run unchanged on both destinations. A load's files
count only once dlt has recorded the load in `_dlt_loads`: the views name those files one by
one, so a file still being written by a running load, or left half-written by a killed one,
is never opened (the next load deletes such orphans under its lock).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines.settings import DATASET
from pipelines.transform.schemas import RAW_TABLES

_DUCKDB_TYPES = {
    pa.string(): "varchar",
    pa.int64(): "bigint",
    pa.bool_(): "boolean",
    pa.float64(): "double",
    pa.date32(): "date",
    pa.timestamp("us", tz="UTC"): "timestamptz",
}


def _quote(path: Path) -> str:
    return _quote_text(str(path))


def _quote_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _empty_select(schema: pa.Schema) -> str:
    columns = ", ".join(f"null::{_DUCKDB_TYPES[f.type]} as {f.name}" for f in schema)
    return f"select {columns}, null::varchar as _dlt_load_id where false"


def completed_loads(dataset: Path) -> dict[str, str | None]:
    """Load ids dlt recorded as complete (status 0), with the time it recorded each (ISO
    text); an unreadable line counts as not complete."""
    done: dict[str, str | None] = {}
    for path in (dataset / "_dlt_loads").glob("*.jsonl"):
        for line in path.read_text().splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and record.get("status") == 0:
                inserted = record.get("inserted_at")
                done[str(record.get("load_id"))] = inserted if isinstance(inserted, str) else None
    return done


def _loads_select(completed: dict[str, str | None]) -> str:
    """`_dlt_loads` as the database destinations have it: the columns the views read."""
    if not completed:
        return (
            "select null::varchar as load_id, null::bigint as status, "
            "null::timestamptz as inserted_at where false"
        )
    rows = ", ".join(
        f"({_quote_text(load_id)}, 0, "
        + (f"cast({_quote_text(at)} as timestamptz)" if at else "null::timestamptz")
        + ")"
        for load_id, at in sorted(completed.items())
    )
    return f"select * from (values {rows}) as loads(load_id, status, inserted_at)"


def load_id_of(path: Path) -> str:
    """dlt names the files `{load_id}.{file_id}.parquet`, and a load id has one dot itself."""
    return path.name.rsplit(".", 2)[0]


def table_files(
    dataset: Path, table: str, completed: Collection[str]
) -> tuple[list[Path], list[Path]]:
    """(files of completed loads, files of loads never completed) of one raw table."""
    done: list[Path] = []
    orphans: list[Path] = []
    for path in sorted((dataset / table).glob("*.parquet")):
        (done if load_id_of(path) in completed else orphans).append(path)
    return done, orphans


def create_raw_views(con: duckdb.DuckDBPyConnection, bucket: Path) -> set[str]:
    """Create the views; returns the raw tables that have files (the others are empty views)."""
    dataset = bucket / DATASET
    with_files = set()
    completed = completed_loads(dataset)
    con.execute(f"create schema if not exists {DATASET}")
    for table, schema in RAW_TABLES.items():
        files, _ = table_files(dataset, table, completed)
        if files:
            with_files.add(table)
            listed = ", ".join(_quote(f) for f in files)
            body = f"select * from read_parquet([{listed}], union_by_name = true)"
        else:
            body = _empty_select(schema)
        con.execute(f"create or replace view {DATASET}.{table} as {body}")
    con.execute(f"create or replace view {DATASET}._dlt_loads as {_loads_select(completed)}")
    return with_files


def remove_orphans(bucket: Path) -> list[Path]:
    """Delete the files of loads that never completed (killed ones); call under the load lock."""
    dataset = bucket / DATASET
    completed = completed_loads(dataset)
    removed = []
    for table in RAW_TABLES:
        for path in table_files(dataset, table, completed)[1]:
            path.unlink()
            removed.append(path)
    return removed


def points_at(con: duckdb.DuckDBPyConnection, bucket: Path) -> bool:
    """Whether the raw views of an open views file read the files under `bucket`.

    The views name each file by its absolute path (BI tools open the file as it is), so a data
    dir that was moved or copied keeps views that read the old place, or nothing."""
    prefix = _quote(bucket / DATASET)[:-1]  # the quoted path, without its closing quote
    rows = con.execute(
        "select sql from duckdb_views() where schema_name = ? and sql like '%read_parquet%'",
        [DATASET],
    ).fetchall()
    return all(prefix in sql for (sql,) in rows)


def views_in_memory(bucket: Path) -> duckdb.DuckDBPyConnection:
    """Every view over the completed loads' files under `bucket`, in an in-memory database:
    what a load will publish, or what readers need when the views file points elsewhere."""
    from pipelines.store.views import apply_views

    con = duckdb.connect()
    try:
        create_raw_views(con, bucket)
        apply_views(con)
        con.execute("set TimeZone = 'UTC'")
    except BaseException:
        con.close()
        raise
    return con
