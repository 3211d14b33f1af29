"""End to end on both destinations: replica → iomodels load → every view, values checked."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests import expected
from tests.conftest import (
    CATALOGUE,
    STORAGE,
    connect_sql,
    destination_env,
    iomodels,
    load_catalogue,
)
from tests.replica_process import running_replica

MODELS = load_catalogue()


@pytest.fixture(scope="module", params=STORAGE)
def loaded_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One load per destination for the whole module: the views are read-only afterwards."""
    data_dir = tmp_path_factory.mktemp(f"views-{request.param}")
    dsn = None
    if request.param == "postgres":
        dsn = request.getfixturevalue("postgres_server").create_database()
    with running_replica("--catalogue", str(CATALOGUE)) as url:
        result = iomodels(
            "load",
            "--base-url",
            url,
            "--data-dir",
            str(data_dir),
            "--destination",
            request.param,
            env=destination_env(dsn),
        )
    assert result.returncode == 0, result.stderr
    return data_dir, request.param, dsn


@pytest.fixture
def data_dir(loaded_dir):  # type: ignore[no-untyped-def]
    return loaded_dir[0]


@pytest.fixture
def destination(loaded_dir):  # type: ignore[no-untyped-def]
    return loaded_dir[1]


@pytest.fixture
def loaded(loaded_dir):  # type: ignore[no-untyped-def]
    return connect_sql(*loaded_dir)


def test_models_has_every_model_with_flattened_fields(loaded) -> None:  # type: ignore[no-untyped-def]
    rows = loaded(
        "select model_id, name, status, is_active, developer, context_window, input_price, "
        "output_price, cache_read_price, cache_write_price, chat_daily_quota_tier_1, "
        "enable_api_embeddings, first_seen_at = last_seen_at from analytics.models"
    )
    assert len(rows) == len(MODELS)
    by_id = {r[0]: r for r in rows}
    for m in MODELS:
        row = by_id[m["model_id"]]
        meta = m["metadata"]
        assert row[1:6] == (
            m["name"],
            m["status"],
            m["status"] == "active",
            meta["developer"],
            meta["context_window"],
        )
        for value, field in zip(
            row[6:10],
            (
                "input_token_price",
                "output_token_price",
                "cache_read_token_price",
                "cache_write_token_price",
            ),
        ):
            assert value == expected.price(m, field)
        assert row[10] == m["chat_daily_quota_tier_1"]
        assert row[11] == meta["enable_api_embeddings"]
        assert row[12] is True


def test_model_tags_one_row_per_tag(loaded) -> None:  # type: ignore[no-untyped-def]
    rows = loaded("select model_id, name, tag from analytics.model_tags")
    want = sorted(
        (m["model_id"], m["name"], t) for m in MODELS for t in m["metadata"]["tags"] or []
    )
    assert sorted(rows) == want
    assert want, "the bundled catalogue has tags"


def test_quota_summary(loaded) -> None:  # type: ignore[no-untyped-def]
    columns = ["models", "active_models", *expected.QUOTAS]
    rows = loaded(f"select developer, {', '.join(columns)} from analytics.quota_summary")
    got = {r[0]: dict(zip(columns, r[1:])) for r in rows}
    assert got == expected.quota_summary(MODELS)


def test_quota_by_capability(loaded) -> None:  # type: ignore[no-untyped-def]
    rows = loaded(
        "select capability, models, total_daily_quota, largest_daily_quota, unit "
        "from analytics.quota_by_capability order by sort_order"
    )
    assert [r[0] for r in rows] == list(expected.CAPABILITIES)
    assert {r[0]: tuple(r[1:]) for r in rows} == expected.quota_by_capability(MODELS)


def test_pricing_summary(loaded) -> None:  # type: ignore[no-untyped-def]
    want = expected.pricing_summary(MODELS)
    columns = list(next(iter(want.values())))
    rows = loaded(f"select developer, {', '.join(columns)} from analytics.pricing_summary")
    got = {r[0]: dict(zip(columns, r[1:])) for r in rows}
    assert got.keys() == want.keys()
    for dev, values in want.items():
        for column, value in values.items():
            actual = got[dev][column]
            if isinstance(value, Decimal):
                assert Decimal(str(actual)) == value, (dev, column)
            else:
                assert actual == value, (dev, column)
    # a true median: some developer has an even number of priced models, averaged
    assert any(v["priced_models"] % 2 == 0 and v["priced_models"] > 1 for v in want.values())


def test_model_pricing_blended_price_and_rank(loaded) -> None:  # type: ignore[no-untyped-def]
    rows = loaded(
        "select name, blended_price, price_rank, cache_read_discount, input_price, "
        "cache_read_price from analytics.model_pricing order by price_rank, name"
    )
    want = sorted(expected.priced(MODELS), key=lambda p: (p["blended"], p["name"]))
    assert [(r[0], r[1]) for r in rows] == [(p["name"], p["blended"]) for p in want]
    assert rows[0][2] == 1
    ranks = [r[2] for r in rows]
    assert ranks == sorted(ranks)
    for name, _, _, discount, inp, cache in rows:
        if cache is not None and inp:
            assert discount == pytest.approx(float(1 - cache / inp), abs=1e-4), name
        else:
            assert discount is None


def test_load_runs_records_the_load(loaded) -> None:  # type: ignore[no-untyped-def]
    rows = loaded(
        "select outcome, is_full, pages, rows_seen, versions_written, models_added "
        "from analytics.load_runs"
    )
    assert rows == [("ok", True, 1, len(MODELS), len(MODELS), len(MODELS))]
    # it finished when dlt had loaded its rows (dlt's own record), not when the read ended
    timed = loaded(
        "select runs.finished_at = loads.inserted_at, runs.finished_at > raw.finished_at "
        "from analytics.load_runs as runs, io_intelligence.load_runs as raw, "
        "io_intelligence._dlt_loads as loads"
    )
    assert timed == [(True, True)]


def test_views_are_in_the_file_a_bi_tool_opens(loaded, data_dir: Path, destination: str) -> None:  # type: ignore[no-untyped-def]
    views = {
        r[0]
        for r in loaded(
            "select table_name from information_schema.views where table_schema = 'analytics'"
        )
    }
    assert {
        "models",
        "model_tags",
        "quota_summary",
        "quota_by_capability",
        "pricing_summary",
        "model_pricing",
        "price_changes",
        "catalog_changes",
        "load_runs",
        "model_history",
    } <= views
    if destination == "parquet":
        assert list((data_dir / "parquet" / "io_intelligence" / "model_versions").glob("*.parquet"))
