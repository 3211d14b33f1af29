"""`iomodels report` in the terminal and as JSON, end to end: the replica over real HTTP, two
real loads (the catalogue changes between them), real DuckDB; values checked against the views."""

from __future__ import annotations

import io
import json
import sys
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import duckdb
import pytest
from rich.console import Console

from pipelines.present.report import print_report, wrap_name
from pipelines.present.report_columns import time_text as fmt_time
from pipelines.present.report_data import short_name
from pipelines.transform.numbers import compact as fmt_compact
from pipelines.transform.numbers import percent as fmt_percent
from pipelines.transform.numbers import price as fmt_price
from tests.conftest import iomodels
from tests.report_setup import DB, EVIL_DEVELOPER, EVIL_NAME, rows

TITLES = [
    "Daily quotas of active models, by developer",
    "Daily quotas by capability",
    "Prices by developer, USD per million tokens",
    "Cheapest models by blended price",
    "Recent price changes",
    "Recent catalogue changes",
]


def render(con: duckdb.DuckDBPyConnection, width: int) -> str:
    console = Console(record=True, width=width, color_system=None, file=io.StringIO())
    print_report(con, console)
    return console.export_text()


def line_of(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start))


def names_in(table: str, heading: str) -> list[str]:
    """The cells of a left-aligned column, each put back together if it wrapped on lines."""
    lines = table.splitlines()
    head = next(i for i, line in enumerate(lines) if f" {heading} " in f" {line} ")
    col = f" {lines[head]} ".index(f" {heading} ")
    out: list[str] = []
    for line in lines[head + 2 :]:  # after the heading rule
        piece = line[col:].split("  ")[0].strip()
        if line[:col].strip():
            out.append(piece)
        elif piece:
            out[-1] += piece  # a wrapped name goes on under its column
    return out


def assert_names(shown: list[str], names: list[str]) -> None:
    """Each model name shown whole, or without its organisation prefix: never cut."""
    assert len(shown) == len(names)
    for seen, name in zip(shown, names, strict=True):
        assert seen in (name, short_name(name)), (seen, name)


def block(text: str, title: str) -> str:
    """One section of the report: from its title to the blank line after its table."""
    tail = text[text.index(title) :]
    return tail.split("\n\n", 1)[0]


def test_terminal_report_shows_every_section_with_the_views_values(con) -> None:  # type: ignore[no-untyped-def]
    text = render(con, 100)
    for title in TITLES:
        assert title in text
    assert "…" not in text
    quota_columns = [
        "chat_daily_quota",
        "api_completions_daily_quota",
        "embeddings_daily_quota",
        "audio_transcriptions_daily_seconds",
        "audio_speech_daily_characters",
    ]
    quotas, prices = block(text, TITLES[0]), block(text, TITLES[2])
    for row in rows(con, "select * from analytics.quota_summary"):
        line = line_of(quotas, row["developer"] + "  ")
        want = [str(row["models"]), str(row["active_models"])]
        want += [f"{row[c]:,}" for c in quota_columns]  # room enough at 100: full numbers
        assert line.split()[-7:] == want, line
    for row in rows(con, "select * from analytics.pricing_summary"):
        line = line_of(prices, row["developer"] + "  ")
        values = [
            row[f"{m}_{p}_price"] for p in ("input", "output") for m in ("min", "median", "max")
        ]
        assert [fmt_price(v) for v in values] == line.split()[-7:-1], line
    names = [
        r["cheapest_model"]
        for r in rows(con, "select * from analytics.pricing_summary order by developer")
    ]
    assert_names(names_in(prices, "cheapest model"), names)
    cheapest = rows(con, "select * from analytics.model_pricing order by price_rank, name limit 1")[
        0
    ]
    line = line_of(block(text, TITLES[3]), " 1  ")
    assert short_name(cheapest["name"]) in line and fmt_price(cheapest["blended_price"]) in line
    for change in rows(con, "select * from analytics.price_changes"):
        lines = block(text, TITLES[4]).splitlines()
        name = short_name(change["name"])
        line = next(x for x in lines if name in x and f" {change['price']} " in x)
        assert line.split()[-3:] == [
            fmt_price(change["old_price"]),
            fmt_price(change["new_price"]),
            fmt_percent(change["relative_change"], signed=True),
        ]
        assert line.startswith(fmt_time(change["observed_at"]))
    head = rows(
        con,
        "select max(finished_at) as t, arg_max(base_url, finished_at) as url "
        "from analytics.load_runs where outcome = 'ok'",
    )[0]
    assert f"last load {fmt_time(head['t'])} UTC from {head['url']}" in text


