"""A load killed with SIGKILL at any point leaves the previous data intact; the next succeeds."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest

from pipelines.present.connect import connect
from tests.conftest import (
    CATALOGUE,
    STORAGE,
    TEST_ENV,
    connect_sql,
    destination_env,
    iomodels,
    load_catalogue,
)
from tests.forked import IOMODELS, ForkedProcess
from tests.replica_process import running_replica

pytestmark = pytest.mark.slow  # loads killed at six points of a load's duration

STATE = (
    "select (select count(*) from analytics.models), "
    "(select count(*) from io_intelligence.model_versions)"
)
SYNTHETIC = 1500
# Fractions of a full load's duration at which to kill: early fetch to the final publish.
KILL_AT = (0.1, 0.3, 0.5, 0.7, 0.85, 0.95)


@pytest.mark.parametrize("destination", STORAGE)
def test_sigkill_at_any_point_loses_nothing(
    tmp_path: Path, destination: str, request: pytest.FixtureRequest
) -> None:
    data_dir = tmp_path / "data"
    before = len(load_catalogue())
    # Postgres: one database, which every attempt continues from (a killed load leaves the
    # previous state, a finished one the new state); another one for the timing run
    dsn = timing_dsn = None
    if destination == "postgres":
        server = request.getfixturevalue("postgres_server")
        dsn, timing_dsn = server.create_database(), server.create_database()
    env = destination_env(dsn)
    with running_replica("--catalogue", str(CATALOGUE)) as url:
        result = iomodels(
            "load",
            "--base-url",
            url,
            "--data-dir",
            str(data_dir),
            "--destination",
            destination,
            env=env,
        )
        assert result.returncode == 0, result.stderr
    sql = connect_sql(data_dir, destination, dsn)
    assert sql("select count(*) from analytics.models") == [(before,)]

    with running_replica("--synthetic", str(SYNTHETIC), "--latency", "0.02") as url:
        args = [
            sys.executable,
            "-m",
            "pipelines",
            "load",
            "--base-url",
            url,
            "--destination",
            destination,
            "--workers",
            "2",
        ]
        started = time.monotonic()
        timed = iomodels(
            *args[3:], "--data-dir", str(tmp_path / "timing"), env=destination_env(timing_dsn)
        )
        full = time.monotonic() - started
        assert timed.returncode == 0, timed.stderr
        killed = 0
        old_state = (before, before)
        new_state = (SYNTHETIC, before + SYNTHETIC + before)  # + added + removed versions
        for fraction in KILL_AT:
            # every attempt starts from the previous load, so each is a full, changing load
            attempt_dir = tmp_path / f"attempt-{fraction}"
            shutil.copytree(data_dir, attempt_dir)
            sql = connect_sql(attempt_dir, destination, dsn)
            load = ForkedProcess(
                IOMODELS, [*args[3:], "--data-dir", str(attempt_dir)],
                env={**os.environ, **TEST_ENV, **env},
            )  # fmt: skip
            time.sleep(full * fraction)
            if load.poll() is None:
                load.send_signal(signal.SIGKILL)
                killed += 1
            load.wait(timeout=None)
            load.close()
            if destination == "parquet":
                # the copy's views file still names the original's files until a load of its
                # own publishes: read the copy's own files, as `iomodels query` does
                with connect("parquet", attempt_dir) as con:
                    state = con.execute(STATE).fetchall()[0]
            else:
                state = sql(STATE)[0]
            # the previous load whole, or (killed after publishing) the new one whole
            assert state in (old_state, new_state), f"killed at {fraction:.0%}: {state}"
        assert killed >= len(KILL_AT) // 2  # the timing is a sample; the invariant is above
        result = iomodels(*args[3:], "--data-dir", str(attempt_dir), env=env)
    assert result.returncode == 0, result.stderr
    assert sql(STATE) == [new_state]
    removed = sql("select count(*) from analytics.catalog_changes where change = 'removed'")
    assert removed == [(before,)]
    outcomes = sql("select outcome from analytics.load_runs")
    assert all(o == ("ok",) for o in outcomes)
    assert not (attempt_dir / ".staging").exists()


def test_parquet_file_left_half_written_is_never_read_and_is_cleaned(tmp_path: Path) -> None:
    """dlt copies files into the bucket non-atomically: a killed load can leave a truncated one."""
    data_dir = tmp_path / "data"
    with running_replica("--catalogue", str(CATALOGUE)) as url:
        args = ["load", "--base-url", url, "--data-dir", str(data_dir), "--destination", "parquet"]
        assert iomodels(*args).returncode == 0
        versions = data_dir / "parquet" / "io_intelligence" / "model_versions"
        good = next(versions.glob("*.parquet"))
        orphan = versions / "1999999999.123456.abcdef.parquet"  # a load id dlt never completed
        orphan.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
        sql = connect_sql(data_dir, "parquet")
        assert sql("select count(*) from analytics.models") == [(len(load_catalogue()),)]
        again = iomodels(*args)
    assert again.returncode == 0, again.stderr
    assert "0 new versions" in again.stdout
    assert not orphan.exists()
    assert sql("select count(*) from io_intelligence.model_versions") == [(len(load_catalogue()),)]
