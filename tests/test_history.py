"""History on both destinations: versions only on change, exact change rows, retirements."""

from __future__ import annotations

import copy
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import load_catalogue, write_catalogue

LLAMA = "meta-llama/Llama-3.3-70B-Instruct"


def by_name(models: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(m for m in models if m["name"] == name)


def changed_catalogue(models: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Two prices changed, one model deactivated, one removed, one added."""
    models = copy.deepcopy(models)
    active = [m for m in models if m["status"] == "active" and m["metadata"]["input_token_price"]]
    priced_a, priced_b, deactivated, removed = active[0], active[1], active[2], active[3]
    priced_a["metadata"]["input_token_price"] = "0.99"
    priced_b["metadata"]["output_token_price"] = "0.01"
    deactivated["status"] = "inactive"
    models.remove(removed)
    added = copy.deepcopy(priced_a)
    added.update(model_id=str(uuid.uuid4()), name="acme/New-Model-1B")
    models.append(added)
    names = {
        "a": priced_a["name"],
        "b": priced_b["name"],
        "deactivated": deactivated["name"],
        "removed": removed["name"],
        "added": added["name"],
    }
    return models, names


@pytest.mark.slow
def test_changes_are_recorded_exactly_once(  # type: ignore[no-untyped-def]
    replica, loaded_once, catalogue_file: Path, load, sql
) -> None:
    original = load_catalogue(catalogue_file)
    first_versions = sql("select count(*) from io_intelligence.model_versions")[0][0]
    assert first_versions == len(original)
    assert sql("select count(*) from analytics.price_changes") == [(0,)]

    changed, names = changed_catalogue(original)
    write_catalogue(catalogue_file, changed)
    load(replica)
    old = {m["name"]: m for m in original}
    prices = sql(
        "select name, price, old_price, new_price, relative_change from analytics.price_changes "
        "order by name, price"
    )
    old_a = Decimal(old[names["a"]]["metadata"]["input_token_price"])
    old_b = Decimal(old[names["b"]]["metadata"]["output_token_price"])
    assert prices == sorted(
        [
            (
                names["a"],
                "input",
                old_a,
                Decimal("0.99"),
                float(round((Decimal("0.99") - old_a) / old_a, 6)),
            ),
            (
                names["b"],
                "output",
                old_b,
                Decimal("0.01"),
                float(round((Decimal("0.01") - old_b) / old_b, 6)),
            ),
        ]
    )
    events = sql(
        "select name, change, old_status, new_status from analytics.catalog_changes "
        "where observed_at = (select max(observed_at) from analytics.catalog_changes) "
        "order by name"
    )
    assert events == sorted(
        [
            (names["added"], "added", None, "active"),
            (names["deactivated"], "status_changed", "active", "inactive"),
            (names["removed"], "removed", "active", None),
        ]
    )
    models = {r[0] for r in sql("select name from analytics.models")}
    assert names["removed"] not in models and names["added"] in models
    assert len(models) == len(changed)
    second_versions = sql("select count(*) from io_intelligence.model_versions")[0][0]
    assert second_versions == first_versions + 5  # a, b, deactivated, removed, added

    load(replica)  # unchanged: no history rows, one more load_runs row
    assert sql("select count(*) from io_intelligence.model_versions")[0][0] == second_versions
    assert sql(
        "select count(*), count(*) filter (where outcome = 'ok') from analytics.load_runs"
    ) == [(3, 3)]
    runs = sql("select versions_written from analytics.load_runs order by started_at")
    assert runs == [(len(original),), (5,), (0,)]
    # last_seen_at moves with every full load; first_seen_at stays
    seen = sql(
        "select first_seen_at < last_seen_at, last_seen_at = (select max(started_at) "
        "from analytics.load_runs) from analytics.models where name = ?",
        [LLAMA],
    )
    assert seen == [(True, True)]


def test_catalogue_as_of_returns_earlier_prices(  # type: ignore[no-untyped-def]
    replica, loaded_once, catalogue_file: Path, load, sql
) -> None:
    original = load_catalogue(catalogue_file)
    changed, names = changed_catalogue(original)
    write_catalogue(catalogue_file, changed)
    load(replica)
    first_load, second_load = [
        r[0] for r in sql("select started_at from analytics.load_runs order by started_at")
    ]
    query = "select input_price from analytics.catalogue_as_of(?::timestamptz) where name = ?"
    old_price = Decimal(by_name(original, names["a"])["metadata"]["input_token_price"])
    assert sql(query, [first_load, names["a"]]) == [(old_price,)]
    assert sql(query, [second_load, names["a"]]) == [(Decimal("0.99"),)]
    count = "select count(*) from analytics.catalogue_as_of(?::timestamptz)"
    assert sql(count, [first_load]) == [(len(original),)]
    assert sql(count, [second_load]) == [(len(changed),)]
    removed = "select count(*) from analytics.catalogue_as_of(?::timestamptz) where name = ?"
    assert sql(removed, [first_load, names["removed"]]) == [(1,)]
    assert sql(removed, [second_load, names["removed"]]) == [(0,)]


def test_filtered_load_retires_nothing(  # type: ignore[no-untyped-def]
    replica, loaded_once, catalogue_file: Path, load, sql
) -> None:
    models = load_catalogue(catalogue_file)
    changed = copy.deepcopy(models)
    by_name(changed, LLAMA)["metadata"]["input_token_price"] = "0.11"
    write_catalogue(catalogue_file, changed)
    load(replica, "--q", "llama-3.3")
    assert sql("select count(*) from analytics.models") == [(len(models),)]
    assert sql("select count(*) from analytics.catalog_changes where change = 'removed'") == [(0,)]
    assert sql("select name, new_price from analytics.price_changes") == [(LLAMA, Decimal("0.11"))]
    assert sql(
        "select is_full, query, rows_seen, models_removed from analytics.load_runs "
        "order by started_at desc limit 1"
    ) == [(False, "llama-3.3", 1, 0)]


@pytest.mark.slow
def test_removed_model_that_returns_is_reappeared(  # type: ignore[no-untyped-def]
    replica, loaded_once, catalogue_file: Path, load, sql
) -> None:
    models = load_catalogue(catalogue_file)
    write_catalogue(catalogue_file, [m for m in models if m["name"] != LLAMA])
    load(replica)
    write_catalogue(catalogue_file, models)
    load(replica)
    events = sql(
        "select change, old_status, new_status from analytics.catalog_changes where name = ? "
        "order by observed_at",
        [LLAMA],
    )
    assert events == [
        ("added", None, "active"),
        ("removed", "active", None),
        ("reappeared", "active", "active"),
    ]
    assert sql("select count(*) from analytics.models where name = ?", [LLAMA]) == [(1,)]
    assert sql("select count(distinct model_id) from analytics.model_history") == [(len(models),)]


def test_volatile_fields_alone_make_no_version(  # type: ignore[no-untyped-def]
    replica, loaded_once, catalogue_file: Path, load, sql
) -> None:
    models = load_catalogue(catalogue_file)
    drifted = copy.deepcopy(models)
    for m in drifted:
        m["updated_at"] = "2030-01-01T00:00:00Z"
        m["metadata"]["trendiness"] = (m["metadata"]["trendiness"] + 1) % 10
    write_catalogue(catalogue_file, drifted)
    load(replica)
    assert sql("select count(*) from io_intelligence.model_versions") == [(len(models),)]
