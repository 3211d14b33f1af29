"""The Postgres destination: dlt loads into a schema of its own, one transaction publishes.

dlt appends to `io_intelligence_incoming`, which each load starts empty. Publishing copies those
rows into the raw tables (`io_intelligence.*`, created here from the explicit Arrow schemas)
and re-creates the views, all in one transaction: readers see the previous load or the whole
new one, never half of one, and a failed or killed load leaves the previous state. One load at
a time per database: a session advisory lock, released by the server when the session ends
(a killed load included).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pyarrow as pa

from pipelines.errors import BusyError, UsageError, scrub
from pipelines.settings import DATASET, POSTGRES_INCOMING, POSTGRES_LOCK_KEY
from pipelines.store.pg_session import PostgresConnection
from pipelines.store.targets.base import Fetch, Holding, Target, read_prior
from pipelines.store.views import SCHEMAS, apply_views
from pipelines.transform.schemas import RAW_TABLES

_TYPES = {
    pa.string(): "text",
    pa.int64(): "bigint",
    pa.bool_(): "boolean",
    pa.float64(): "double precision",
    pa.date32(): "date",
    pa.timestamp("us", tz="UTC"): "timestamptz",
}


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def safe_location(dsn: str) -> str:
    """The database a DSN names, without its password: for messages and the load summary."""
    from psycopg2.extensions import parse_dsn

    parts = parse_dsn(dsn)
    user = parts.get("user", "")
    host = parts.get("host", "localhost")
    port = parts.get("port", "5432")
    return f"postgresql://{user + '@' if user else ''}{host}:{port}/{parts.get('dbname', '')}"


def connect(dsn: str) -> Any:
    """A psycopg2 connection in UTC; a refused connection is one line without the password."""
    import psycopg2

    try:
        con = psycopg2.connect(dsn, options="-c TimeZone=UTC", connect_timeout=10)
    except psycopg2.Error as exc:
        first = scrub(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
        raise UsageError(f"cannot connect to {safe_location(dsn)}: {first}") from None
    return con


# dlt's load id on every raw row and its record of completed loads, as the DuckDB file has
# them: `analytics.load_runs` takes the time a load finished from there.
LOAD_ID = "_dlt_load_id"
DLT_LOADS = "_dlt_loads"
_DLT_LOADS_COLUMNS = (
    "load_id varchar not null, schema_name varchar, status bigint not null, "
    "inserted_at timestamptz not null, schema_version_hash varchar"
)


def create_raw_tables(cur: Any) -> None:
    """The raw tables as the Arrow schemas say (and dlt's load id); columns a newer iomodels
    added are added."""
    cur.execute(f"create schema if not exists {DATASET}")
    for table, schema in RAW_TABLES.items():
        columns = [(_ident(f.name), _TYPES[f.type]) for f in schema] + [(LOAD_ID, "varchar")]
        listed = ", ".join(f"{name} {kind}" for name, kind in columns)
        cur.execute(f"create table if not exists {DATASET}.{table} ({listed})")
        for name, kind in columns:
            cur.execute(f"alter table {DATASET}.{table} add column if not exists {name} {kind}")
    cur.execute(f"create table if not exists {DATASET}.{DLT_LOADS} ({_DLT_LOADS_COLUMNS})")


def tables_in(cur: Any, schema: str) -> set[str]:
    cur.execute(
        "select table_name from information_schema.tables where table_schema = %s", [schema]
    )
    return {row[0] for row in cur.fetchall()}


class PostgresTarget(Target):
    name = "postgres"
    dataset_name = POSTGRES_INCOMING

    def __init__(self, data_dir: Any, dsn: str, lock_wait_s: float) -> None:
        super().__init__(data_dir)
        self.dsn = dsn
        self.lock_wait_s = lock_wait_s
        self._con: Any = None

    @property
    def location(self) -> str:
        return safe_location(self.dsn)

    def prepare(self) -> None:
        super().prepare()
        self._con = connect(self.dsn)
        self._con.autocommit = True
        self._lock()
        with self._con.cursor() as cur:
            # what a failed or killed load left in the incoming schema never gets published
            cur.execute(f"drop schema if exists {POSTGRES_INCOMING} cascade")

    def _lock(self) -> None:
        deadline = time.monotonic() + self.lock_wait_s
        with self._con.cursor() as cur:
            while True:
                cur.execute("select pg_try_advisory_lock(%s)", [POSTGRES_LOCK_KEY])
                if cur.fetchone()[0]:
                    return
                if time.monotonic() >= deadline:
                    raise BusyError(
                        f"another load holds {self.location} and did not finish within "
                        f"{self.lock_wait_s:g}s; try again later"
                    )
                time.sleep(0.2)

    def read_prior(self) -> Holding:
        with self._con.cursor() as cur:

            def fetch(sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
                cur.execute(sql)
                return [d[0] for d in cur.description], cur.fetchall()

            # the incoming schema starts empty: dlt creates every table in it
            return read_prior(fetch, self._reconnect)._replace(made_tables=set())

    @contextmanager
    def _reconnect(self) -> Iterator[Fetch]:
        """The held connection again, during the extract (dlt loads on a connection of its own)."""
        with self._con.cursor() as cur:

            def fetch(sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
                cur.execute(sql)
                return [d[0] for d in cur.description], cur.fetchall()

            yield fetch

    def dlt_destination(self) -> Any:
        import dlt

        return dlt.destinations.postgres(credentials=self.dsn)

    def restage(self) -> None:
        """Before a failed load records itself: drop what dlt loaded of it so far."""
        with self._con.cursor() as cur:
            cur.execute(f"drop schema if exists {POSTGRES_INCOMING} cascade")

    def _publish_into(self, cur: Any) -> None:
        """Copy this load's rows into the raw tables and re-create the views, in the open
        transaction of `cur` (committed by publish, rolled back by staged_views)."""
        create_raw_tables(cur)
        incoming = tables_in(cur, POSTGRES_INCOMING)
        for table, schema in RAW_TABLES.items():
            if table in incoming:
                columns = ", ".join([*(_ident(f.name) for f in schema), LOAD_ID])
                cur.execute(
                    f"insert into {DATASET}.{table} ({columns}) "
                    f"select {columns} from {POSTGRES_INCOMING}.{table}"
                )
        if DLT_LOADS in incoming:
            cur.execute(
                f"insert into {DATASET}.{DLT_LOADS} "
                "select load_id, schema_name, status, inserted_at, schema_version_hash "
                f"from {POSTGRES_INCOMING}.{DLT_LOADS}"
            )
        for schema_name in SCHEMAS:  # views are re-created whole: their columns may move
            cur.execute(f"drop schema if exists {schema_name} cascade")
        apply_views(cur, "postgres")

    def publish(self) -> None:
        con = self._con
        con.autocommit = False
        try:
            with con.cursor() as cur:
                self._publish_into(cur)
                cur.execute(f"drop schema if exists {POSTGRES_INCOMING} cascade")
            con.commit()
        except BaseException:
            con.rollback()
            raise
        finally:
            con.autocommit = True

    @contextmanager
    def staged_views(self) -> Iterator[PostgresConnection]:
        """The data as publishing would leave it, seen inside a transaction that is then
        rolled back: the webhook step reads this load's changes before anything is committed,
        and what it records is loaded and published with the load."""
        con = self._con
        con.autocommit = False
        try:
            with con.cursor() as cur:
                self._publish_into(cur)
            yield PostgresConnection(con)
        finally:
            con.rollback()
            con.autocommit = True

    def discard(self) -> None:
        if self._con is not None:
            try:
                self._con.close()  # ends the session: the advisory lock goes with it
            finally:
                self._con = None
        super().discard()
