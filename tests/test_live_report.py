"""Reports of a live-shape load: quotas said to be unknown, speed table, price-vs-latency chart."""

from __future__ import annotations

import re
import xml.dom.minidom
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipelines.present.report_html import render_html
from tests.conftest import CATALOGUE, iomodels_in_process, load_catalogue
from tests.replica_process import running_replica

ACTIVE = [m for m in load_catalogue() if m["status"] == "active"]


@pytest.fixture(scope="module")
def live_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    data = tmp_path_factory.mktemp("live") / "data"
    with running_replica("--catalogue", str(CATALOGUE), "--live-shape", "--perf-seed", "5") as url:
        result = iomodels_in_process("load", "--base-url", url, "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    yield data


def test_the_terminal_report_says_unknown_and_shows_speed(live_data: Path) -> None:
    result = iomodels_in_process("report", "--data-dir", str(live_data))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    meta = next(line for line in out.splitlines() if line.startswith("Meta "))
    assert meta.split()[3:] == ["unknown"] * 5  # no quotas published: not 0
    assert "Fastest models: daily average latency and throughput" in out
    with duckdb.connect(str(live_data / "io_models.duckdb"), read_only=True) as con:
        fastest = con.execute(
            "select name, avg_latency_ms_per_day from analytics.model_speed "
            "order by avg_latency_ms_per_day, name limit 1"
        ).fetchone()
    assert fastest is not None
    speed = out.split("Fastest models")[1]
    row = next(line for line in speed.splitlines() if fastest[0].split("/")[1][:12] in line)
    assert f"{fastest[1]:,.1f}" in row


def test_the_json_report_has_the_speed_rows(live_data: Path) -> None:
    import json

    result = iomodels_in_process("report", "--data-dir", str(live_data), "--json")
    doc = json.loads(result.stdout)
    assert len(doc["model_speed"]) == 10
    assert doc["quota_summary"][0]["chat_daily_quota"] is None


def test_the_html_report_has_a_price_vs_latency_chart(live_data: Path) -> None:
    with duckdb.connect(str(live_data / "io_models.duckdb"), read_only=True) as con:
        html = render_html(con)
        priced = con.execute(
            "select count(*) from analytics.model_speed where blended_price > 0"
        ).fetchone()
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    for svg in svgs:
        xml.dom.minidom.parseString(svg)  # well-formed
    speed = [s for s in svgs if 'aria-labelledby="speed-t' in s]
    assert len(speed) == 1
    assert priced is not None and speed[0].count("<circle") == priced[0] == 15
    assert "Average latency of the day (ms)" in speed[0]
    assert "Unknown: the response shape of the load publishes no daily quotas" in html
