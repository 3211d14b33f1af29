"""The live shape read as a source of its own: exact units, the developer rule, no noise rows."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from pipelines.replica.shapes import as_live_model, live_model_list, performance
from pipelines.settings import DEVELOPER_NAMES, PRICE_FIELDS
from pipelines.transform.developers import live_developer, serving_stack_owners
from pipelines.transform.live_shape import LIVE_LACKS, flatten_live, live_model_id
from pipelines.transform.units import per_million_from_per_token, per_million_text, per_token_float
from tests.conftest import CATALOGUE, CATALOGUE_NEXT, load_catalogue

EXAMPLE = Path("/work/shared/spec/live-models-list.example.json")


def _catalogue_prices() -> list[str]:
    return sorted(
        {
            m["metadata"][f]
            for path in (CATALOGUE, CATALOGUE_NEXT)
            for m in load_catalogue(path)
            for f in PRICE_FIELDS
            if m["metadata"].get(f) is not None
        }
    )


def test_the_issue_example_loses_its_noise() -> None:
    assert per_million_text(9.499999999999999e-07) == "0.95"
    assert per_million_text(1.4999999999999998e-06) == "1.5"
    assert per_million_text(1.3e-07) == "0.13"
    assert per_million_text(0.0) == "0" and per_million_text(0) == "0"


@pytest.mark.parametrize("price", _catalogue_prices())
def test_every_catalogue_price_survives_the_trip_through_a_float_per_token(price: str) -> None:
    sent = per_token_float(price)
    assert per_million_from_per_token(sent) == Decimal(price)
    # a sender that multiplies in binary floating point adds other noise; still exact
    assert per_million_from_per_token(float(price) / 1_000_000) == Decimal(price)
    assert per_million_from_per_token(float(price) * 1e-6) == Decimal(price)


def _span() -> list[Decimal]:
    """Prices from 1e-12 to 1e3 per million, with 1 to 9 significant digits."""
    values = []
    for exponent in range(-12, 4):
        for digits in ("1", "95", "123", "4567", "98765", "123457", "9999999", "12345678"):
            values.append(Decimal(digits).scaleb(exponent - len(digits) + 1))
    values += [Decimal("0.000000000001"), Decimal("1000"), Decimal("123456789")]
    return values


@pytest.mark.parametrize("price", _span(), ids=str)
def test_prices_from_1e_12_to_1e3_per_million_come_back_without_drift(price: Decimal) -> None:
    back = per_million_from_per_token(per_token_float(price))
    assert back == price
    assert Decimal(per_million_text(per_token_float(price))) == price  # the stored text too
    assert "E" not in per_million_text(per_token_float(price))  # plain notation, never 1E-12


def test_developer_rule_uses_the_id_prefix_when_owned_by_is_the_serving_stack() -> None:
    items = [
        {"id": "meta-llama/Llama-3.3-70B-Instruct", "owned_by": "vllm"},
        {"id": "zai-org/GLM-4.6", "owned_by": "vllm"},
        {"id": "acme-labs/Thing-7B", "owned_by": "vllm"},
        {"id": "no-prefix", "owned_by": "vllm"},
    ]
    stacks = serving_stack_owners(items)
    assert [live_developer(i, stacks) for i in items] == [
        ("Meta", True),
        ("Zhipu AI", True),
        ("acme-labs", True),  # an unknown prefix as it is
        (None, True),
    ]


def test_owned_by_that_names_a_developer_is_taken() -> None:
    items = [
        {"id": "meta-llama/Llama-3.3-70B-Instruct", "owned_by": "Meta"},
        {"id": "zai-org/GLM-4.6", "owned_by": "Zhipu AI"},
    ]
    stacks = serving_stack_owners(items)
    assert [live_developer(i, stacks) for i in items] == [("Meta", False), ("Zhipu AI", False)]
    # one owner for models of many organisations is the host, even if not a known stack name
    hosted = [dict(i, owned_by="io-net-cluster") for i in items]
    assert live_developer(hosted[0], serving_stack_owners(hosted)) == ("Meta", True)


def test_the_prefix_table_gives_the_bundled_catalogues_developers() -> None:
    for model in load_catalogue(CATALOGUE) + load_catalogue(CATALOGUE_NEXT):
        org = model["name"].split("/")[0]
        assert DEVELOPER_NAMES[org] == model["metadata"]["developer"], model["name"]


def test_the_spec_example_flattens_with_exact_prices_and_no_problems() -> None:
    body = json.loads(EXAMPLE.read_text())
    stacks = serving_stack_owners(body["data"])
    flats = [
        flatten_live(item, live_model_id(item["id"]), live_developer(item, stacks)[0])
        for item in body["data"]
    ]
    assert [f.problems for f in flats] == [[], []]
    llama, magistral = (f.row for f in flats)
    assert llama is not None and magistral is not None
    assert llama["developer"] == "Meta" and magistral["developer"] == "Mistral AI"
    assert [llama[p] for p in PRICE_FIELDS] == ["0.13", "0.38", "0.26", "0.065"]
    # 0 for the cache of a model without prompt caching: not offered, not free
    assert [magistral[p] for p in PRICE_FIELDS] == ["0.5", "1.5", None, None]
    assert json.loads(magistral["prices_as_sent"])["output_token_price"] == 1.4999999999999998e-06
    assert llama["max_model_len"] == 128000 and llama["precision"] == "fp8"
    assert llama["supports_attestation"] is False and magistral["supports_attestation"] is True
    assert llama["source_shape"] == "live"
    extra = json.loads(llama["extra_fields"])["live"]
    assert extra["owned_by"] == "vllm" and extra["permission"][0]["allow_sampling"] is True
    assert flats[1].performance == {
        "avg_latency_ms_per_day": 1530.0,
        "avg_throughput_per_day": 38.75,
    }
    assert all(llama[c] is None for c in LIVE_LACKS)  # left for carry_forward, never flagged


def test_real_problems_of_the_live_shape_are_still_reported() -> None:
    item: dict[str, Any] = {
        "id": "x/y",
        "input_token_price": "N/A",
        "output_token_price": -1e-07,
        "max_model_len": "big",
        "avg_latency_ms_per_day": "slow",
    }
    flat = flatten_live(item, live_model_id("x/y"), "x")
    assert {(p.field, p.problem) for p in flat.problems} == {
        ("input_token_price", "price is not a number; left NULL"),
        ("output_token_price", "price is negative or not finite; left NULL"),
        ("max_model_len", "not an integer; left NULL"),
        ("avg_latency_ms_per_day", "not a non-negative number; left NULL"),
    }


def test_the_replica_serves_the_catalogue_in_the_live_shape() -> None:
    models = load_catalogue()
    body = live_model_list(models, perf_seed=1)
    assert set(body) == {"object", "data"}
    active = [m for m in models if m["status"] == "active"]
    assert [e["id"] for e in body["data"]] == [m["name"] for m in active]
    llama = as_live_model(models[0], 1, date(2026, 11, 30))
    assert llama["owned_by"] == "vllm" and llama["input_token_price"] == 1.3e-07
    assert llama["max_model_len"] == models[0]["metadata"]["context_window"]
    assert performance("a", 1, date(2026, 11, 30)) != performance("a", 2, date(2026, 11, 30))
    assert performance("a", 1, date(2026, 11, 30)) != performance("a", 1, date(2026, 12, 1))
    assert performance("a", 1, date(2026, 11, 30)) == performance("a", 1, date(2026, 11, 30))
