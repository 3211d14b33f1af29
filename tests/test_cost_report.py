"""The report's "cost of a typical workload": terminal, JSON and HTML, its options, values
checked against totals computed from the catalogue JSON (tests/expected.py)."""

from __future__ import annotations

import html
import io
import json
import re
from decimal import Decimal

import duckdb
from rich.console import Console

from pipelines.present.report import print_report
from pipelines.present.report_html import render_html, sections
from pipelines.present.workload import Workload, cost_records
from pipelines.settings import COST_CHART_TOP
from tests import expected
from tests.conftest import CATALOGUE_NEXT, iomodels, load_catalogue
from tests.report_setup import with_evil_model

# what the second of the report tests' loads served (tests/report_setup.py)
SERVED = with_evil_model(load_catalogue(CATALOGUE_NEXT), "0.06")
TITLE = "Cost of a typical workload, USD: "


def render(con: duckdb.DuckDBPyConnection, work: Workload | None = None) -> str:
    console = Console(record=True, width=140, color_system=None, file=io.StringIO())
    print_report(con, console, work=work)
    return console.export_text()


def section(text: str) -> tuple[str, list[list[str]]]:
    """The workload section's headings, and its table lines split into cells (names have no
    spaces)."""
    block = text[text.index(TITLE) :].split("\n\n", 1)[0].splitlines()
    rule = next(i for i, line in enumerate(block) if set(line.strip()) == {"─"})
    cells = [ln.split() for ln in block[rule + 1 :] if ln.split() and ln.split()[0].isdigit()]
    return "\n".join(block[1:rule]), cells


def test_terminal_report_prices_the_typical_workload(con) -> None:  # type: ignore[no-untyped-def]
    text = render(con)
    assert f"{TITLE}10M input tokens, 2M output  (top 10 of " in text
    want = expected.workload_cost(SERVED, 10_000_000, 2_000_000)
    headings, got = section(text)
    assert [(r[0], r[1]) for r in got] == [(str(w["rank"]), w["name"]) for w in want[:10]]
    # columns: rank, name, developer (one word here), input, output, total, saving
    assert [Decimal(r[-2]) for r in got] == [w["total_cost"] for w in want[:10]]
    assert "total" in headings and "cached" not in headings  # no cached tokens: no column


def test_terminal_report_takes_the_workload_options(con) -> None:  # type: ignore[no-untyped-def]
    work = Workload(3_000_000, 1_500_000, 2_500_000)
    text = render(con, work)
    assert f"{TITLE}3M input tokens (2.5M cached), 1.5M output" in text
    want = expected.workload_cost(SERVED, 3_000_000, 1_500_000, 2_500_000)
    headings, got = section(text)
    assert "cached" in headings
    assert [Decimal(r[-2]) for r in got] == [w["total_cost"] for w in want[:10]]
    assert [Decimal(r[-4]) for r in got] == [w["cached_input_cost"] for w in want[:10]]


def test_json_report_has_the_workload_and_its_costs(loads) -> None:  # type: ignore[no-untyped-def]
    result = iomodels(
        "report", "--json", "--data-dir", str(loads[0]),
        "--input-tokens", "1.5M", "--output-tokens", "250k", "--cached-input-tokens", "1M",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["workload"] == {
        "input_tokens": 1_500_000, "output_tokens": 250_000, "cached_input_tokens": 1_000_000
    }  # fmt: skip
    want = expected.workload_cost(SERVED, 1_500_000, 250_000, 1_000_000)[:10]
    got = doc["workload_cost"]
    assert [(r["rank"], r["name"]) for r in got] == [(w["rank"], w["name"]) for w in want]
    for g, w in zip(got, want, strict=True):
        for column in ("input_cost", "cached_input_cost", "output_cost", "total_cost"):
            assert Decimal(str(g[column])) == w[column], (g["name"], column)
        assert Decimal(str(g["saving_vs_median"])) == w["saving_vs_median"]


def test_report_bad_workload_exits_2_in_one_line(loads) -> None:  # type: ignore[no-untyped-def]
    for args, message in (
        (["--input-tokens", "1M", "--cached-input-tokens", "2M"], "cannot exceed --input-tokens"),
        (["--output-tokens", "lots"], "--output-tokens takes a token count"),
    ):
        result = iomodels("report", *args, "--data-dir", str(loads[0]))
        assert result.returncode == 2 and message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""


def bars(svg: str) -> list[str]:
    """The names on the workload cost chart's bars, in order."""
    return re.findall(r"<g><title>\d+\. (.+?) \(", svg)


def test_html_report_charts_the_cheapest_models_for_the_workload(con) -> None:  # type: ignore[no-untyped-def]
    work = Workload(10_000_000, 2_000_000, 4_000_000)
    text = render_html(con, work)
    chart = re.search(r'<svg[^>]*aria-labelledby="workload-cost-t.*?</svg>', text, re.S)
    assert chart, "the workload cost chart is in the page"
    want = expected.workload_cost(SERVED, *work.params())
    shown = want[:COST_CHART_TOP]
    assert [html.unescape(n) for n in bars(chart.group(0))] == [w["name"] for w in shown]
    for w in shown:  # each bar's tooltip gives the exact total
        total = format(w["total_cost"].normalize(), "f")
        total = total if "." in total and len(total.split(".")[1]) >= 2 else f"{Decimal(total):.2f}"
        assert f"total {total} USD" in html.unescape(chart.group(0)), w["name"]
    assert "Cost in USD of 10M input tokens (4M cached), 2M output" in chart.group(0)


def test_html_cost_chart_is_bounded_to_the_top_models(con) -> None:  # type: ignore[no-untyped-def]
    records = cost_records(con, Workload(1_000_000, 1_000_000))
    assert len(records) > 5
    part = sections.cost(records, "a workload", top=5)
    assert len(bars(part)) == 5
    assert f"The 5 cheapest of {len(records)} priced models" in part
    assert part.count("<tr>") == 1 + 5  # the heading row and the five models
