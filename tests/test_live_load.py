"""Loads of the live shape over real HTTP from the replica: exact prices, developers, no noise,
performance as a time series, shape switches and key scopes that invent nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CATALOGUE, connect_sql, iomodels_in_process, load_catalogue
from tests.replica_process import running_replicas

MODELS = load_catalogue()
ACTIVE = [m for m in MODELS if m["status"] == "active"]
KEYED = 12

PRICING = (
    "select name, developer, input_price, output_price, cache_read_price, cache_write_price, "
    "blended_price, price_rank from analytics.model_pricing order by name"
)


@pytest.fixture(scope="module")
def urls() -> Iterator[dict[str, str]]:
    configurations = {
        "documented": ("--catalogue", str(CATALOGUE)),
        "live": ("--catalogue", str(CATALOGUE), "--live-shape", "--perf-seed", "1"),
        "live_moved": ("--catalogue", str(CATALOGUE), "--live-shape", "--perf-seed", "2"),
        "live_keyed": (
            "--catalogue",
            str(CATALOGUE),
            "--live-shape",
            "--perf-seed",
            "1",
            "--keyed-models",
            str(KEYED),
        ),
    }
    with running_replicas(*configurations.values()) as base_urls:
        yield dict(zip(configurations, base_urls, strict=True))


def _load(url: str, data_dir: Path, *args: str, key: str | None = None) -> str:
    import os

    before = os.environ.pop("IOINTELLIGENCE_API_KEY", None)
    if key is not None:
        os.environ["IOINTELLIGENCE_API_KEY"] = key
    try:
        result = iomodels_in_process("load", "--base-url", url, "--data-dir", str(data_dir), *args)
    finally:
        os.environ.pop("IOINTELLIGENCE_API_KEY", None)
        if before is not None:
            os.environ["IOINTELLIGENCE_API_KEY"] = before
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("destination", ["duckdb", "parquet"])
def test_live_prices_equal_documented_prices_model_by_model(
    urls: dict[str, str], tmp_path: Path, destination: str
) -> None:
    documented, live = tmp_path / "documented", tmp_path / "live"
    _load(urls["documented"], documented, "--destination", destination)
    summary = _load(urls["live"], live, "--destination", destination)
    assert "live shape, as guest" in summary
    doc_sql, live_sql = connect_sql(documented, destination), connect_sql(live, destination)
    assert live_sql(PRICING) == doc_sql(PRICING)
    assert len(live_sql(PRICING)) == 15
    # exact decimals: Mistral-Nemo's 0.02, not 0.00000002
    nemo = live_sql(
        "select input_price, output_price from analytics.model_pricing "
        "where name = 'mistralai/Mistral-Nemo-Instruct-2407'"
    )
    assert [tuple(str(v) for v in row) for row in nemo] == [("0.0200000000", "0.0400000000")]
    by_developer = "select developer, priced_models from analytics.pricing_summary order by 1"
    summary_rows = live_sql(by_developer)
    assert summary_rows == doc_sql(by_developer)
    assert {r[0] for r in summary_rows} == {
        "DeepSeek", "Meta", "Mistral AI", "Moonshot AI", "OpenAI", "Qwen", "Swiss AI", "Zhipu AI"
    }  # fmt: skip
    assert live_sql("select count(*) from analytics.data_quality") == [(0,)]
    run = live_sql(
        "select response_shape, key_scope, rows_seen, quality_issues, fields_lacking "
        "from analytics.load_runs"
    )
    assert run[0][:4] == ("live", "guest", len(ACTIVE), 0)
    assert "chat_daily_quota_tier_1" in run[0][4] and "metadata.tags" in run[0][4]
    # every field kept: the live shape's own as columns, the unknown ones in extra_fields
    llama = live_sql(
        "select max_model_len, precision, supports_attestation, source_shape, "
        "extra_fields->>'$.live.owned_by', json_array_length(extra_fields->'$.live.permission'), "
        "prices_as_sent from analytics.models where name = 'meta-llama/Llama-3.3-70B-Instruct'"
    )
    assert llama[0][:6] == (128000, "fp8", llama[0][2], "live", "vllm", 1)
    assert json.loads(llama[0][6])["input_token_price"] == 1.3e-07  # as sent, per token
    # quotas the live shape does not publish are unknown, not zero
    quotas = live_sql(
        "select chat_daily_quota, unknown_quota_models from analytics.quota_summary "
        "where developer = 'Meta'"
    )
    assert quotas == [(None, 2)]
    chat = live_sql(
        "select models, total_daily_quota, unknown_quota_models "
        "from analytics.quota_by_capability where capability = 'chat'"
    )
    assert chat == [(0, None, len(ACTIVE))]


def test_performance_figures_make_no_version_but_a_time_series(
    urls: dict[str, str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    _load(urls["live"], data)
    _load(urls["live"], data)  # the same figures: nothing new
    sql = connect_sql(data, "duckdb")
    assert sql("select count(*) from io_intelligence.model_performance") == [(len(ACTIVE),)]
    out = _load(urls["live_moved"], data)
    assert "0 new versions" in out
    runs = sql("select versions_written from analytics.load_runs order by started_at")
    assert runs == [(len(ACTIVE),), (0,), (0,)]
    assert sql("select count(*) from io_intelligence.model_performance") == [(2 * len(ACTIVE),)]
    # one row per model per day: the day's latest figures
    perf = sql("select count(*), count(distinct model_id) from analytics.model_performance")
    assert perf == [(len(ACTIVE), len(ACTIVE))]
    latest = sql(
        "select p.avg_latency_ms_per_day = r.avg_latency_ms_per_day "
        "from analytics.model_performance p join io_intelligence.model_performance r "
        "using (model_id, observed_at) where r.run_id = "
        "(select run_id from analytics.load_runs order by started_at desc limit 1)"
    )
    assert latest == [(True,)] * len(ACTIVE)


def test_documented_live_documented_invents_nothing(urls: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    _load(urls["documented"], data)
    live_out = _load(urls["live"], data)
    assert "nothing retired" in live_out  # the live list shows active models only
    _load(urls["documented"], data)
    _load(urls["live_moved"], data)
    sql = connect_sql(data, "duckdb")
    assert sql("select count(*) from analytics.price_changes") == [(0,)]
    events = sql("select change, count(*) from analytics.catalog_changes group by 1")
    assert events == [("added", len(MODELS))]
    # what a shape lacks, learned from the other (max_model_len, the attestation flag, its own
    # extra fields), is no change: the feed and the webhook list only the first load's models
    changes = sql("select kind, count(*) from analytics.model_changes group by 1")
    assert changes == [("added", len(MODELS))]
    runs = sql(
        "select response_shape, models_changed, models_removed, versions_written "
        "from analytics.load_runs order by started_at"
    )
    # the first live load learns what only the live shape says (max_model_len, attestation,
    # permission): one version per listed model; after that no switch writes a version
    assert runs == [
        ("documented", 0, 0, len(MODELS)),
        ("live", len(ACTIVE), 0, len(ACTIVE)),
        ("documented", 0, 0, 0),
        ("live", 0, 0, 0),
    ]
    models = sql(
        "select name, status, description is not null, chat_daily_quota_tier_1, "
        "max_model_len, source_shape from analytics.models order by name"
    )
    by_name = {m["name"]: m for m in MODELS}
    for name, status, described, chat, max_len, shape in models:
        assert status == by_name[name]["status"]
        assert described == (by_name[name]["description"] is not None)
        assert chat == by_name[name]["chat_daily_quota_tier_1"]  # kept from the documented load
        live_max_len = by_name[name]["metadata"]["context_window"] if status == "active" else None
        assert max_len == live_max_len  # learnt from the live load, kept by the documented one
        assert shape == ("live" if status == "active" else "documented")


def test_a_keyed_load_after_guest_loads_retires_nothing(
    urls: dict[str, str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    _load(urls["live_keyed"], data)
    _load(urls["live_keyed"], data)
    out = _load(urls["live_keyed"], data, key="test-key")
    assert "first full load as live/key" in out and "nothing retired" in out
    sql = connect_sql(data, "duckdb")
    runs = sql(
        "select key_scope, rows_seen, models_removed, message from analytics.load_runs "
        "order by started_at"
    )
    assert [r[:3] for r in runs] == [
        ("guest", len(ACTIVE), 0),
        ("guest", len(ACTIVE), 0),
        ("key", sum(m["status"] == "active" for m in MODELS[:KEYED]), 0),
    ]
    assert "live/guest" in runs[2][3]
    assert sql("select count(*) from analytics.models") == [(len(ACTIVE),)]
    # the same scope again retires against its own listing: a model the key no longer sees
    _load(urls["live_keyed"], data, key="test-key")
    _load(urls["live"], data)  # guests still see every active model: nothing to retire
    assert sql("select sum(models_removed) from analytics.load_runs") == [(0,)]
