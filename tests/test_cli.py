"""The command line in a real subprocess: help, exit codes, one-line errors, query formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import iomodels, load_catalogue, untimed

MODELS = load_catalogue()


def test_help_lists_commands_and_options() -> None:
    result = iomodels("--help")
    assert result.returncode == 0
    for word in ("load", "query", "report", "replica", "IOINTELLIGENCE_API_KEY", "exit codes"):
        assert word in result.stdout
    load_help = iomodels("load", "--help").stdout
    for option in ("--base-url", "--destination", "--data-dir", "--page-size", "--q", "--workers"):
        assert option in load_help


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--page-size", "0"], "--page-size must be between 1 and 100, not 0"),
        (["--page-size", "101"], "--page-size must be between 1 and 100, not 101"),
        (["--workers", "0"], "--workers must be between 1 and 32, not 0"),
        (["--base-url", "ftp://example.com"], "--base-url must be an http(s) URL"),
    ],
)
def test_bad_options_exit_2_before_any_request(
    tmp_path: Path, args: list[str], message: str
) -> None:
    # port 9 (discard) would fail with exit 3 if a request were made
    result = iomodels(
        "load", "--base-url", "http://127.0.0.1:9", "--data-dir", str(tmp_path), *args
    )
    assert result.returncode == 2
    assert (
        untimed(result.stderr).strip() == f"iomodels: error: {message}" or message in result.stderr
    )
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "io_models.duckdb").exists()


def test_unknown_destination_is_a_usage_error(tmp_path: Path) -> None:
    result = iomodels("load", "--destination", "sqlite", "--data-dir", str(tmp_path))
    assert result.returncode == 2
    # a load's lines in a log carry their time, its usage errors too
    assert untimed(result.stderr).startswith("iomodels: error: --destination must be duckdb")
    assert len(result.stderr.splitlines()) == 1


def test_unreachable_api_exits_3_with_one_line(tmp_path: Path) -> None:
    result = iomodels(
        "load", "--base-url", "http://127.0.0.1:9", "--data-dir", str(tmp_path), "--retries", "1"
    )
    assert result.returncode == 3
    last = untimed(result.stderr).strip().splitlines()[-1]
    assert last.startswith("iomodels: error: GET http://127.0.0.1:9/api/v1/models?page=1")
    assert "ConnectionError" in last and "Traceback" not in result.stderr


def test_query_before_any_load_says_what_to_do(tmp_path: Path) -> None:
    result = iomodels("query", "select 1", "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert f"run `iomodels load --destination duckdb --data-dir {tmp_path}` first" in result.stderr


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import CATALOGUE
    from tests.replica_process import running_replica

    data_dir = tmp_path_factory.mktemp("cli")
    with running_replica("--catalogue", str(CATALOGUE)) as url:
        result = iomodels("load", "--base-url", url, "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    assert f"Loaded {len(MODELS)} models (full catalogue)" in result.stdout
    return data_dir


QUERY = (
    "select name, input_price, context_window, first_seen_at from analytics.models order by name"
)


def test_query_json(loaded: Path) -> None:
    result = iomodels("query", QUERY, "--data-dir", str(loaded), "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    by_name = {m["name"]: m for m in MODELS}
    assert [r["name"] for r in rows] == sorted(by_name)
    for row in rows:
        price = by_name[row["name"]]["metadata"]["input_token_price"]
        assert row["input_price"] == (float(price) if price is not None else None)
        assert isinstance(row["context_window"], int | None)
        assert row["first_seen_at"].endswith("+00:00")  # ISO 8601 with offset


def test_query_csv(loaded: Path) -> None:
    result = iomodels("query", QUERY, "--data-dir", str(loaded), "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["name", "input_price", "context_window", "first_seen_at"]
    assert len(rows) == len(MODELS) + 1


def test_query_table(loaded: Path) -> None:
    result = iomodels(
        "query",
        "select developer, models from analytics.quota_summary where developer = 'Meta'",
        "--data-dir",
        str(loaded),
    )
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["developer", "models"]
    meta = sum(1 for m in MODELS if m["metadata"]["developer"] == "Meta")
    assert lines[2].split() == ["Meta", str(meta)]
    assert lines[-1] == "(1 row)"


def test_query_error_is_one_line_exit_2(loaded: Path) -> None:
    result = iomodels("query", "select * from analytics.nope", "--data-dir", str(loaded))
    assert result.returncode == 2
    assert result.stderr.startswith("iomodels: error: query failed: Catalog Error")
    assert len(result.stderr.strip().splitlines()) == 1


def test_query_and_report_do_not_import_dlt(loaded: Path) -> None:
    for args in (["query", "select 1"], ["report"]):
        result = iomodels(
            "-v", *args, "--data-dir", str(loaded), env={"PYTHONPROFILEIMPORTTIME": "1"}, fresh=True
        )
        assert result.returncode == 0, result.stderr
        imported = {
            line.split("|")[-1].strip()
            for line in result.stderr.splitlines()
            if line.startswith("import time:")
        }
        assert "pipelines.present.query" in imported
        assert not {m for m in imported if m == "dlt" or m.startswith("dlt.")}


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["load"], {"IOMODELS_DESTINATION": "Parquet"}, "IOMODELS_DESTINATION must be duckdb"),
        (["load"], {"IOMODELS_WORKERS": "four"}, "IOMODELS_WORKERS must be a whole number"),
        (["load", "--base-url", "http://127.0.0.1:99999"], {}, "--base-url has a port out of"),
        (
            ["load", "--base-url", "http://127.0.0.1:9"],
            {"IOMODELS_DUCKDB_MEMORY": "lots"},
            "iomodels: error: IOMODELS_DUCKDB_MEMORY must be a size like 512MB or 2GB, not 'lots'",
        ),
    ],
)
def test_bad_settings_from_the_environment_exit_2(
    tmp_path: Path, args: list[str], env: dict[str, str], message: str
) -> None:
    result = iomodels(*args, "--data-dir", str(tmp_path), env=env)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "io_models.duckdb").exists()  # nothing was loaded or recorded


def test_data_dir_that_is_a_file_exits_2(tmp_path: Path) -> None:
    afile = tmp_path / "a-file"
    afile.write_text("x")
    result = iomodels("load", "--base-url", "http://127.0.0.1:9", "--data-dir", str(afile / "d"))
    assert result.returncode == 2
    assert untimed(result.stderr).startswith(
        f"iomodels: error: cannot use --data-dir {afile / 'd'}"
    )


def test_query_shows_utc_whatever_the_local_time_zone(loaded: Path) -> None:
    sql = "select started_at from analytics.load_runs"
    utc = iomodels("query", sql, "--data-dir", str(loaded), "--format", "csv", env={"TZ": "UTC"})
    ny = iomodels(
        "query", sql, "--data-dir", str(loaded), "--format", "csv", env={"TZ": "America/New_York"}
    )
    assert utc.stdout == ny.stdout and utc.stdout.splitlines()[1].endswith("+00:00")
