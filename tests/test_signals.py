"""Ctrl-C, cron and systemd stop a load with SIGINT or SIGTERM: one line, 130 / 143, data kept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CATALOGUE, TEST_ENV, connect_sql, iomodels, load_catalogue, untimed
from tests.replica_process import running_replica
from tests.silent_server import silent_server

pytestmark = pytest.mark.slow  # a fresh interpreter per load, signalled mid-fetch


@pytest.mark.parametrize(
    ("destination", "signum"),
    [("duckdb", signal.SIGINT), ("duckdb", signal.SIGTERM), ("parquet", signal.SIGTERM)],
)
def test_a_signal_ends_a_load_with_one_line(
    tmp_path: Path, destination: str, signum: signal.Signals
) -> None:
    data_dir = tmp_path / "data"
    before = len(load_catalogue())
    with running_replica("--catalogue", str(CATALOGUE)) as url:
        first = iomodels(
            "load", "--base-url", url, "--data-dir", str(data_dir), "--destination", destination
        )
        assert first.returncode == 0, first.stderr
    sql = connect_sql(data_dir, destination)
    # a slow replica: 40 pages at 0.2 s each, one at a time, take 8 s to fetch
    with running_replica("--synthetic", "2000", "--latency", "0.2") as url:
        load = subprocess.Popen(
            [
                *(sys.executable, "-m", "pipelines", "-v", "load", "--base-url", url),
                *("--data-dir", str(data_dir), "--destination", destination),
                *("--workers", "1", "--page-size", "50"),
            ],
            env={**os.environ, **TEST_ENV},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # -v says when pages are being fetched: signal the load in the middle of its work
        assert load.stderr is not None
        seen = []
        for line in load.stderr:
            seen.append(line)
            if "fetched page" in line and "fetched page 1 of" not in line:
                break
        assert load.poll() is None, "".join(seen)
        load.send_signal(signum)
        _, rest = load.communicate(timeout=60)
        err = "".join(seen) + rest
    assert load.returncode == 128 + signum, err
    assert untimed(err).strip().splitlines()[-1] == "iomodels: interrupted"
    assert "Traceback" not in err and "PipelineStepFailed" not in err
    assert sql("select count(*) from analytics.models") == [(before,)]
    assert sql("select outcome, message from analytics.load_runs order by started_at") == [
        ("ok", None),
        ("interrupted", "interrupted"),
    ]
    # the next load runs as usual from where the interrupted one left things
    with running_replica("--catalogue", str(CATALOGUE)) as url:
        again = iomodels(
            "load", "--base-url", url, "--data-dir", str(data_dir), "--destination", destination
        )
    assert again.returncode == 0, again.stderr
    assert sql("select count(*) from analytics.models") == [(before,)]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_the_api_hangs_ends_the_load_at_once(
    tmp_path: Path, signum: signal.Signals
) -> None:
    """Page 1 is read in a worker thread while the load sets up: a signal must not wait for
    that request (here it would time out after 60 s) nor for its retries."""
    data_dir = tmp_path / "data"
    with silent_server() as api:
        load = subprocess.Popen(
            [
                *(sys.executable, "-m", "pipelines", "-v", "load", "--base-url", api.url),
                *("--data-dir", str(data_dir), "--timeout", "60"),
            ],
            env={**os.environ, **TEST_ENV},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert api.wait_for_connection(timeout_s=30), "the load never asked the API"
        assert load.stderr is not None
        seen = []
        for line in load.stderr:  # set up, and waiting for page 1: signal it now
            seen.append(line)
            if "extract ..." in line:
                break
        load.send_signal(signum)
        _, rest = load.communicate(timeout=30)  # well before the request's own 60 s
        err = "".join(seen) + rest
    assert load.returncode == 128 + signum, err
    assert untimed(err).strip().splitlines()[-1] == "iomodels: interrupted"
    assert "Traceback" not in err
    records = connect_sql(data_dir, "duckdb")("select outcome from analytics.load_runs")
    assert records == [("interrupted",)]
