"""DuckDB: dlt loads into a copy of the file, views are created in the copy, and the copy then
atomically replaces the file. Readers (BI tools) holding the old file keep reading it, are
never blocked by a load and never block one, and never see half a load.

Every published DuckDB file is in DuckDB 1.2's storage format (READER_STORAGE_VERSION), so
BI tools on DuckDB 1.x can open it: a first load creates it so, and a file of 2.0's format
(written by an older iomodels) is rewritten so. A file whose blocks are mostly free is
rewritten compactly too, so it does not grow with the number of loads.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from pipelines.errors import BusyError
from pipelines.settings import (
    DUCKDB_FILE,
    DUCKDB_MEMORY_LIMIT,
    READER_STORAGE_VERSION,
)
from pipelines.store.targets.base import Fetch, Holding, Reconnect, Target, replace_file
from pipelines.store.targets.base import read_prior as read_prior_with
from pipelines.store.targets.duckdb_views import ensure_views
from pipelines.transform.history import Prior

log = logging.getLogger("iomodels")


def fetch_from(con: duckdb.DuckDBPyConnection) -> Fetch:
    """A Fetch on `con` whose rows come a chunk at a time (never all as Python at once)."""

    def fetch(sql: str) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
        cursor = con.execute(sql)

        def rows() -> Iterator[tuple[Any, ...]]:
            while chunk := cursor.fetchmany(FETCH_ROWS):
                yield from chunk

        return [d[0] for d in cursor.description], rows()

    return fetch


FETCH_ROWS = 10_000


def read_prior(con: duckdb.DuckDBPyConnection, reconnect: Reconnect) -> Holding:
    return read_prior_with(fetch_from(con), reconnect)


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# A published file is rewritten compactly once this share of its blocks is free (left by
# rewritten tables), so it cannot grow with the number of loads; an unchanged load frees
# a few blocks that the next one reuses, so rewriting every time would only cost time and
# memory (a 100k-model catalogue copies in ~10 s at ~300 MiB).
# A small file (a real catalogue's is ~2 MiB) is rewritten on every load but the first: it
# copies in ~60 ms and is then exactly as large as its data, where updating it in place leaves
# it one to three 256 KiB blocks larger, by chance. A first load fills a new, empty file once,
# which leaves it as compact as a copy would be (the same size, to the block).
COMPACT_FREE_SHARE = 0.25
COMPACT_MIN_FREE_BLOCKS = 16  # 4 MiB: a large file is compact enough below this
COMPACT_SMALL_FILE_BLOCKS = 64  # 16 MiB

# dlt raises DuckDB's checkpoint_threshold to 1 GB. Past the threshold DuckDB writes a large
# insert straight into the file as compressed row groups; below it, the rows go to the
# write-ahead log uncompressed and are compressed by the next checkpoint: at 100k models a
# 95 MB log, and a 0.7 s checkpoint at publish after a 0.9 s insert, against a 1.2 s insert
# and a 0.06 s checkpoint at DuckDB's own 16 MiB (the same Parquet files, one process).
DLT_PRAGMAS = ("checkpoint_threshold = '16MiB'",)


def open_for_readers(path: Path) -> duckdb.DuckDBPyConnection:
    """A connection whose default database is a new file at `path` in the 1.x format."""
    path.unlink(missing_ok=True)
    con = duckdb.connect()
    con.execute(
        f"attach {_sql_text(str(path))} as published "
        f"(storage_version {_sql_text(READER_STORAGE_VERSION)})"
    )
    con.execute("use published")
    return con


def copy_for_readers(source: Path, path: Path) -> None:
    """A compact copy of `source` (tables, views, macros) at `path`, readable by DuckDB 1.2+."""
    with open_for_readers(path) as con:
        con.execute(f"attach {_sql_text(str(source))} as source (read_only)")
        con.execute("copy from database source to published")
        con.execute("detach source")
        con.execute("checkpoint published")


def needs_rewrite(con: duckdb.DuckDBPyConnection, *, filled_once: bool = False) -> bool:
    """True if the open database is not in the readers' format, is small (unless it is a new
    file `filled_once`, by a first load), or is mostly free blocks."""
    row = con.execute(
        "select tags['storage_version'] from duckdb_databases() "
        "where database_name = current_database()"
    ).fetchone()
    version = str(row[0] if row else "")
    if not version.startswith(READER_STORAGE_VERSION):
        return True
    size = con.execute(
        "select total_blocks, free_blocks from pragma_database_size() "
        "where database_name = current_database()"
    ).fetchone()
    total, free = (int(size[0]), int(size[1])) if size else (0, 0)
    if total <= COMPACT_SMALL_FILE_BLOCKS and not filled_once:
        return True
    return free >= COMPACT_MIN_FREE_BLOCKS and free > COMPACT_FREE_SHARE * total


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


class DuckDBTarget(Target):
    name = "duckdb"
    _first_load = False  # no published file before this load (set by prepare)
    _con: duckdb.DuckDBPyConnection | None = None  # the load's connection (see _connection)

    def __init__(self, data_dir: Path, memory_limit: str = DUCKDB_MEMORY_LIMIT) -> None:
        super().__init__(data_dir)
        self.memory_limit = memory_limit  # DuckDB's size syntax, checked by config.py

    @property
    def location(self) -> str:
        return str(self.query_file)

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
        self._first_load = not self.query_file.exists()
        if not self._first_load:
            shutil.copyfile(self.query_file, self.staged_file)
        # else the load's connection makes the file, in the readers' format (_connection)

    def read_prior(self) -> Holding:
        # a first load has no staged file yet: nothing to open and read
        if self._first_load or not self.staged_file.exists():
            return Holding(Prior.empty(), set())
        # its own connection, closed before the extract: what DuckDB cached while reading the
        # history is freed before the catalogue's batches are made
        with duckdb.connect(str(self.staged_file), config=self.duckdb_config()) as con:
            return read_prior(con, self._reconnect)

    @contextmanager
    def _reconnect(self) -> Iterator[Fetch]:
        """The staged file again, during the extract: a cursor of the load's connection."""
        with self._connection().cursor() as con:
            yield fetch_from(con)

    def _connection(self) -> duckdb.DuckDBPyConnection:
        """The load's one connection to the staged file, from the extract to the views.

        dlt closes a connection it opened whenever no job holds one: a real-size load opened
        the file and checkpointed it on close twice in dlt's load step, and a large load (jobs
        one at a time) once per job, 13 opens and 11 checkpoints at 100k models; the views
        opened it once more. Each open or close cost ~20-35 ms here. dlt borrows cursors of
        this connection and never closes it (it is not dlt's): the file is checkpointed by
        publish and closed once. A first load's file is made here, new, in the format 1.x
        readers open."""
        if self._con is None:
            config = self.duckdb_config()
            if not self.staged_file.exists():
                config["storage_compatibility_version"] = READER_STORAGE_VERSION
            self._con = duckdb.connect(str(self.staged_file), config=config)
        return self._con

    def _close(self) -> None:
        con, self._con = self._con, None
        if con is not None:
            con.close()

    def dlt_destination(self) -> Any:
        import dlt
        from dlt.common.configuration import resolve_configuration
        from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials

        # Resolved here, once (from the same places dlt looks): dlt resolves its destination's
        # settings again for every job and table, and credentials given as a bare connection
        # would then ask DuckDB for the connection's file each time (~2 ms, 38 times).
        credentials = resolve_configuration(
            DuckDbCredentials(self._connection()), sections=("destination", "duckdb")
        )
        # after dlt's own settings, which it applies each time it borrows the connection
        credentials.pragmas = [*(credentials.pragmas or []), *DLT_PRAGMAS]
        # a large load runs its jobs one at a time (store/load.py, LOAD_ONE_JOB_AT_A_TIME)
        return dlt.destinations.duckdb(credentials=credentials)

    def restage(self) -> None:
        """Start over from the published file: a load that stopped mid-way may have written
        part of its rows into the staged copy, and those must never be published. The next
        connection opens the new copy (a first load's: a new, empty file)."""
        self._close()
        self.staged_file.unlink(missing_ok=True)
        self.staged_file.with_name(self.staged_file.name + ".wal").unlink(missing_ok=True)
        if self.query_file.exists():
            shutil.copyfile(self.query_file, self.staged_file)

    def duckdb_config(self) -> dict[str, Any]:
        """Settings of every connection that reads or writes the staged file.

        DuckDB keeps what it has written in memory up to its memory_limit (80% of RAM by
        default): ~450 MiB more for a 100k-model load. Past the limit it writes those buffers
        out (to `<file>.tmp`, inside the staging folder) instead. What it cannot write out is
        what one operation pins at once, which must stay well below the limit whatever the
        catalogue's size: one thread, no insertion order, one load job at a time
        (dlt_destination), Parquet row groups of a few thousand rows (transform/batches.py),
        and no dictionary compression. In the 1.2 storage format readers need, dictionary
        compression analyses a whole row group of strings at once: inserting 300k realistic
        models then needed 100-110 MB (it failed under 96); without it 48-64 MB, and strings
        are still compressed (FSST; the file is ~30% larger). IOMODELS_DUCKDB_MEMORY changes
        the limit. The temporary directory is DuckDB's default: dlt sets these on each
        connection it opens, and a temporary directory cannot be set again once used.
        """
        return {
            "preserve_insertion_order": False,
            "memory_limit": self.memory_limit,
            "threads": 1,
            "disabled_compression_methods": "dictionary",
        }

    @contextmanager
    def staged_views(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._connection().cursor() as con:
            ensure_views(con)
            con.execute("set TimeZone = 'UTC'")
            yield con

    def publish(self) -> None:
        con = self._connection()
        ensure_views(con)  # unless this file has them already (an unchanged load)
        con.execute("checkpoint")
        rewrite = needs_rewrite(con, filled_once=self._first_load)
        self._close()  # the file is complete and closed before it is copied or moved
        published = self.staged_file
        if rewrite:  # a file of DuckDB 2.0's own format (older loads), or a loose one
            published = self.staging_dir / f"published-{DUCKDB_FILE}"
            copy_for_readers(self.staged_file, published)
        _check_not_held_for_writing(self.query_file)  # again: a writer may have come meanwhile
        replace_file(published, self.query_file)

    def discard(self) -> None:
        self._close()
        super().discard()
