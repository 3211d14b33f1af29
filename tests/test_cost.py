"""Workload cost end to end on both destinations: the replica over HTTP, two real loads (prices
change between them), the macros and `iomodels cost`, against totals computed here from the
catalogue JSON with Decimal (tests/expected.py)."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests import expected
from tests.conftest import (
    CATALOGUE,
    CATALOGUE_NEXT,
    connect_sql,
    iomodels,
    iomodels_in_process,
    load_catalogue,
    write_catalogue,
)
from tests.replica_process import running_replica

FIRST, NEXT = load_catalogue(CATALOGUE), load_catalogue(CATALOGUE_NEXT)
# (input tokens, output tokens, cached input tokens): plain, cached, fully cached, odd sizes,
# nothing at all (every model ties at 0)
WORKLOADS = [
    (10_000_000, 2_000_000, 0),
    (10_000_000, 2_000_000, 4_000_000),
    (1_000, 0, 1_000),
    (123_456_789, 987_654_321, 100_000_001),
    (0, 0, 0),
]
COUNTS = {10_000_000: "10M", 2_000_000: "2M", 4_000_000: "4M", 1_000: "1k"}


@pytest.fixture(scope="module", params=["duckdb", "parquet"])
def history(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """(data dir, destination, time of the first load): the bundled catalogue, then the next
    one (Llama 3.3 input and DeepSeek R1 output cheaper, a model added, one retired, one gone)."""
    base = tmp_path_factory.mktemp(f"cost-{request.param}")
    data, catalogue = base / "data", base / "catalogue.json"
    write_catalogue(catalogue, FIRST)
    with running_replica("--catalogue", str(catalogue)) as url:
        for models in (FIRST, NEXT):
            write_catalogue(catalogue, models)
            args = ("--base-url", url, "--data-dir", str(data), "--destination", request.param)
            result = iomodels("load", *args)
            assert result.returncode == 0, result.stderr
    sql = connect_sql(data, request.param)
    first, second = [r[0] for r in sql("select started_at from analytics.load_runs order by 1")]
    observed = [r[0] for r in sql("select distinct valid_from from analytics.model_history")]
    assert all(first <= t < second for t in observed if t < max(observed))
    return data, request.param, min(observed)


def cost(history: tuple[Path, str, datetime], *args: str) -> list[dict[str, Any]]:
    data, destination, _ = history
    result = iomodels_in_process(
        "cost", *args, "--format", "json", "--data-dir", str(data), "--destination", destination
    )
    assert result.returncode == 0, result.stderr
    records: list[dict[str, Any]] = json.loads(result.stdout)
    return records


def workload_args(workload: tuple[int, int, int]) -> list[str]:
    names = ("--input-tokens", "--output-tokens", "--cached-input-tokens")
    return [
        a for name, n in zip(names, workload, strict=True) for a in (name, COUNTS.get(n, str(n)))
    ]


def ranking(rows: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(r["name"], r["rank"]) for r in rows]


@pytest.mark.parametrize("workload", WORKLOADS, ids=str)
def test_macro_prices_every_model_exactly_and_ranks_them(history, workload) -> None:  # type: ignore[no-untyped-def]
    want = expected.workload_cost(NEXT, *workload)
    with duckdb.connect(str(_db(history)), read_only=True) as con:
        cursor = con.execute(
            "select * from analytics.workload_cost(?, ?, ?) order by sort_order", list(workload)
        )
        names = [d[0] for d in cursor.description]
        got = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    assert ranking(got) == ranking(want)
    assert [r["sort_order"] for r in got] == list(range(1, len(want) + 1))
    for g, w in zip(got, want, strict=True):
        for column in ("model_id", "developer", "input_cost", "cached_input_cost", "output_cost",
                       "total_cost", "median_cost", "saving_vs_median"):  # fmt: skip
            assert g[column] == w[column], (g["name"], column)
        assert isinstance(g["total_cost"], Decimal)


@pytest.mark.parametrize("workload", WORKLOADS, ids=str)
def test_cli_prints_every_models_total_and_rank(history, workload) -> None:  # type: ignore[no-untyped-def]
    got = cost(history, *workload_args(workload))
    want = expected.workload_cost(NEXT, *workload)
    assert ranking(got) == ranking(want)
    assert [Decimal(str(r["total_cost"])) for r in got] == [w["total_cost"] for w in want]
    assert {r["median_cost"] for r in got} == {float(want[0]["median_cost"])}


def test_at_a_time_before_the_price_change_gives_the_old_totals(history) -> None:  # type: ignore[no-untyped-def]
    workload = (10_000_000, 2_000_000, 4_000_000)
    before = history[2].isoformat()
    want = expected.workload_cost(FIRST, *workload)
    got = cost(history, *workload_args(workload), "--at", before)
    assert ranking(got) == ranking(want)
    assert [Decimal(str(r["total_cost"])) for r in got] == [w["total_cost"] for w in want]
    llama = next(r for r in got if r["name"] == "meta-llama/Llama-3.3-70B-Instruct")
    # 6M uncached x 0.13 + 4M cached x 0.065 + 2M output x 0.38, per million
    assert Decimal(str(llama["total_cost"])) == Decimal("1.80")
    with duckdb.connect(str(_db(history)), read_only=True) as con:
        rows = con.execute(
            "select name, total_cost, rank from "
            "analytics.workload_cost_at(?::timestamptz, ?, ?, ?) order by sort_order",
            [history[2], *workload],
        ).fetchall()
    assert rows == [(w["name"], w["total_cost"], w["rank"]) for w in want]


def test_compare_to_adds_the_earlier_total_and_the_difference(history) -> None:  # type: ignore[no-untyped-def]
    workload = (10_000_000, 2_000_000, 4_000_000)
    got = cost(history, *workload_args(workload), "--compare-to", history[2].isoformat())
    now = expected.workload_cost(NEXT, *workload)
    then = {w["model_id"]: w for w in expected.workload_cost(FIRST, *workload)}
    assert ranking(got) == ranking(now)
    for g, w in zip(got, now, strict=True):
        old = then.get(w["model_id"])
        if old is None:  # Qwen3 Coder was added by the second load
            assert g["compare_total_cost"] is None and g["cost_difference"] is None
            continue
        assert Decimal(str(g["compare_total_cost"])) == old["total_cost"]
        assert Decimal(str(g["cost_difference"])) == w["total_cost"] - old["total_cost"]
        assert g["compare_rank"] == old["rank"]
    changed = {g["name"]: g["cost_difference"] for g in got if g["cost_difference"]}
    assert changed == {
        "meta-llama/Llama-3.3-70B-Instruct": -0.18,  # input 0.13 -> 0.10 on 6M uncached tokens
        "deepseek-ai/DeepSeek-R1-0528": -3.5,  # output 8.75 -> 7.00 on 2M tokens
    }


def test_model_and_top_select_rows_but_keep_the_catalogue_ranks(history) -> None:  # type: ignore[no-untyped-def]
    want = expected.workload_cost(NEXT, 10_000_000, 2_000_000)
    qwen = [(w["name"], w["rank"]) for w in want if w["name"].startswith("Qwen/")]
    assert ranking(cost(history, "--input-tokens", "10M", "--output-tokens", "2M",
                        "--model", "qwen/*")) == qwen  # fmt: skip
    assert ranking(cost(history, "--input-tokens", "10M", "--output-tokens", "2M",
                        "--model", "QWEN", "--top", "2")) == qwen[:2]  # fmt: skip
    top = cost(history, "--input-tokens", "10M", "--output-tokens", "2M", "--top", "3")
    assert ranking(top) == ranking(want[:3])


def test_table_format_ranks_with_totals(history) -> None:  # type: ignore[no-untyped-def]
    data, destination, _ = history
    result = iomodels_in_process(
        "cost", "--input-tokens", "10M", "--output-tokens", "2M", "--cached-input-tokens", "4M",
        "--data-dir", str(data), "--destination", destination,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Workload: 10,000,000 input tokens (4,000,000 cached) and 2,000,000 output tokens"
    )
    want = expected.workload_cost(NEXT, 10_000_000, 2_000_000, 4_000_000)
    head = next(i for i, ln in enumerate(lines) if ln.split()[:2] == ["#", "model"])
    body = lines[head + 2 : head + 2 + len(want)]
    assert lines[head + 2 + len(want)] == ""
    for line, w in zip(body, want, strict=True):
        cells = line.split()
        assert cells[0] == str(w["rank"]) and cells[1] == w["name"]
        assert Decimal(cells[-2]) == w["total_cost"]  # total, then the saving vs the median
    assert f"{len(want)} priced models" in lines[-1] and "median total 2.65" in lines[-1]


def test_csv_has_a_header_and_one_line_per_model(history) -> None:  # type: ignore[no-untyped-def]
    data, destination, _ = history
    result = iomodels_in_process(
        "cost", "--input-tokens", "1B", "--output-tokens", "0", "--format", "csv",
        "--data-dir", str(data), "--destination", destination,
    )  # fmt: skip
    lines = result.stdout.splitlines()
    want = expected.workload_cost(NEXT, 10**9, 0)
    assert lines[0].split(",")[:3] == ["model_id", "name", "developer"]
    assert [ln.split(",")[1] for ln in lines[1:]] == [w["name"] for w in want]


def _db(history: tuple[Path, str, datetime]) -> Path:
    data, destination, _ = history
    return data / ("io_models.duckdb" if destination == "duckdb" else "io_models_parquet.duckdb")
