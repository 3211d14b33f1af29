"""BI tools on DuckDB 1.x open what a load publishes: every view, with the real 1.5 CLI."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from pipelines.settings import DUCKDB_FILE, PARQUET_VIEWS_FILE

# The `duckdb-cli` 1.5.6 package (a dev dependency) installs DuckDB's own 1.x CLI binary.
CLI = Path(sys.executable).parent / "duckdb"


def _cli(database: Path, sql: str) -> str:
    result = subprocess.run(
        [str(CLI), "-readonly", "-csv", str(database), "-c", sql],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr, result.stderr
    return result.stdout


@pytest.mark.slow
@pytest.mark.skipif(not CLI.exists(), reason="the duckdb-cli dev dependency is not installed")
@pytest.mark.parametrize("destination", ["duckdb", "parquet"])  # the files a 1.x CLI opens
def test_every_view_opens_in_duckdb_1x(
    replica: str,
    load: Callable[..., CompletedProcess[str]],
    data_dir: Path,
    destination: str,
    sql: Callable[..., list[tuple[object, ...]]],
) -> None:
    load(replica)
    load(replica)
    database = data_dir / (DUCKDB_FILE if destination == "duckdb" else PARQUET_VIEWS_FILE)
    assert _cli(database, "select version()").splitlines()[1].startswith("v1.")
    views = [
        (schema, name)
        for schema, name in sql(
            "select schema_name, view_name from duckdb_views() where not internal order by 1, 2"
        )
    ]
    assert len([v for v in views if v[0] == "analytics"]) >= 10
    # every view's row count, in one run of the CLI (a view it cannot bind fails the run, and
    # DuckDB's error names it)
    names = [f"{schema}.{name}" for schema, name in views]
    expected = {name: str(sql(f"select count(*) from {name}")[0][0]) for name in names}
    counts = " union all ".join(f"select '{n}' as v, count(*) as n from {n}" for n in names)
    header, *counted = csv.reader(io.StringIO(_cli(database, counts)))
    assert header == ["v", "n"]
    assert {view: n for view, n in counted} == expected
    # values, not only counts: the same models and prices as DuckDB 2.0 reads
    expected_rows = sql(
        "select name, cast(input_price as varchar) from analytics.models order by name"
    )
    out = _cli(
        database, "select name, cast(input_price as varchar) from analytics.models order by name"
    )
    rows = [tuple(r) for r in csv.reader(io.StringIO(out))][1:]
    assert rows == [(n, "NULL" if p is None else p) for n, p in expected_rows]
    # the table macro too
    macro = _cli(database, "select count(*) from analytics.catalogue_as_of(now())")
    assert macro.splitlines()[1] == str(sql("select count(*) from analytics.models")[0][0])
