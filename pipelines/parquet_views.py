"""Views named like dlt's tables (`io_intelligence.*`) over the Parquet files of completed loads.

With them, the analytics views in sql/ run unchanged on both destinations. A load's files
count only once dlt has recorded the load in `_dlt_loads`, so a killed load stays invisible.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines.schemas import RAW_TABLES
from pipelines.settings import DATASET

_DUCKDB_TYPES = {
    pa.string(): "varchar",
    pa.int64(): "bigint",
    pa.bool_(): "boolean",
    pa.timestamp("us", tz="UTC"): "timestamptz",
}


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _empty_select(schema: pa.Schema) -> str:
    columns = ", ".join(f"null::{_DUCKDB_TYPES[f.type]} as {f.name}" for f in schema)
    return f"select {columns}, null::varchar as _dlt_load_id where false"


def create_raw_views(con: duckdb.DuckDBPyConnection, bucket: Path) -> None:
    dataset = bucket / DATASET
    con.execute(f"create schema if not exists {DATASET}")
    loads = dataset / "_dlt_loads"
    if any(loads.glob("*.jsonl")):
        completed = (
            f"select load_id from read_json({_quote(loads / '*.jsonl')}, "
            "columns = {load_id: 'varchar', status: 'bigint'}) where status = 0"
        )
    else:
        completed = "select null::varchar as load_id where false"
    con.execute(f"create or replace view {DATASET}._completed_loads as {completed}")
    for table, schema in RAW_TABLES.items():
        files = dataset / table
        if any(files.glob("*.parquet")):
            body = (
                f"select * from read_parquet({_quote(files / '*.parquet')}, union_by_name = true) "
                f"where _dlt_load_id in (select load_id from {DATASET}._completed_loads)"
            )
        else:
            body = _empty_select(schema)
        con.execute(f"create or replace view {DATASET}.{table} as {body}")
