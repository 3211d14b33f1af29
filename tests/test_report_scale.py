"""The reports at scale: top-N with "and N more", a density scatter that says so, a bounded
page, and a staleness warning when the data is old or the latest loads failed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from pipelines.present.report_html.limits import RANKED_BARS, TABLE_ROWS
from pipelines.present.staleness import staleness_warnings
from tests.conftest import iomodels, untimed
from tests.replica_process import running_replica

MODELS = 1500  # past every limit of the page; thousands of developers in the long-tail style


@pytest.fixture(scope="module")
def longtail(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("longtail")
    with running_replica("--synthetic", str(MODELS), "--synthetic-style", "longtail") as url:
        result = iomodels("load", "--base-url", url, "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    return data_dir


def _count(data_dir: Path, sql: str) -> int:
    with duckdb.connect(str(data_dir / "io_models.duckdb"), read_only=True) as con:
        row = con.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def test_the_html_report_of_many_models_is_readable_and_small(longtail: Path) -> None:
    html = longtail / "report.html"
    result = iomodels("report", "--data-dir", str(longtail), "--html", str(html))
    assert result.returncode == 0, result.stderr
    text = html.read_text()
    priced = _count(longtail, "select count(*) from analytics.model_pricing")
    developers = _count(longtail, "select count(distinct developer) from analytics.models")
    assert priced > TABLE_ROWS and developers > 100
    # the ranking: the cheapest RANKED_BARS bars, then how many more
    assert len(
        re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="16" rx="3"', text)
    ) == (RANKED_BARS)
    assert f"and {priced - RANKED_BARS:,} more priced models" in text
    # the scatter: circles stand for areas, and the page says so
    circles = int(re.search(r"Each of the ([\d,]+) circles", text).group(1).replace(",", ""))  # type: ignore[union-attr]
    assert 0 < circles < priced
    assert f"{priced:,} models, too many to draw one by one: each circle stands for" in text
    # a dozen developers coloured, the rest counted in one legend row
    assert re.search(r"[\d,]+ other developers", text)
    assert f"(the cheapest {TABLE_ROWS} of {priced:,}; all in analytics.model_pricing)" in text
    assert len(text.encode()) < 1_500_000


def test_the_terminal_report_lists_the_largest_developers_only(longtail: Path) -> None:
    result = iomodels("report", "--data-dir", str(longtail))
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) < 250
    assert "warning" not in result.stdout  # a fresh, successful load


def test_staleness_is_warned_in_both_reports(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with running_replica() as url:
        assert iomodels("load", "--base-url", url, "--data-dir", str(data_dir)).returncode == 0
    for _ in range(2):
        failed = iomodels(
            "load",
            "--base-url",
            "http://127.0.0.1:9",
            "--data-dir",
            str(data_dir),
            "--retries",
            "0",
        )
        assert failed.returncode == 3, failed.stderr
    terminal = iomodels("report", "--data-dir", str(data_dir))
    assert "warning: the latest 2 loads failed (last: api_error at " in terminal.stdout
    html = data_dir / "r.html"
    assert iomodels("report", "--data-dir", str(data_dir), "--html", str(html)).returncode == 0
    assert '<p class="warn" role="alert">Warning: the latest 2 loads failed' in html.read_text()
    with duckdb.connect(str(data_dir / "io_models.duckdb"), read_only=True) as con:
        later = datetime.now(UTC) + timedelta(days=3)
        warnings = staleness_warnings(con, now=later)
        assert warnings[0].startswith("stale: the last successful load was 3 days ago (")
        assert len(warnings) == 2
        assert staleness_warnings(con, now=datetime.now(UTC) + timedelta(hours=2))[0].startswith(
            "the latest 2 loads failed"
        )
    assert untimed(failed.stderr).startswith("iomodels: error: GET http://127.0.0.1:9/")
