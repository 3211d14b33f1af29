"""The HTML report's limited reads (report_html/data.py) against plain Python over every row:
the top rows and counts, and the density plot binned in SQL, on a real in-memory DuckDB whose
`analytics.model_pricing` is a table of made-up models."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal
from typing import Any

import duckdb
import pytest

from pipelines.present.report_html import data, scatter_data
from pipelines.present.report_html.density import CELL
from pipelines.present.report_html.scales import Scale, log_domain

COLUMNS = [
    "price_rank", "name", "developer", "input_price", "output_price", "cache_read_price",
    "cache_write_price", "blended_price", "cache_read_discount",
]  # fmt: skip


def made_up(count: int, seed: int = 7) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    rows = []
    for i in range(count):
        inp = Decimal(rnd.choice(["0", "0.02", "0.15", "0.4", "1.1", "3", str(rnd.randint(1, 90))]))
        out = Decimal(rnd.choice(["0", "0.06", "0.6", "2.5", str(rnd.randint(1, 120))]))
        dev = rnd.choice(["meta", "qwen", "mistral", "", None, "deepseek", f"dev{i % 40}"])
        rows.append(
            {
                "name": f"m{i:04d}",
                "developer": dev,
                "input_price": inp,
                "output_price": out,
                "blended_price": (3 * inp + out) / 4,
            }
        )
    rows.sort(key=lambda r: (r["blended_price"], r["name"]))
    rank, last = 0, None
    for i, r in enumerate(rows, start=1):
        rank = i if r["blended_price"] != last else rank
        last = r["blended_price"]
        r.update(price_rank=rank, cache_read_price=None, cache_write_price=None,
                 cache_read_discount=None)  # fmt: skip
    return rows


@pytest.fixture(scope="module")
def priced() -> list[dict[str, Any]]:
    return made_up(900)


@pytest.fixture
def con(priced: list[dict[str, Any]]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create schema analytics")
    con.execute(
        "create table analytics.model_pricing (price_rank integer, name varchar, "
        "developer varchar, input_price decimal(18, 10), output_price decimal(18, 10), "
        "cache_read_price decimal(18, 10), cache_write_price decimal(18, 10), "
        "blended_price decimal(18, 10), cache_read_discount double)"
    )
    con.executemany(
        f"insert into analytics.model_pricing values ({', '.join('?' for _ in COLUMNS)})",
        [[r[c] for c in COLUMNS] for r in priced],
    )
    return con


def developer(r: dict[str, Any]) -> str:
    return str(r.get("developer") or "(unknown)")


def test_pricing_reads_the_first_rows_the_last_and_the_unplotted(
    con: duckdb.DuckDBPyConnection, priced: list[dict[str, Any]]
) -> None:
    got = data.pricing(con, 25, 4)
    ordered = sorted(priced, key=lambda r: (r["price_rank"], r["name"]))
    assert [r["name"] for r in got.cheapest.rows] == [r["name"] for r in ordered[:25]]
    assert got.cheapest.total == len(priced) and got.cheapest.left_out == len(priced) - 25
    assert got.last is not None and got.last["name"] == ordered[-1]["name"]
    assert list(got.cheapest.rows[0]) == COLUMNS
    zero = [r["name"] for r in ordered if not (r["input_price"] > 0 and r["output_price"] > 0)]
    assert [r["name"] for r in got.unplotted.rows] == zero[:4]
    assert got.unplotted.total == len(zero)


def test_the_scatter_summary_and_its_cells_are_the_python_binning(
    con: duckdb.DuckDBPyConnection, priced: list[dict[str, Any]]
) -> None:
    plotted = sorted(
        (r for r in priced if r["input_price"] > 0 and r["output_price"] > 0),
        key=lambda r: (r["price_rank"], r["name"]),
    )
    xs = [float(r["input_price"]) for r in plotted]
    ys = [float(r["output_price"]) for r in plotted]
    summary = scatter_data.scatter_summary(con)
    assert summary is not None
    assert (summary.models, summary.cheapest) == (len(plotted), plotted[0]["name"])
    assert summary.points == len(set(zip(xs, ys, strict=True)))
    assert (summary.min_x, summary.max_x, summary.min_y, summary.max_y) == (
        min(xs),
        max(xs),
        min(ys),
        max(ys),
    )
    assert sorted(summary.developers) == sorted({developer(r) for r in plotted})
    # the reference: every model binned in Python on the chart's scales, as density.py did
    x_scale = Scale(*log_domain(xs), 96.0, 900.5, log=True)
    y_scale = Scale(*log_domain(ys), 400.0, 24.0, log=True)
    cells: dict[tuple[int, int], list[int]] = {}
    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        cells.setdefault((int(x_scale(x) // CELL), int(y_scale(y) // CELL)), []).append(i)
    expected = []
    for (cx, cy), members in sorted(cells.items(), key=lambda c: -len(c[1])):
        top_dev = Counter(developer(plotted[i]) for i in members).most_common(1)[0][0]
        expected.append(
            (cx, cy, len(members), min(xs[i] for i in members), max(ys[i] for i in members),
             len({developer(plotted[i]) for i in members}), top_dev,
             plotted[min(members, key=lambda i: float(plotted[i]["blended_price"]))]["name"])
        )  # fmt: skip
    got = [
        (int(c["cx"]), int(c["cy"]), c["models"], c["min_x"], c["max_y"], c["developers"],
         c["top_developer"], c["cheapest"])
        for c in scatter_data.density_cells(con, x_scale, y_scale, CELL)
    ]  # fmt: skip
    assert got == expected
    assert len(got) > 10


def test_nothing_to_plot_is_no_summary(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("update analytics.model_pricing set input_price = 0")
    assert scatter_data.scatter_summary(con) is None
    assert data.pricing(con, 5, 3).unplotted.total == 900
