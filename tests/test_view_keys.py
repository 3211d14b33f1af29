"""Key tests of every view, in the spirit of dbt's schema tests: after a realistic sequence of
loads, each view's key columns are unique together and its required columns are never null."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import cli_environment, connect_sql, load_in_process
from tests.load_sequence import run_sequence
from tests.webhook_receiver import receiver

# view → (columns unique together, or () when the view has no key; columns never null)
VIEW_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "analytics_staging.stg_model_versions": (
        ("model_id", "observed_at"),
        ("model_id", "change", "is_present", "row_hash", "observed_at", "run_id"),
    ),
    "analytics_staging.stg_model_tags": (
        ("model_id", "observed_at", '"position"'),
        ("model_id", "observed_at", "tag"),
    ),
    "analytics_staging.stg_load_runs": (
        ("run_id",),
        ("run_id", "load_id", "started_at", "outcome"),
    ),
    "analytics_staging.stg_dlt_loads": (("load_id",), ("load_id", "loaded_at")),
    "analytics_staging.stg_model_performance": (
        ("model_id", "observed_at"),
        ("model_id", "name", "day", "observed_at", "run_id"),
    ),
    "analytics_staging.stg_data_quality": ((), ("run_id", "observed_at", "field", "problem")),
    "analytics_staging.stg_quarantine": ((), ("run_id", "observed_at", "reason", "raw_json")),
    "analytics.model_history": (
        ("model_id", "valid_from"),
        ("model_id", "name", "change", "is_present", "is_latest", "valid_from", "row_hash"),
    ),
    "analytics.listed_versions": (("model_id", "valid_from"), ("model_id", "name", "valid_from")),
    "analytics.models": (
        ("model_id",),
        ("model_id", "name", "status", "is_active", "valid_from", "first_seen_at", "last_seen_at"),
    ),
    "analytics.model_tags": ((), ("model_id", "name", "tag")),
    "analytics.catalogue_changes": (
        ("model_id", "observed_at"),
        ("model_id", "name", "change", "observed_at"),
    ),
    "analytics.catalog_changes": (
        ("model_id", "observed_at"),
        ("model_id", "name", "change", "observed_at"),
    ),
    "analytics.price_changes": (
        ("model_id", "price", "observed_at"),
        ("model_id", "name", "price", "observed_at"),
    ),
    "analytics.model_pricing": (
        ("model_id",),
        ("model_id", "name", "input_price", "output_price", "blended_price", "price_rank"),
    ),
    "analytics.quota_summary": (
        ("developer",),
        ("developer", "models", "active_models", "chat_daily_quota", "embeddings_daily_quota"),
    ),
    "analytics.quota_by_capability": (
        ("capability",),
        ("capability", "models", "total_daily_quota", "largest_daily_quota", "unit", "sort_order"),
    ),
    "analytics.pricing_summary": (
        ("developer",),
        ("developer", "priced_models", "min_input_price", "median_input_price", "cheapest_model"),
    ),
    "analytics.load_runs": (
        ("run_id",),
        ("run_id", "started_at", "finished_at", "duration_s", "outcome", "is_full"),
    ),
    "analytics.model_changes": (
        ("model_id", "observed_at", "kind", "field"),
        ("observed_at", "run_id", "model_id", "kind"),
    ),
    "analytics.quota_changes": (
        ("model_id", "quota", "observed_at"),
        ("model_id", "quota", "observed_at", "run_id"),
    ),
    "analytics_staging.stg_notifications": ((), ("run_id", "notified_at", "url", "outcome")),
    "analytics.notifications": ((), ("run_id", "notified_at", "url", "outcome", "attempts")),
    "analytics.data_quality": ((), ("run_id", "observed_at", "field", "problem")),
    "analytics.model_performance": (
        ("model_id", "day"),
        ("model_id", "name", "day", "avg_latency_ms_per_day", "observed_at"),
    ),
    "analytics.model_speed": (("model_id",), ("model_id", "name", "day")),
    "analytics.quarantine": ((), ("run_id", "observed_at", "reason", "raw_json")),
}


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def sequence_sql(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    engine = request.param
    workdir = tmp_path_factory.mktemp(f"view-keys-{engine}")
    data_dir = workdir / "data"
    dsn = None
    if engine == "postgres":
        dsn = request.getfixturevalue("postgres_server").create_database()

    with receiver() as hook:  # the loads that change something post to it: notifications

        def load(url: str) -> None:
            with cli_environment(dsn):
                load_in_process(url, data_dir, engine, "--notify", hook.url)

        run_sequence(workdir, load)
        assert len(hook.posts) >= 3  # the loads that changed something
    return connect_sql(data_dir, engine, dsn)


def test_every_view_has_its_keys_declared(sequence_sql) -> None:  # type: ignore[no-untyped-def]
    views = sequence_sql(
        "select table_schema || '.' || table_name from information_schema.views "
        "where table_schema in ('analytics', 'analytics_staging')"
    )
    assert {r[0] for r in views} == set(VIEW_KEYS)


@pytest.mark.parametrize("view", sorted(VIEW_KEYS))
def test_view_keys(sequence_sql, view: str, request: pytest.FixtureRequest) -> None:  # type: ignore[no-untyped-def]
    unique, not_null = VIEW_KEYS[view]
    total = sequence_sql(f"select count(*) from {view}")[0][0]
    assert total > 0, f"{view} is empty after the sequence: the test would prove nothing"
    if unique:
        columns = ", ".join(unique)
        duplicates: list[Any] = sequence_sql(
            f"select {columns}, count(*) from {view} group by {columns} having count(*) > 1"
        )
        assert duplicates == [], f"{view}: ({columns}) is not unique"
    for column in not_null:
        nulls = sequence_sql(f"select count(*) from {view} where {column} is null")[0][0]
        assert nulls == 0, f"{view}.{column} has {nulls} nulls"


def test_the_sequence_covers_every_kind_of_event(sequence_sql) -> None:  # type: ignore[no-untyped-def]
    changes = {
        r[0] for r in sequence_sql("select distinct change from analytics.catalogue_changes")
    }
    assert changes == {"added", "removed", "status_changed", "reappeared"}
    assert sequence_sql("select count(*) from analytics.load_runs") == [(5,)]
    # the live load after documented ones: another scope, so nothing retired and no event
    live = sequence_sql(
        "select response_shape, models_added, models_removed, models_reappeared, message "
        "from analytics.load_runs order by started_at desc limit 1"
    )
    assert live[0][:4] == ("live", 0, 0, 0) and "nothing retired" in live[0][4]


def test_a_run_finishes_when_dlt_has_loaded_its_rows(sequence_sql) -> None:  # type: ignore[no-untyped-def]
    """finished_at is dlt's record of the completed load, after the catalogue was read (what
    the load itself wrote): duration_s covers the load, not only the read."""
    runs = sequence_sql(
        "select runs.finished_at = loads.inserted_at, runs.finished_at > raw.finished_at, "
        "runs.duration_s > 0 "
        "from analytics.load_runs as runs "
        "join io_intelligence.load_runs as raw on raw.run_id = runs.run_id "
        "join io_intelligence._dlt_loads as loads on loads.load_id = raw._dlt_load_id"
    )
    assert len(runs) == 5
    assert all(row == (True, True, True) for row in runs), runs
