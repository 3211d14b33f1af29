"""A year of hourly loads must not fill the disk: unchanged loads leave the data dir as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from pipelines.settings import PARQUET_DIR

LOADS = 6
FILES_SLACK = 2
BYTES_SLACK = 256 * 1024


def _footprint(data_dir: Path, skip: Path | None = None) -> tuple[int, int]:
    files = [
        p for p in data_dir.rglob("*") if p.is_file() and (skip is None or skip not in p.parents)
    ]
    return len(files), sum(p.stat().st_size for p in files)


@pytest.mark.slow
def test_unchanged_loads_leave_the_data_dir_as_it_was(
    replica: str,
    load: Callable[..., CompletedProcess[str]],
    data_dir: Path,
    destination: str,
    sql: Callable[..., list[tuple[object, ...]]],
) -> None:
    load(replica)
    # Parquet's files are its history and append-only (one load_runs row and dlt's record
    # of the load per load); everything else, dlt's working files included, must stay put.
    bucket = data_dir / PARQUET_DIR if destination == "parquet" else None
    first = _footprint(data_dir, bucket)
    for _ in range(LOADS - 1):
        load(replica)
    files, size = _footprint(data_dir, bucket)
    assert abs(files - first[0]) <= FILES_SLACK, (first, files)
    assert abs(size - first[1]) <= BYTES_SLACK, (first, size)
    assert not list((data_dir / ".dlt").glob("*/load/loaded/*"))  # dlt's packages pruned
    assert sql("select count(*), count(distinct outcome) from analytics.load_runs") == [(LOADS, 1)]
    if bucket is not None:
        load_runs = list((bucket / "io_intelligence" / "load_runs").glob("*.parquet"))
        assert len(load_runs) <= LOADS