@pytest.mark.parametrize("width", [80, 100, 120])
def test_terminal_report_fits_the_width_without_cutting_anything(con, width: int) -> None:  # type: ignore[no-untyped-def]
    text = render(con, width)
    assert "…" not in text
    assert max(len(line.rstrip()) for line in text.splitlines()) <= width
    for row in rows(con, "select developer from analytics.quota_summary"):
        if len(row["developer"]) <= 12:  # no real one is longer; a 26-character one may wrap
            assert line_of(text, row["developer"] + "  ")
    for row in rows(con, "select * from analytics.quota_by_capability"):
        total = row["total_daily_quota"]
        assert f"{total:,}" in text or fmt_compact(total) in text
    cheapest = rows(
        con, "select name from analytics.model_pricing order by price_rank, name limit 10"
    )
    shown = names_in(block(text, TITLES[3]).split("\nblended =")[0], "model")
    assert_names(shown, [r["name"] for r in cheapest])
    events = rows(
        con,
        "select name from analytics.model_changes where kind not in ('price', 'metadata') "
        "order by observed_at desc, name, model_id, kind, field limit 15",
    )
    assert_names(names_in(block(text, TITLES[5]), "model"), [r["name"] for r in events])


def test_terminal_report_at_80_columns_uses_compact_quotas(con) -> None:  # type: ignore[no-untyped-def]
    text = render(con, 80)
    chat = rows(
        con, "select total_daily_quota from analytics.quota_by_capability where capability = 'chat'"
    )[0]["total_daily_quota"]
    assert fmt_compact(chat) in text and f"{chat:,}" not in text
    assert "tok/day" in text and "chars/day" in text


def test_empty_states_before_any_change(loads) -> None:  # type: ignore[no-untyped-def]
    with duckdb.connect(str(loads[1] / DB), read_only=True) as first:
        text = render(first, 100)
    assert "No price changes yet" in text
    assert "Recent catalogue changes" in text  # the first load's additions


def test_text_from_the_data_is_printed_verbatim(con) -> None:  # type: ignore[no-untyped-def]
    text = render(con, 120)
    assert EVIL_DEVELOPER in text  # rich markup in the data is not interpreted
    assert EVIL_NAME in text


def plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def test_json_report_equals_the_views(loads, con) -> None:  # type: ignore[no-untyped-def]
    result = iomodels("report", "--json", "--data-dir", str(loads[0]))
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    views = {
        "quota_summary": "select * from analytics.quota_summary order by developer",
        "quota_by_capability": "select capability, models, total_daily_quota, "
        "largest_daily_quota, largest_quota_model, unit from analytics.quota_by_capability "
        "order by sort_order",
        "pricing_summary": "select * exclude (cheapest_blended_price) "
        "from analytics.pricing_summary order by developer",
        "cheapest_models": "select price_rank, name, developer, input_price, output_price, "
        "blended_price, cache_read_discount from analytics.model_pricing "
        "order by price_rank, name limit 10",
        "price_changes": "select observed_at, name, price, old_price, new_price, relative_change "
        "from analytics.price_changes order by observed_at desc, name, price limit 15",
        "catalog_changes": "select observed_at, name, kind, field, old_value, new_value, "
        "relative_change from analytics.model_changes where kind not in ('price', 'metadata') "
        "order by observed_at desc, name, model_id, kind, field limit 15",
    }
    for key, sql in views.items():
        assert doc[key] == [{k: plain(v) for k, v in r.items()} for r in rows(con, sql)], key
    assert doc["price_changes"], "the second load changed prices"
    assert doc["headline"]["models"] == rows(con, "select count(*) n from analytics.models")[0]["n"]


@pytest.mark.parametrize("mode", [[], ["--json"]])
def test_report_never_imports_dlt(loads, mode: list[str]) -> None:  # type: ignore[no-untyped-def]
    code = (
        "import runpy, sys\n"
        f"sys.argv = ['iomodels', 'report', '--data-dir', {str(loads[0])!r}, *{mode!r}]\n"
        "try:\n    runpy.run_module('pipelines', run_name='__main__')\n"
        "except SystemExit as exc:\n    assert exc.code == 0, exc.code\n"
        "heavy = sorted(m for m in sys.modules if m == 'dlt' or m.startswith('dlt.'))\n"
        "print('DLT_MODULES', heavy, file=sys.stderr)\n"
    )
    import subprocess

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "DLT_MODULES []" in result.stderr


