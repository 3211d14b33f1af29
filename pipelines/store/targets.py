"""Where a load writes, and how it becomes visible to readers all at once.

DuckDB: dlt loads into a copy of the file, views are created in the copy, and the copy then
atomically replaces the file. Readers (BI tools) holding the old file keep reading it, are
never blocked by a load and never block one, and never see half a load.

Parquet: dlt's filesystem destination appends files; a load becomes visible when dlt records
it in `_dlt_loads`, because the views read only the files of completed loads. The small DuckDB
file of views is rebuilt beside and swapped in the same way as the DuckDB destination's file.
"""

from __future__ import annotations

import logging
import os
import shutil
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

import duckdb

from pipelines.errors import BusyError
from pipelines.settings import DATASET, DUCKDB_FILE, PARQUET_DIR, PARQUET_VIEWS_FILE, STAGING_DIR
from pipelines.store.parquet_views import create_raw_views, remove_orphans
from pipelines.store.views import apply_views
from pipelines.transform.history import LATEST_VERSIONS_SQL, Prior

log = logging.getLogger("iomodels")


def read_prior(con: duckdb.DuckDBPyConnection) -> Prior:
    tables = {
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables where table_schema = ?", [DATASET]
        ).fetchall()
    }
    if "model_versions" not in tables:
        return Prior({}, tables)
    return Prior.from_rows(con.execute(LATEST_VERSIONS_SQL).fetchall(), tables)


def _replace(staged: Path, live: Path) -> None:
    os.replace(staged, live)
    dir_fd = os.open(live.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # make the rename itself durable
    finally:
        os.close(dir_fd)


def _check_not_held_for_writing(path: Path) -> None:
    """A process holding the file read-write would lose its writes to the swap: refuse."""
    if not path.exists():
        return
    try:
        duckdb.connect(str(path), read_only=True).close()
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise
        raise BusyError(
            f"{path} is open for writing by another process; close it (read-only readers are "
            "fine) and try again"
        ) from None


class Target(ABC):
    """A destination as a load sees it: prepare, read what is there, hand dlt a place, publish."""

    name: str

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.staging_dir = data_dir / STAGING_DIR

    @property
    @abstractmethod
    def query_file(self) -> Path:
        """The DuckDB file that `iomodels query` and BI tools open."""

    def prepare(self) -> None:
        shutil.rmtree(self.staging_dir, ignore_errors=True)  # leftovers of a killed load
        self.staging_dir.mkdir(parents=True)

    @abstractmethod
    def read_prior(self) -> Prior: ...

    @abstractmethod
    def dlt_destination(self) -> Any: ...

    @abstractmethod
    def publish(self) -> None: ...

    def discard(self) -> None:
        shutil.rmtree(self.staging_dir, ignore_errors=True)


class DuckDBTarget(Target):
    name = "duckdb"

    @property
    def query_file(self) -> Path:
        return self.data_dir / DUCKDB_FILE

    @property
    def staged_file(self) -> Path:
        return self.staging_dir / DUCKDB_FILE

    def prepare(self) -> None:
        super().prepare()
        _check_not_held_for_writing(self.query_file)
        if self.query_file.with_name(self.query_file.name + ".wal").exists():
            # a writer that crashed left changes in the write-ahead log; fold them into the
            # file first, or the copy would lack them (nobody holds the file: checked above)
            with duckdb.connect(str(self.query_file)) as con:
                con.execute("checkpoint")
        if self.query_file.exists():
            shutil.copyfile(self.query_file, self.staged_file)

    def read_prior(self) -> Prior:
        if not self.staged_file.exists():
            return Prior.empty()
        with duckdb.connect(str(self.staged_file)) as con:
            return read_prior(con)

    def dlt_destination(self) -> Any:
        import dlt

        # dlt's connection only inserts: a small buffer pool keeps peak memory flat as the
        # catalogue grows (232 MiB at 100k models instead of 340), and insertion order carries
        # no meaning here (versions are ordered by observed_at), so DuckDB need not keep it.
        credentials = {
            "database": str(self.staged_file),
            "global_config": {"preserve_insertion_order": False, "memory_limit": "32MB"},
        }
        return dlt.destinations.duckdb(credentials=credentials)

    def publish(self) -> None:
        with duckdb.connect(str(self.staged_file)) as con:
            apply_views(con)
            con.execute("checkpoint")
        _check_not_held_for_writing(self.query_file)  # again: a writer may have come meanwhile
        _replace(self.staged_file, self.query_file)


class ParquetTarget(Target):
    name = "parquet"

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

    def read_prior(self) -> Prior:
        with duckdb.connect() as con:
            with_files = create_raw_views(con, self.bucket)
            prior = read_prior(con)
        # the views stand in for every table; only tables with files exist for dlt
        prior.tables = with_files
        return prior

    def dlt_destination(self) -> Any:
        import dlt

        self.bucket.mkdir(parents=True, exist_ok=True)
        return dlt.destinations.filesystem(bucket_url=str(self.bucket.resolve()))

    def publish(self) -> None:
        staged = self.staging_dir / PARQUET_VIEWS_FILE
        with duckdb.connect(str(staged)) as con:
            create_raw_views(con, self.bucket.resolve())
            apply_views(con)
            con.execute("checkpoint")
        _replace(staged, self.query_file)


def make_target(destination: str, data_dir: Path) -> Target:
    return {"duckdb": DuckDBTarget, "parquet": ParquetTarget}[destination](data_dir)
