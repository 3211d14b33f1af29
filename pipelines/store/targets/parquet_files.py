"""Parquet: dlt's filesystem destination appends files; a load becomes visible when dlt records
it in `_dlt_loads`, because the views read only the files of completed loads. The small DuckDB
file of views is rebuilt beside and swapped in the same way as the DuckDB destination's file."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from pipelines.settings import PARQUET_DIR, PARQUET_VIEWS_FILE
from pipelines.store.parquet_views import create_raw_views, remove_orphans, views_in_memory
from pipelines.store.targets.base import Fetch, Holding, Target, replace_file
from pipelines.store.targets.duckdb_file import (  # noqa: F401
    _check_not_held_for_writing,
    copy_for_readers,
    fetch_from,
    needs_rewrite,
    open_for_readers,
    read_prior,
)
from pipelines.store.views import apply_views

log = logging.getLogger("iomodels")


class ParquetTarget(Target):
    name = "parquet"

    @property
    def location(self) -> str:
        return str(self.query_file)

    @property
    def query_file(self) -> Path:
        return self.data_dir / PARQUET_VIEWS_FILE

    @property
    def bucket(self) -> Path:
        return self.data_dir / PARQUET_DIR

    def prepare(self) -> None:
        super().prepare()
        for orphan in remove_orphans(self.bucket):
            log.warning("removed %s, left by a load that did not complete", orphan.name)

    def read_prior(self) -> Holding:
        with duckdb.connect() as con:
            with_files = create_raw_views(con, self.bucket)
            # the views stand in for every table; only tables with files exist for dlt
            return read_prior(con, self._reconnect)._replace(made_tables=with_files)

    @contextmanager
    def _reconnect(self) -> Iterator[Fetch]:
        """The published files again, during the extract (dlt writes files only to load)."""
        with duckdb.connect() as con:
            create_raw_views(con, self.bucket)
            yield fetch_from(con)

    def dlt_destination(self) -> Any:
        import dlt

        self.bucket.mkdir(parents=True, exist_ok=True)
        return dlt.destinations.filesystem(bucket_url=str(self.bucket.resolve()))

    @contextmanager
    def staged_views(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with views_in_memory(self.bucket.resolve()) as con:
            yield con

    def publish(self) -> None:
        staged = self.staging_dir / PARQUET_VIEWS_FILE
        with open_for_readers(staged) as con:
            create_raw_views(con, self.bucket.resolve())
            apply_views(con)
            con.execute("checkpoint published")
        replace_file(staged, self.query_file)
