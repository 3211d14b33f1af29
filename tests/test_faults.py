"""Faults injected by the replica over real HTTP: retried, or failed with one clear line and
the previous load intact. Each test starts from a good load (`loaded_once`), then meets the
fault."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CATALOGUE, load_catalogue, untimed, write_catalogue
from tests.replica_process import running_replica

MODELS = load_catalogue()
Sql = Callable[..., list[tuple[Any, ...]]]


def faulty(*args: str) -> Any:
    return running_replica("--catalogue", str(CATALOGUE), *args)


def last_run(sql: Sql) -> tuple[Any, ...]:
    return sql(
        "select outcome, message, pagination_attempts from analytics.load_runs "
        "order by started_at desc limit 1"
    )[0]


def assert_previous_load_intact(sql: Sql) -> None:
    assert sql("select count(*) from analytics.models") == [(len(MODELS),)]
    assert sql("select count(*) from io_intelligence.model_versions") == [(len(MODELS),)]


DUCKDB_ONLY = pytest.mark.parametrize("destination", ["duckdb"])  # retries do not touch storage


@DUCKDB_ONLY
@pytest.mark.parametrize(
    "fault",
    [
        ["--fail-first", "3"],
        ["--fail-first", "2", "--fail-status", "502"],
        ["--fail-first", "2", "--fail-status", "520"],
        ["--truncate", "2"],
        ["--rate-limit", "2"],
    ],
)
def test_transient_faults_are_retried(loaded_once: Sql, load, fault: list[str]) -> None:  # type: ignore[no-untyped-def]
    with faulty(*fault, "--latency", "0.01") as url:
        load(url, "--page-size", "3", "--workers", "4")
    assert last_run(loaded_once)[0] == "ok"
    assert_previous_load_intact(loaded_once)  # nothing changed, so no new versions


@pytest.mark.slow
@DUCKDB_ONLY
def test_rate_limit_honours_retry_after(loaded_once: Sql, load) -> None:  # type: ignore[no-untyped-def]
    with faulty("--rate-limit", "1") as url:
        result = load(url, "--page-size", "5", "--workers", "4", "--json")

    summary = json.loads(result.stdout)
    # 5 pages at 1 request/s, Retry-After: 1 shared by all workers: at least 4 s
    assert summary["pages"] == 5 and summary["seconds"] >= 4


def test_persistent_5xx_exits_3_naming_status_and_url(loaded_once: Sql, load) -> None:  # type: ignore[no-untyped-def]
    with faulty("--fail-first", "1000") as url:
        result = load(url, "--retries", "2", expect=3)
    line = untimed(result.stderr).strip().splitlines()[-1]
    assert line == (
        f"iomodels: error: GET {url}/api/v1/models?page=1&page_size=100 failed after 3 "
        f"attempts in {line.split(' in ')[1].split(':')[0]}: HTTP 503"
    )
    assert_previous_load_intact(loaded_once)
    outcome, message, _ = last_run(loaded_once)
    assert outcome == "api_error" and "HTTP 503" in message


@DUCKDB_ONLY
@pytest.mark.parametrize(("key", "status"), [(None, 401), ("wrong-key", 403)])
def test_refused_key_fails_at_once(
    loaded_once: Sql, load, monkeypatch, key: str | None, status: int
) -> None:  # type: ignore[no-untyped-def]
    with faulty("--require-key", "right-key") as url:
        if key:
            monkeypatch.setenv("IOINTELLIGENCE_API_KEY", key)
        result = load(url, expect=3)
    assert (
        f"HTTP {status}, the API refused the request; check the key in "
        "IOINTELLIGENCE_API_KEY" in result.stderr
    )
    assert "right-key" not in result.stderr and "wrong-key" not in result.stderr
    assert_previous_load_intact(loaded_once)


@DUCKDB_ONLY
def test_catalogue_shift_once_is_repaginated(loaded_once: Sql, load) -> None:  # type: ignore[no-untyped-def]
    with faulty("--shift-catalogue", "once") as url:
        load(url, "--page-size", "5")
    assert last_run(loaded_once)[::2] == ("ok", 2)
    added = loaded_once(
        "select name from analytics.catalog_changes where change = 'added' "
        "and observed_at = (select max(observed_at) from analytics.catalog_changes)"
    )
    assert added == [("shift/model-1",)]
    assert loaded_once("select count(*) from analytics.models") == [(len(MODELS) + 1,)]


def test_rows_that_cross_a_page_boundary_are_never_retired(loaded_once: Sql, load) -> None:  # type: ignore[no-untyped-def]
    """One model leaves and one arrives mid-pagination: the total stays the same, a row slides
    onto a page already read and is missed; the absence is checked before retiring."""
    with faulty("--shift-catalogue", "swap") as url:
        load(url, "--page-size", "5")
    assert last_run(loaded_once)[::2] == ("ok", 2)
    events = loaded_once(
        "select name, change from analytics.catalog_changes "
        "where observed_at = (select max(observed_at) from analytics.catalog_changes) order by 2"
    )
    assert events == [("shift/model-1", "added"), (MODELS[0]["name"], "removed")]
    assert loaded_once("select count(*) from analytics.models") == [(len(MODELS),)]


def test_a_quarantined_row_does_not_retire_its_model(
    loaded_once: Sql, load, catalogue_file: Path, replica: str
) -> None:  # type: ignore[no-untyped-def]
    broken = load_catalogue(catalogue_file)
    broken[5]["model_id"] = None
    write_catalogue(catalogue_file, broken)
    load(replica)
    assert loaded_once("select change, count(*) from analytics.catalog_changes group by 1") == [
        ("added", len(MODELS))
    ]
    assert last_run(loaded_once)[:2] == ("ok", "1 absent models kept: rows were quarantined")


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("--shift-catalogue=always", "the catalogue changed during pagination"),
        ("--endless", "more pages after the last one"),
        ("--repeat-page", "was seen twice"),
    ],
)
def test_inconsistent_pagination_fails_the_gate_writing_nothing(
    loaded_once: Sql, load, fault: str, reason: str
) -> None:  # type: ignore[no-untyped-def]
    with faulty(fault) as url:
        result = load(url, "--page-size", "5", expect=4)
    line = untimed(result.stderr).strip().splitlines()[-1]
    assert line.startswith("iomodels: error: the catalogue did not hold still over 3 paginations")
    assert reason in line
    assert_previous_load_intact(loaded_once)
    assert loaded_once(
        "select count(*) from analytics.catalog_changes where change = 'removed'"
    ) == [(0,)]
    outcome, message, attempts = last_run(loaded_once)
    assert (outcome, attempts) == ("gate_failed", 3) and reason in message


def test_empty_catalogue_never_retires_everything(
    loaded_once: Sql, load, catalogue_file: Path
) -> None:  # type: ignore[no-untyped-def]
    empty = catalogue_file.parent / "empty.json"
    empty.write_text("[]")
    with running_replica("--catalogue", str(empty)) as url:
        result = load(url, expect=4)
    assert f"refusing to retire all {len(MODELS)} models" in result.stderr
    assert_previous_load_intact(loaded_once)
