"""A data dir moved or copied elsewhere (a backup, rsync to another machine) still reads its own
data: the Parquet views file names files by absolute path, so the read path notices views that
read another folder and reads the files that are here instead, until the next load rewrites it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import iomodels, load_catalogue, untimed, write_catalogue

MODELS = load_catalogue()
WARNING = "read files of another folder (this data dir was moved or copied)"


def count(data_dir: Path, destination: str, sql: str) -> tuple[int, str]:
    result = iomodels(
        "query", sql, "--format", "json", "--destination", destination,
        "--data-dir", str(data_dir),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)[0]["n"], result.stderr


@pytest.mark.parametrize("destination", ["duckdb", "parquet"])
def test_a_moved_and_a_copied_data_dir_read_their_own_files(
    destination: str, replica: str, catalogue_file: Path, tmp_path: Path
) -> None:
    original = tmp_path / "original"
    load = ("load", "--base-url", replica, "--destination", destination)
    assert iomodels(*load, "--data-dir", str(original)).returncode == 0
    copy = tmp_path / "copy"
    shutil.copytree(original, copy)
    moved = tmp_path / "moved"
    original.rename(moved)  # the copy's views (Parquet) read a folder that is gone now

    models = "select count(*) as n from analytics.models"
    for data_dir in (moved, copy):
        n, err = count(data_dir, destination, models)
        assert n == len(MODELS)
        assert (WARNING in err) == (destination == "parquet")
        assert len(untimed(err).splitlines()) == (1 if destination == "parquet" else 0)

    # the copy goes its own way: a model leaves its catalogue, the moved original keeps it
    write_catalogue(catalogue_file, MODELS[1:])
    assert iomodels(*load, "--data-dir", str(copy)).returncode == 0
    n, err = count(copy, destination, models)
    assert (n, err) == (len(MODELS) - 1, "")  # the load rewrote the views: no warning
    assert count(moved, destination, models)[0] == len(MODELS)
    report = iomodels("report", "--destination", destination, "--data-dir", str(moved))
    assert report.returncode == 0 and f"{len(MODELS)} models" in report.stdout
