"""A load's lines in a cron log say when they were written; a terminal gets hints and a bar."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import TEST_ENV, iomodels
from tests.replica_process import running_replica

STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def test_every_line_of_a_load_in_a_log_file_starts_with_its_utc_time(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with running_replica("--synthetic", "300", "--fail-first", "1") as url:
        result = iomodels(
            "load", "--base-url", url, "--data-dir", str(data_dir), "--page-size", "50", "-v"
        )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines() + result.stderr.splitlines()
    assert all(STAMP.match(line) for line in lines), lines
    assert result.stdout.splitlines()[0].split(" ", 1)[1].startswith("Loaded 300 models")
    assert "next:" not in result.stdout  # hints are for people at a terminal
    messages = [line.split(" ", 1)[1] for line in result.stderr.splitlines()]
    # -v: the retry, the pages, and how long each stage took
    assert any("HTTP 503; retry 1/5" in m for m in messages)
    assert "iomodels: fetched page 1 of 6 (50 models so far)" in messages
    assert "iomodels: fetched page 6 of 6 (300 models so far)" in messages
    for stage in ("extract", "normalize", "load", "views and publish"):
        assert any(re.fullmatch(rf"iomodels: {stage} took \d+\.\d\ds", m) for m in messages)
    # dlt's own log stays off the terminal, in the data dir
    assert "dlt" not in result.stderr.replace("dlt load package", "")
    assert (data_dir / ".dlt" / "dlt.log").exists()


def test_without_v_a_quiet_load_prints_only_its_summary(tmp_path: Path) -> None:
    with running_replica() as url:
        result = iomodels("load", "--base-url", url, "--data-dir", str(tmp_path))
    assert result.returncode == 0 and result.stderr == ""
    assert len(result.stdout.splitlines()) == 5


def test_failures_are_timed_one_liners(tmp_path: Path) -> None:
    result = iomodels(
        "load", "--base-url", "http://127.0.0.1:9", "--data-dir", str(tmp_path), "--retries", "0"
    )
    assert result.returncode == 3
    [line] = result.stderr.splitlines()
    assert STAMP.match(line) and " iomodels: error: GET http://127.0.0.1:9/" in line


def test_a_load_with_a_mistyped_option_says_so_in_one_timed_line(tmp_path: Path) -> None:
    """A cron line edited wrong fails at once; its log still says when."""
    for args, message in (
        (["--page-size", "500"], "iomodels: error: --page-size must be between 1 and 100, not 500"),
        (["--base-urll", "http://x"], "iomodels: error: unrecognized arguments: --base-urll"),
    ):
        result = iomodels("load", "--data-dir", str(tmp_path), *args)
        assert result.returncode == 2
        [line] = result.stderr.splitlines()
        assert STAMP.match(line) and line.split(" ", 1)[1].startswith(message), line
    other = iomodels("query", "select 1", "--data-dir", str(tmp_path), "--formt", "csv")
    assert other.returncode == 2 and other.stderr.startswith("iomodels: error: ")  # not a load


def test_a_broken_duckdb_file_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "io_models.duckdb").write_bytes(b"not a database" * 1000)
    with running_replica() as url:
        result = iomodels("load", "--base-url", url, "--data-dir", str(tmp_path))
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert "iomodels: unexpected error: " in line and "Traceback" not in result.stderr


def _on_a_terminal(args: list[str]) -> tuple[int, str]:
    """Run the command with stdout and stderr on a pseudo-terminal; (exit code, its output)."""
    leader, follower = pty.openpty()
    env = {**os.environ, **TEST_ENV, "COLUMNS": "100", "TERM": "xterm"}
    env.pop("IOINTELLIGENCE_API_KEY", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines", *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    output = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process is done
                break
            if not chunk:
                break
            output += chunk
        elif process.poll() is not None:
            break
    os.close(leader)
    return process.wait(timeout=30), output.decode(errors="replace")


@pytest.mark.slow
def test_a_terminal_gets_hints_a_progress_bar_and_no_timestamps(tmp_path: Path) -> None:
    with running_replica("--synthetic", "500", "--latency", "0.15") as url:
        code, output = _on_a_terminal(
            [
                *("load", "--base-url", url, "--data-dir", str(tmp_path)),
                *("--page-size", "25", "--workers", "1"),
            ]
        )
    assert code == 0, output
    assert "fetching pages" in output  # rich's bar, drawn while pages arrive
    plain = ANSI.sub("", output).replace("\r", "\n")
    lines = [line for line in plain.splitlines() if line.strip()]
    # the hint names the data dir the load used, so that it can be pasted as it is
    assert f"next: iomodels report --data-dir {tmp_path}   |   " in output
    assert f'iomodels query --data-dir {tmp_path} "select * from analytics.models"' in output
    loaded = next(line for line in lines if "Loaded 500 models" in line)
    assert loaded.startswith("Loaded") and not STAMP.match(loaded)
