"""Readers never block a load and never see half of one; loads never run two at a time."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import (
    CATALOGUE,
    CATALOGUE_NEXT,
    TEST_ENV,
    connect_sql,
    destination_env,
    iomodels,
    load_catalogue,
    untimed,
)
from tests.forked import IOMODELS, ForkedProcess
from tests.replica_process import running_replica, running_replicas
from tests.silent_server import silent_server

pytestmark = pytest.mark.slow  # loads held on purpose behind slow replicas

READER = textwrap.dedent("""
    import duckdb, sys
    con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
    count = lambda: con.execute("select count(*) from io_intelligence.model_versions").fetchone()[0]
    print(count(), flush=True)
    sys.stdin.readline()          # hold the file open until told to go on
    print(count(), flush=True)
""")


def hold_open(path: Path, mode: str) -> subprocess.Popen[str]:
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(path), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout is not None
    reader.first = int(reader.stdout.readline())  # type: ignore[attr-defined]
    return reader


def finish(reader: subprocess.Popen[str]) -> int:
    out, _ = reader.communicate("go\n", timeout=30)
    return int(out.strip())


def versions(data_dir: Path) -> int:
    result = iomodels(
        "query",
        "select count(*) from io_intelligence.model_versions",
        "--data-dir",
        str(data_dir),
        "--format",
        "csv",
    )
    return int(result.stdout.splitlines()[1])


def test_a_reader_holding_the_file_does_not_block_a_load(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with running_replica("--catalogue", str(CATALOGUE)) as url:
        assert iomodels("load", "--base-url", url, "--data-dir", str(data_dir)).returncode == 0
    before = len(load_catalogue())
    reader = hold_open(data_dir / "io_models.duckdb", "ro")
    with running_replica("--catalogue", str(CATALOGUE_NEXT)) as url:
        result = iomodels("load", "--base-url", url, "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    assert reader.first == before  # type: ignore[attr-defined]
    assert finish(reader) == before  # the open reader still sees the whole previous load
    assert versions(data_dir) == before + 5  # a new reader sees the whole new one


def test_a_writer_holding_the_file_makes_the_load_exit_75(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with running_replica("--catalogue", str(CATALOGUE)) as url:
        assert iomodels("load", "--base-url", url, "--data-dir", str(data_dir)).returncode == 0
    writer = hold_open(data_dir / "io_models.duckdb", "rw")
    with silent_server() as api:
        result = iomodels("load", "--base-url", api.url, "--data-dir", str(data_dir))
        asked = api.connections
    finish(writer)
    assert asked == 0  # a destination that cannot be used fails before any request
    assert result.returncode == 75
    assert untimed(result.stderr).strip() == (
        f"iomodels: error: {data_dir / 'io_models.duckdb'} is open for writing by another "
        "process; close it (read-only readers are fine) and try again"
    )
    assert versions(data_dir) == len(load_catalogue())


# The first load reads a slow replica (8 pages of 25 models, 0.3 s each, one at a time), so
# that it holds the lock while the others start; the patient one then reads the same catalogue
# from a fast replica.
MODELS = 200
SLOW = ["--synthetic", str(MODELS), "--latency", "0.3"]
FAST = ["--synthetic", str(MODELS)]
PAGES = ["--workers", "1", "--page-size", "25"]


def test_two_loads_at_once_one_waits_or_exits_75(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with running_replicas(SLOW, FAST) as (slow_url, fast_url):

        def args(url: str) -> list[str]:
            return ["load", "--base-url", url, "--data-dir", str(data_dir), *PAGES]

        first = ForkedProcess(IOMODELS, args(slow_url), env={**os.environ, **TEST_ENV})
        lock = data_dir / ".iomodels.lock"
        deadline = time.monotonic() + 20
        while not (lock.exists() and lock.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.05)
        impatient = iomodels(*args(slow_url), "--lock-wait", "0")
        patient = iomodels(*args(fast_url), "--lock-wait", "60")
        assert first.wait(timeout=60) == 0, first.stderr()
    assert impatient.returncode == 75
    assert untimed(impatient.stderr).strip() == (
        f"iomodels: error: another load (pid {first.pid}) holds {data_dir} and did not finish "
        "within 0s; try again later"
    )
    assert patient.returncode == 0, patient.stderr
    assert "0 new versions" in patient.stdout  # it ran after the first, on its complete data
    assert versions(data_dir) == MODELS


def test_changes_left_in_a_write_ahead_log_are_kept(tmp_path: Path) -> None:
    """A writer (a BI tool, a script) that died left its changes in io_models.duckdb.wal."""
    data_dir = tmp_path / "data"
    with running_replica("--catalogue", str(CATALOGUE)) as url:
        assert iomodels("load", "--base-url", url, "--data-dir", str(data_dir)).returncode == 0
        script = (
            "import duckdb, os, sys\n"
            "con = duckdb.connect(sys.argv[1])\n"
            "con.execute('set checkpoint_threshold = \\'1GB\\'')\n"
            "con.execute('create table main.notes as select 42 as answer')\n"
            "os._exit(0)  # no checkpoint, no close: the change is only in the WAL\n"
        )
        subprocess.run(
            [sys.executable, "-c", script, str(data_dir / "io_models.duckdb")], check=True
        )
        assert (data_dir / "io_models.duckdb.wal").exists()
        result = iomodels("load", "--base-url", url, "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    # no stale log may sit beside the swapped-in file: DuckDB would replay it onto it
    assert not (data_dir / "io_models.duckdb.wal").exists()
    answer = iomodels(
        "query", "select answer from main.notes", "--data-dir", str(data_dir), "--format", "csv"
    )
    assert answer.stdout.splitlines() == ["answer", "42"]


def test_two_loads_into_one_postgres_database_take_turns(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Different machines (data dirs), one database: the advisory lock makes them take turns."""
    server = request.getfixturevalue("postgres_server")
    dsn = server.create_database()
    env = {**os.environ, **TEST_ENV, **destination_env(dsn)}
    sql = connect_sql(tmp_path, "postgres", dsn)
    with running_replicas(SLOW, FAST) as (slow_url, fast_url):

        def args(name: str, url: str = slow_url) -> list[str]:
            return ["load", "--base-url", url, "--destination", "postgres", *PAGES,
                    "--data-dir", str(tmp_path / name)]  # fmt: skip

        first = ForkedProcess(IOMODELS, args("first"), env=env)
        held = "select count(*) from pg_locks where locktype = 'advisory' and granted"
        deadline = time.monotonic() + 20
        while sql(held) == [(0,)] and time.monotonic() < deadline:
            time.sleep(0.05)
        impatient = iomodels(*args("second"), "--lock-wait", "0", env=destination_env(dsn))
        patient = iomodels(*args("third", fast_url), "--lock-wait", "60", env=destination_env(dsn))
        assert first.wait(timeout=60) == 0, first.stderr()
    assert impatient.returncode == 75
    location = f"postgresql://iomodels@127.0.0.1:{server.port}/{dsn.rsplit('/', 1)[1]}"
    assert impatient.stderr.strip().endswith(  # after the time stamp of a non-terminal run
        f"iomodels: error: another load holds {location} and did not finish within 0s; "
        "try again later"
    )
    assert patient.returncode == 0, patient.stderr
    assert "0 new versions" in patient.stdout  # it ran after the first, on its complete data
    assert sql("select count(*) from io_intelligence.model_versions") == [(MODELS,)]
    assert sql("select outcome from analytics.load_runs") == [("ok",), ("ok",)]
