"""What keeps a large load's memory flat: the prior read holds only what decides a change and
reads a shape's carried columns on demand; every table reaches dlt in bounded Arrow tables."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from pipelines.replica.synthetic import SyntheticCatalogue
from pipelines.store.targets.base import Fetch
from pipelines.store.targets.duckdb_file import fetch_from, read_prior
from pipelines.transform.batches import BATCH_ROWS
from pipelines.transform.carry import CARRIED
from pipelines.transform.catalogue_run import CatalogueRun
from pipelines.transform.history import Prior, PriorVersion
from pipelines.transform.run_stats import RunStats
from pipelines.transform.schemas import VERSION_SCHEMA
from tests.unit.test_catalogue_run import ListClient

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _version(model_id: str, at: datetime, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(VERSION_SCHEMA.names)
    row.update(model_id=model_id, name=f"org/{model_id}", observed_at=at, run_id="r")
    row.update(values)
    return row


def _destination(path: Path, rows: list[dict[str, Any]], drop: str | None = None) -> None:
    table = pa.Table.from_pylist(rows, schema=VERSION_SCHEMA)
    if drop is not None:  # a destination from before this column existed
        table = table.drop_columns([drop])
    with duckdb.connect(str(path)) as con:
        con.execute("create schema io_intelligence")
        con.register("incoming", table)
        con.execute("create table io_intelligence.model_versions as select * from incoming")


def _read(path: Path) -> Prior:
    @contextmanager
    def reconnect() -> Iterator[Fetch]:
        with duckdb.connect(str(path), read_only=True) as con:
            yield fetch_from(con)

    with duckdb.connect(str(path), read_only=True) as con:
        return read_prior(con, reconnect).prior


def test_the_prior_holds_the_latest_version_and_carries_from_the_latest_listed(
    tmp_path: Path,
) -> None:
    path = tmp_path / "d.duckdb"
    listed = dict(change="added", is_present=True, status="active", row_hash="h1")
    rows = [
        _version("a", T0, max_model_len=8192, extra_fields='{"live": {"x": 1}}', **listed),
        _version("a", T0 + timedelta(days=1), change="removed", is_present=False, row_hash="h1"),
        _version("b", T0, **{**listed, "row_hash": "h2", "status": "inactive"}),
    ]
    _destination(path, rows)
    prior = _read(path)
    assert prior.versions == {
        "a": PriorVersion("h1", False, "org/a", None),  # the tombstone decides
        "b": PriorVersion("h2", True, "org/b", "inactive"),
    }
    carried = prior.latest_values(CARRIED["documented"])
    # from a's latest listed version, not its tombstone; b has none of them: absent, not None
    assert carried == {
        "max_model_len": {"a": 8192},
        "supports_attestation": {},
        "extra_fields": {"a": '{"live": {"x": 1}}'},
    }
    assert prior.latest_values(CARRIED["documented"]) is carried  # read once per load


def test_a_column_the_destination_lacks_yet_is_null_for_every_model(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    row = _version("a", T0, change="added", is_present=True, row_hash="h1", max_model_len=1)
    _destination(path, [row], drop="supports_attestation")
    values = _read(path).latest_values(("max_model_len", "supports_attestation"))
    assert values == {"max_model_len": {"a": 1}, "supports_attestation": {}}


def _tables(models: list[dict[str, Any]], prior: Prior, stats: RunStats) -> dict[str, Any]:
    client: Any = ListClient(models)
    one_pass = CatalogueRun(client, prior, stats, page_size=100, workers=2).new_pass()
    out: dict[str, list[pa.Table]] = {}
    for name, table in one_pass.batches():
        out.setdefault(name, []).append(table)
    assert one_pass.failure is None
    return out


def test_listings_and_tombstones_reach_dlt_in_bounded_tables() -> None:
    catalogue = SyntheticCatalogue(BATCH_ROWS + 500)
    models = [catalogue.model(i) for i in range(len(catalogue))]
    stats = RunStats("run1", T0, "memory://", None)
    first = _tables(models, Prior.empty(), stats)
    ids = sorted(m["model_id"] for m in models)
    for name, tables in first.items():
        # a batch's tags are those of its models (several each): bounded by the batch too
        bounded = (
            (len(set(t["model_id"].to_pylist())) for t in tables)
            if name == "model_tags"
            else (t.num_rows for t in tables)
        )
        assert all(n <= BATCH_ROWS for n in bounded), name
    listings = [r for t in first["model_listings"] for r in t.to_pylist()]
    assert [r["model_id"] for r in listings] == ids
    assert {(r["scope"], r["listed"]) for r in listings} == {("documented/guest", True)}

    # every model but one leaves: the tombstones and the listings that end come in batches too
    versions = [r for t in first["model_versions"] for r in t.to_pylist()]
    prior = Prior(
        {
            v["model_id"]: PriorVersion(v["row_hash"], True, v["name"], v["status"])
            for v in versions
        },
        listed={"documented/guest": set(ids)},
    )
    stats = RunStats("run2", T0 + timedelta(days=1), "memory://", None)
    second = _tables(models[:1], prior, stats)
    tombstones = [r for t in second["model_versions"] for r in t.to_pylist()]
    assert len(second["model_versions"]) > 1
    assert all(t.num_rows <= BATCH_ROWS for t in second["model_versions"])
    assert sorted(r["model_id"] for r in tombstones) == sorted(m["model_id"] for m in models[1:])
    assert {r["change"] for r in tombstones} == {"removed"}
    ended = [r for t in second["model_listings"] for r in t.to_pylist()]
    assert all(t.num_rows <= BATCH_ROWS for t in second["model_listings"])
    assert len(ended) == len(models) - 1 and not any(r["listed"] for r in ended)


def test_a_large_load_runs_dlt_jobs_one_at_a_time_and_a_small_one_side_by_side() -> None:
    from pipelines.settings import DLT_LOAD_WORKERS, LOAD_ONE_JOB_AT_A_TIME
    from pipelines.store.load import _load_workers

    assert _load_workers(21) == DLT_LOAD_WORKERS
    assert _load_workers(LOAD_ONE_JOB_AT_A_TIME) == DLT_LOAD_WORKERS
    assert _load_workers(LOAD_ONE_JOB_AT_A_TIME + 1) == 1
    assert _load_workers(300_000) == 1
