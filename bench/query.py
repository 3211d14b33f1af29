"""The `iomodels query` and `iomodels changes` measurements: the whole command, start-up
included, as a user types it (a cron job runs `changes` right after each load)."""

from __future__ import annotations

from pathlib import Path

from measure import Measured, child_env, measure, python

QUERY_SQL = "select count(*) from analytics.models"


def run_query(data_dir: Path) -> Measured:
    """The whole `iomodels query` command, start-up included, exactly as a user types it."""
    argv = [python(), "-m", "pipelines", "query", QUERY_SQL, "--data-dir", str(data_dir)]
    return measure(argv, env=child_env(), timeout_s=60.0)


def query_count(measured: Measured) -> int | None:
    """The count in the printed table (the one line that is a bare integer), else None."""
    numbers = [line.strip() for line in measured.stdout.splitlines() if line.strip().isdigit()]
    return int(numbers[0]) if measured.ok and len(numbers) == 1 else None


def run_changes(data_dir: Path) -> Measured:
    """The whole `iomodels changes` command (the latest load's changes, as a table)."""
    argv = [python(), "-m", "pipelines", "changes", "--data-dir", str(data_dir)]
    return measure(argv, env=child_env(), timeout_s=60.0)
