"""Rows become Arrow tables with an explicit schema, in batches, for dlt."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import pyarrow as pa

from pipelines.transform.schemas import LISTING_SCHEMA, RAW_TABLES, TAG_SCHEMA

TableBatch = tuple[str, pa.Table]


def arrow(table: str, rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=RAW_TABLES[table])


def arrow_batches(table: str, rows: Iterable[dict[str, Any]]) -> Iterator[TableBatch]:
    """`rows` as Arrow tables of at most BATCH_ROWS rows: dlt writes an item as one Parquet
    row group at least, and DuckDB reads a row group into memory whole (a 300k-row one
    needed 19 MiB at once, more than its memory limit had left)."""
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == BATCH_ROWS:
            yield table, arrow(table, chunk)
            chunk = []
    if chunk:
        yield table, arrow(table, chunk)


def listing_tables(
    scope: str, changes: Iterable[tuple[str, bool]], observed_at: datetime, run_id: str
) -> Iterator[TableBatch]:
    """The model_listings rows of `changes` (model id, listed), in tables of at most
    BATCH_ROWS rows (see arrow_batches), built as columns: a first load lists every model,
    and the scope, time and run are the same on every row."""
    changes = iter(changes)
    while chunk := list(itertools.islice(changes, BATCH_ROWS)):
        count = len(chunk)
        yield (
            "model_listings",
            pa.Table.from_arrays(
                [
                    pa.repeat(pa.scalar(scope, pa.string()), count),
                    pa.array([m for m, _ in chunk], pa.string()),
                    pa.array([listed for _, listed in chunk], pa.bool_()),
                    pa.repeat(
                        pa.scalar(observed_at, LISTING_SCHEMA.field("observed_at").type), count
                    ),
                    pa.repeat(pa.scalar(run_id, pa.string()), count),
                ],
                schema=LISTING_SCHEMA,
            ),
        )


def missing_tables(made: set[str]) -> Iterator[TableBatch]:
    """An empty table for each raw table not `made` yet: dlt creates it, views rely on it."""
    for name in RAW_TABLES:
        if name not in made:
            yield name, arrow(name, [])


def failed_run_batches(made: set[str], load_run_row: dict[str, Any]) -> Iterator[TableBatch]:
    """What a failed load writes: its load_runs row, and nothing of the catalogue."""
    yield from missing_tables(made)
    yield "load_runs", arrow("load_runs", [load_run_row])


# Rows (tags not counted: a model has several, and they are cheap columns) are handed to dlt
# in batches of about this many: dlt's cost is per item, so one Arrow table per page would
# spend more time in dlt than in our code.
BATCH_ROWS = 2000
BATCHED_TABLES = (
    "model_versions",
    "quarantine",
    "data_quality",
    "model_performance",
)


class TagColumns:
    """The model_tags rows of a batch as columns: one tag row per (model, position), all of
    one observation time (a run's), so no dict per tag and no time value per tag is built."""

    def __init__(self, observed_at: datetime) -> None:
        self.observed_at = observed_at
        self.model_ids: list[str] = []
        self.positions: list[int] = []
        self.tags: list[str] = []

    def add(self, model_id: str, tags: list[str]) -> None:
        count = len(tags)
        if count:
            self.model_ids += [model_id] * count
            self.positions += range(count)
            self.tags += tags

    def __len__(self) -> int:
        return len(self.tags)

    def table(self) -> pa.Table:
        observed = pa.scalar(self.observed_at, TAG_SCHEMA.field("observed_at").type)
        return pa.Table.from_arrays(
            [
                pa.array(self.model_ids, pa.string()),
                pa.repeat(observed, len(self.tags)),
                pa.array(self.positions, pa.int64()),
                pa.array(self.tags, pa.string()),
            ],
            schema=TAG_SCHEMA,
        )


class PendingRows:
    """Rows waiting to become Arrow tables, per table; the tags as columns."""

    def __init__(self, observed_at: datetime) -> None:
        self.observed_at = observed_at
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in BATCHED_TABLES}
        self.tags = TagColumns(observed_at)

    def flush(self, at_least: int) -> Iterator[TableBatch]:
        """Arrow tables of the waiting rows, once there are `at_least` of them (0: always)."""
        if sum(len(rows) for rows in self.rows.values()) < at_least:
            return
        for name, rows in self.rows.items():
            if rows:
                yield name, arrow(name, rows)
                self.rows[name] = []
            if name == "model_versions" and self.tags:
                yield "model_tags", self.tags.table()
                self.tags = TagColumns(self.observed_at)