def test_number_formats() -> None:
    assert [
        fmt_compact(n)
        for n in (
            0,
            9_999,
            10_000,
            28_800,
            500_000,
            999_950,
            1_000_000,
            1_250_000,
            1_234_567,
            6_950_000,
            13_500_000,
        )
    ] == ["0", "9,999", "10k", "28.8k", "500k", "1.0M", "1.0M", "1.25M", "1.23M", "6.95M", "13.5M"]
    assert fmt_compact(2_500_000_000) == "2.5B"
    assert fmt_price(Decimal("8.75000000")) == "8.75" and fmt_price(Decimal("2.00000000")) == "2"
    assert fmt_price(Decimal("0.00000001")) == "0.00000001" and fmt_price(None) == "—"
    assert fmt_percent(-0.230769, signed=True) == "-23.1%"
    assert fmt_percent(-0.2, signed=True) == "-20.0%"
    assert fmt_percent(0.725) == "72.5%" and fmt_percent(0.3591) == "35.9%"
    assert short_name("meta-llama/Llama-3.3-70B-Instruct") == "Llama-3.3-70B-Instruct"
    assert short_name("plain") == "plain"
    assert wrap_name("Llama-4-Maverick-17B-128E-Instruct-FP8", 20).split("\n") == [
        "Llama-4-Maverick-",
        "17B-128E-Instruct-",
        "FP8",
    ]
    assert wrap_name("abcdefghijklmnop", 6).split("\n") == ["abcdef", "ghijkl", "mnop"]


def latest_changes(text: str, title: str) -> list[list[str]]:
    """The rows of a changes section observed at the newest time, as cells (two spaces apart)."""
    lines = block(text, title).splitlines()[3:]
    newest = lines[0][:19]
    return [
        [cell.strip() for cell in line.split("  ") if cell.strip()]
        for line in lines
        if line.startswith(newest)
    ]


def test_recent_changes_read_the_change_log(loads, con) -> None:  # type: ignore[no-untyped-def]
    """After the second catalogue: the quota cut, the status change and the catalogue events
    (analytics.model_changes) and the price changes, old and new values, in both reports."""
    text = render(con, 120)
    evil = EVIL_NAME
    prices = [r[1:] for r in latest_changes(text, "Recent price changes")]
    assert sorted(map(tuple, prices)) == [
        ("deepseek-ai/DeepSeek-R1-0528", "output", "8.75", "7", "-20.0%"),
        (evil, "input", "0.07", "0.06", "-14.3%"),
        ("meta-llama/Llama-3.3-70B-Instruct", "input", "0.13", "0.1", "-23.1%"),
    ]
    catalogue = [r[1:] for r in latest_changes(text, "Recent catalogue changes")]
    assert sorted(map(tuple, catalogue)) == [
        ("Qwen/Qwen3-Coder-480B-A35B-Instruct", "added", "—", "—"),
        (evil, "chat quota", "5,000,000", "4,000,000"),
        ("mistralai/Mistral-Nemo-Instruct-2407", "status", "active", "inactive"),
        ("swiss-ai/Apertus-70B-Instruct-2509", "removed", "—", "—"),
    ]
    narrow = render(con, 80)  # compact quotas where room is short
    assert "5.0M" in block(narrow, "Recent catalogue changes")

    result = iomodels("report", "--json", "--data-dir", str(loads[0]))
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    newest = doc["catalog_changes"][0]["observed_at"]
    quota = [r for r in doc["catalog_changes"] if r["kind"] == "quota"]
    assert quota == [
        {
            "observed_at": newest,
            "name": evil,
            "kind": "quota",
            "field": "chat_daily_quota_tier_1",
            "old_value": "5000000",
            "new_value": "4000000",
            "relative_change": -0.2,
        }
    ]
    prices = {(r["name"], r["price"]): r for r in doc["price_changes"]}
    assert prices[("meta-llama/Llama-3.3-70B-Instruct", "input")] == {
        "observed_at": newest,
        "name": "meta-llama/Llama-3.3-70B-Instruct",
        "price": "input",
        "old_price": 0.13,
        "new_price": 0.1,
        "relative_change": -0.230769,
    }
    assert {k: (r["old_price"], r["new_price"]) for k, r in prices.items()} == {
        ("deepseek-ai/DeepSeek-R1-0528", "output"): (8.75, 7),
        (evil, "input"): (0.07, 0.06),
        ("meta-llama/Llama-3.3-70B-Instruct", "input"): (0.13, 0.1),
    }


def test_a_report_piped_into_head_ends_quietly(loads) -> None:  # type: ignore[no-untyped-def]
    """`iomodels report | head -1`: the reader stopping early is no failure (exit 0, no line),
    as for query and changes; rich alone would exit 1."""
    import subprocess

    report = subprocess.Popen(
        [sys.executable, "-m", "pipelines", "report", "--data-dir", str(loads[0])],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert report.stdout is not None and report.stderr is not None
    first = report.stdout.readline()
    report.stdout.close()  # as head does after its line
    err = report.stderr.read()
    assert report.wait(timeout=60) == 0, err
    assert first.startswith(b"IO Intelligence catalogue: ")
    assert err == b""
