"""Bad rows never sink a load and are never silently lost; new fields and shapes are kept."""

from __future__ import annotations

import json

import pytest

from tests.conftest import CATALOGUE, load_catalogue
from tests.replica_process import running_replica

MODELS = load_catalogue()


def test_bad_rows_are_quarantined_or_flagged(load, sql) -> None:  # type: ignore[no-untyped-def]
    with running_replica("--catalogue", str(CATALOGUE), "--bad-rows") as url:
        result = load(url, "--page-size", "7")
    assert "3 quarantined rows" in result.stdout
    quarantined = sql("select page, reason, raw_json from analytics.quarantine order by reason")
    assert [(r[1], json.loads(r[2])["name"]) for r in quarantined] == [
        ("model_id 'not-a-uuid' is not a UUID", "bad/not-a-uuid"),
        ("model_id is empty", "bad/null-id"),
        ("model_id is missing", "bad/missing-id"),
    ]
    problems = sql(
        "select name, field, raw_value, problem from analytics.data_quality "
        "order by name, field, problem"
    )
    assert problems == [
        ("bad/negative-quota", "chat_daily_quota_tier_1", "-1000", "negative; left NULL"),
        (
            "bad/numeric-prices",
            "input_token_price",
            "0.4",
            "price sent as a number, not text; converted",
        ),
        (
            "bad/numeric-prices",
            "output_token_price",
            "1.2",
            "price sent as a number, not text; converted",
        ),
        (
            "bad/per-token-prices",
            "input_token_price",
            "0.0000004",
            "implausible unit: looks like USD per token, not per million",
        ),
        (
            "bad/per-token-prices",
            "output_token_price",
            "0.0000012",
            "implausible unit: looks like USD per token, not per million",
        ),
        ("bad/price-na", "input_token_price", "N/A", "price is not a number; left NULL"),
        ("bad/status-deprecated", "status", "deprecated", "unknown status; kept as sent"),
        ("bad/tags-string", "tags", "New", "tags given as a string; split on commas"),
    ]
    fields = ("status", "chat_daily_quota_tier_1", "input_price", "output_price")
    models = {
        row[0]: dict(zip(fields, row[1:], strict=True))
        for row in sql(
            f"select name, {', '.join(fields)} from analytics.models where name like 'bad/%'"
        )
    }
    assert len(models) == 6  # every row with a usable id is kept
    assert models["bad/price-na"]["input_price"] is None
    assert str(models["bad/price-na"]["output_price"]) == "1.2000000000"
    assert str(models["bad/numeric-prices"]["input_price"]) == "0.4000000000"
    assert models["bad/negative-quota"]["chat_daily_quota_tier_1"] is None
    assert models["bad/status-deprecated"]["status"] == "deprecated"
    assert sql("select tag from analytics.model_tags where name = 'bad/tags-string'") == [("New",)]
    assert sql("select count(*) from analytics.models") == [(len(MODELS) + 6,)]
    run = sql("select rows_seen, quarantined, quality_issues from analytics.load_runs")
    assert run == [(len(MODELS) + 9, 3, 8)]


@pytest.mark.parametrize("destination", ["duckdb", "parquet"])
def test_new_fields_are_kept(load, sql) -> None:  # type: ignore[no-untyped-def]
    with running_replica("--catalogue", str(CATALOGUE), "--drift") as url:
        load(url)
    rows = sql(
        "select distinct extra_fields->>'$.region', extra_fields->'$.metadata.modalities' "
        "from analytics.models"
    )
    assert [(r[0], json.loads(r[1])) for r in rows] == [("eu-west", ["text"])]


# The live endpoint's shape (an OpenAI/vLLM-style list) is a source of its own: test_live_load.py
