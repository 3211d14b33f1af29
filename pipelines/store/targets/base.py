"""What every destination does for a load: prepare, read what is there, hand dlt a place,
publish all at once (or leave the previous state), discard what is left."""

from __future__ import annotations

import contextlib
import os
import shutil
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, NamedTuple

from pipelines.settings import DATASET, STAGING_DIR
from pipelines.transform.history import (
    LATEST_PERFORMANCE_SQL,
    LATEST_VERSIONS_SQL,
    LISTED_SQL,
    CarriedReader,
    Prior,
    PriorVersion,
    carried_sql,
)

# Runs one query on a destination's connection: (column names, rows).
Fetch = Callable[[str], tuple[list[str], Iterable[tuple[Any, ...]]]]
# A connection for one more read, after read_prior's: yields its Fetch, then closes it.
Reconnect = Callable[[], AbstractContextManager[Fetch]]


class Holding(NamedTuple):
    """What a destination holds before a load: the history, and the raw tables dlt will find
    already made (a load sends the others empty, so that every view has its table)."""

    prior: Prior
    made_tables: set[str]


def read_prior(fetch: Fetch, reconnect: Reconnect) -> Holding:
    """What a destination holds before a load, by queries both engines answer alike.

    Only what decides a change is read for every model now (hash, presence, name, status);
    what a shape lacks is read through `reconnect` when a load first needs it, and only the
    columns that shape lacks (a documented-shape load reads three mostly NULL columns instead
    of every column of every model: 290 MiB of Python objects at 100k models)."""
    _, rows = fetch(
        f"select table_name from information_schema.tables where table_schema = '{DATASET}'"
    )
    tables = {r[0] for r in rows}
    return Holding(_history(fetch, reconnect, tables), tables)


def _history(fetch: Fetch, reconnect: Reconnect, tables: set[str]) -> Prior:
    if "model_versions" not in tables:
        return Prior.empty()
    _, rows = fetch(
        "select column_name from information_schema.columns "
        f"where table_schema = '{DATASET}' and table_name = 'model_versions'"
    )
    existing = {r[0] for r in rows}
    statuses: dict[str, str] = {}  # a few distinct values: one object each
    versions = {
        model_id: PriorVersion(
            row_hash, bool(present), name, statuses.setdefault(status, status) if status else status
        )
        for model_id, row_hash, present, name, status in fetch(LATEST_VERSIONS_SQL)[1]
    }
    prior = Prior(versions, _carried_reader(reconnect, existing))
    if "model_performance" in tables:
        _, rows = fetch(LATEST_PERFORMANCE_SQL)
        prior.performance = {r[0]: (r[1], r[2], r[3]) for r in rows}
    if "model_listings" in tables:
        listed: dict[str, set[str]] = {}
        for scope, model_id in fetch(LISTED_SQL)[1]:
            listed.setdefault(scope, set()).add(model_id)
        # no listing recorded yet (a destination from before listings): None, the old rule
        prior.listed = listed or None
    return prior


def _carried_reader(reconnect: Reconnect, existing: set[str]) -> CarriedReader:
    def read(columns: tuple[str, ...]) -> dict[str, dict[str, Any]]:
        # a column an older destination does not have yet is NULL for every model
        wanted = [c for c in columns if c in existing]
        if not wanted:
            return {}
        values: dict[str, dict[str, Any]] = {c: {} for c in wanted}
        with reconnect() as fetch:
            names, rows = fetch(carried_sql(wanted))
            at = [(names.index(c), values[c]) for c in wanted]
            model_id = names.index("model_id")
            for r in rows:
                for i, of_column in at:
                    if r[i] is not None:
                        of_column[r[model_id]] = r[i]
        return values

    return read


def replace_file(staged: Path, live: Path) -> None:
    os.replace(staged, live)
    dir_fd = os.open(live.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # make the rename itself durable
    finally:
        os.close(dir_fd)


class Target(ABC):
    """A destination as a load sees it: prepare, read what is there, hand dlt a place, publish."""

    name: str
    dataset_name = DATASET  # the dataset dlt loads into

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.staging_dir = data_dir / STAGING_DIR

    @property
    @abstractmethod
    def location(self) -> str:
        """Where readers find the data: a DuckDB file, or a database (never its password)."""

    def prepare(self) -> None:
        shutil.rmtree(self.staging_dir, ignore_errors=True)  # leftovers of a killed load
        self.staging_dir.mkdir(parents=True)

    @abstractmethod
    def read_prior(self) -> Holding: ...

    @abstractmethod
    def dlt_destination(self) -> Any: ...

    @abstractmethod
    def publish(self) -> None: ...

    def restage(self) -> None:  # noqa: B027 (a no-op unless the target stages a copy)
        """Make the staged data the published data again (see DuckDBTarget)."""

    def staged_views(self) -> contextlib.AbstractContextManager[Any]:
        """A connection to the loaded data as it will be published, views included: what the
        load's webhook step reads this load's changes from."""
        raise NotImplementedError(f"{self.name} cannot read a load's changes before publishing")

    def discard(self) -> None:
        shutil.rmtree(self.staging_dir, ignore_errors=True)
