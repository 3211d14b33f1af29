"""The contenders, each run in its own process, and the check that it loaded everything.

Scenario (b) also runs iomodels with `--workers 8` and a fetch floor with 8 threads; iomodels'
default of 4 workers stays the reference every other row is compared with.

A contender's row count is read back from the DuckDB file it wrote, never taken from its own
output: a run that exits 0 but loads the wrong number of rows is reported as failed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from measure import ROOT, Measured, child_env, measure, python
from query import run_query

IOMODELS = "iomodels"
REST_API = "rest_api"
NAIVE = "naive"
CONTENDERS = (IOMODELS, REST_API, NAIVE)  # what --only chooses from
FETCH_FLOOR = "fetch floor"  # a reference, not a contender: GET + parse only, nothing stored
IMPORT_DLT = "import dlt"  # a reference, not a contender: `python -c "import dlt"`, in (a) only
DLT_FLOOR = "dlt floor"  # a reference too, in (a) only: one GET and one bare `pipeline.run`
BENCH_DIR = ROOT / "bench"
TIMEOUT_S = 420.0
IOMODELS_WORKERS = 4  # iomodels' default; passed explicitly so the latency bound matches the run
WIDE_WORKERS = 8  # the user's knob turned up: `--workers 8`, in scenario (b) only
IOMODELS_WIDE = f"iomodels ({WIDE_WORKERS} workers)"
FETCH_FLOOR_WIDE = f"fetch floor ({WIDE_WORKERS} threads)"
LOADERS = (IOMODELS, IOMODELS_WIDE)  # the iomodels rows, each checked against its own bound
FLOORS = {IOMODELS: FETCH_FLOOR, IOMODELS_WIDE: FETCH_FLOOR_WIDE}  # floor of the same width
WORKERS = {
    IOMODELS: IOMODELS_WORKERS,
    IOMODELS_WIDE: WIDE_WORKERS,
    FETCH_FLOOR: IOMODELS_WORKERS,
    FETCH_FLOOR_WIDE: WIDE_WORKERS,
}
ROW_ORDER = (
    IOMODELS,
    IOMODELS_WIDE,
    REST_API,
    NAIVE,
    FETCH_FLOOR,
    FETCH_FLOOR_WIDE,
    DLT_FLOOR,
    IMPORT_DLT,
)
WORK_DIRS = {IOMODELS_WIDE: f"iomodels-{WIDE_WORKERS}-workers"}  # else the contender's name

# Where each contender's rows end up: DuckDB file inside its work dir, and the table to count.
IOMODELS_DB, IOMODELS_TABLE = "io_models.duckdb", "analytics.models"
REST_API_DB, REST_API_TABLE = "rest_api.duckdb", "io_models.models"
NAIVE_DB, NAIVE_TABLE = "naive.duckdb", "models"


@dataclass
class Outcome:
    """One measured run of one contender in one scenario."""

    scenario: str
    contender: str
    measured: Measured
    expected_rows: int
    rows: int | None = None
    distinct_ids: int | None = None
    error: str | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    walls: list[float] = field(default_factory=list)  # every run's wall time, when repeated
    workers: int | None = None  # concurrent requests (iomodels' --workers, the floor's threads)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def rows_per_s(self) -> float | None:
        if not self.ok or self.rows is None or self.measured.wall_s <= 0:
            return None
        return self.rows / self.measured.wall_s


def count_rows(database: Path, table: str) -> tuple[int, int]:
    """Rows and distinct model ids in `table` of `database`, opened read-only."""
    with duckdb.connect(str(database), read_only=True) as con:
        found = con.execute(f"select count(*), count(distinct model_id) from {table}").fetchone()
    assert found is not None
    return int(found[0]), int(found[1])


def _check(outcome: Outcome, database: Path, table: str) -> Outcome:
    if not outcome.measured.ok:
        outcome.error = outcome.measured.failure()
        return outcome
    try:
        outcome.rows, outcome.distinct_ids = count_rows(database, table)
    except (duckdb.Error, OSError) as exc:
        outcome.error = f"cannot count rows in {database.name}: {str(exc).splitlines()[0]}"
        return outcome
    if outcome.rows != outcome.expected_rows or outcome.distinct_ids != outcome.expected_rows:
        outcome.error = (
            f"wrong row count: {outcome.rows} rows, {outcome.distinct_ids} distinct model ids, "
            f"catalogue has {outcome.expected_rows}"
        )
    return outcome


def iomodels_argv(url: str, data_dir: Path, workers: int) -> list[str]:
    return [
        python(),
        "-m",
        "pipelines",
        "load",
        "--base-url",
        url,
        "--data-dir",
        str(data_dir),
        "--workers",
        str(workers),
        "--json",
    ]


def run_iomodels(
    scenario: str, url: str, data_dir: Path, expected: int, contender: str = IOMODELS
) -> Outcome:
    """`iomodels load --json` into `data_dir` (fresh, or reused for the unchanged re-run), with
    the worker count of `contender` (IOMODELS or IOMODELS_WIDE)."""
    workers = WORKERS[contender]
    measured = measure(iomodels_argv(url, data_dir, workers), env=child_env(), timeout_s=TIMEOUT_S)
    outcome = Outcome(scenario, contender, measured, expected, workers=workers)
    if measured.ok:
        try:
            outcome.summary = json.loads(measured.stdout)
        except json.JSONDecodeError:
            outcome.error = "the --json summary is not JSON"
            return outcome
    return _check(outcome, data_dir / IOMODELS_DB, IOMODELS_TABLE)


def run_rest_api(scenario: str, url: str, work: Path, expected: int) -> Outcome:
    argv = [python(), str(BENCH_DIR / "rest_api_load.py"), url, str(work)]
    measured = measure(argv, env=child_env(), timeout_s=TIMEOUT_S)
    return _check(
        Outcome(scenario, REST_API, measured, expected), work / REST_API_DB, REST_API_TABLE
    )


def run_naive(scenario: str, url: str, work: Path, expected: int) -> Outcome:
    argv = [python(), str(BENCH_DIR / "naive_load.py"), url, str(work)]
    measured = measure(argv, env=child_env(), timeout_s=TIMEOUT_S)
    return _check(Outcome(scenario, NAIVE, measured, expected), work / NAIVE_DB, NAIVE_TABLE)


def run_fetch_floor(scenario: str, url: str, expected: int, floor: str = FETCH_FLOOR) -> Outcome:
    """The reference: as many threads as `floor` has workers, that only GET and parse pages."""
    threads = WORKERS[floor]
    argv = [python(), str(BENCH_DIR / "fetch_floor.py"), url, str(threads)]
    measured = measure(argv, env=child_env(), timeout_s=TIMEOUT_S)
    outcome = Outcome(scenario, floor, measured, expected, workers=threads)
    if not measured.ok:
        outcome.error = measured.failure()
        return outcome
    try:
        outcome.rows = int(json.loads(measured.stdout)["rows"])
    except (json.JSONDecodeError, KeyError, TypeError, ValueError):
        outcome.error = "fetch_floor.py printed no row count"
        return outcome
    if outcome.rows != expected:
        outcome.error = f"parsed {outcome.rows} rows, catalogue has {expected}"
    return outcome


def run_import_dlt(scenario: str) -> Outcome:
    """The reference of start-up: a process that only imports dlt, what any dlt loader pays."""
    measured = measure([python(), "-c", "import dlt"], env=child_env(), timeout_s=TIMEOUT_S)
    outcome = Outcome(scenario, IMPORT_DLT, measured, expected_rows=0)
    if not measured.ok:
        outcome.error = measured.failure()
    return outcome


def run_dlt_floor(scenario: str, url: str, work: Path, expected: int) -> Outcome:
    """The least a dlt loader does (bench/dlt_floor.py): its rows counted in its DuckDB file."""
    argv = [python(), str(BENCH_DIR / "dlt_floor.py"), url, str(work)]
    measured = measure(argv, env=child_env(), timeout_s=TIMEOUT_S)
    outcome = Outcome(scenario, DLT_FLOOR, measured, expected_rows=expected)
    if not measured.ok:
        outcome.error = measured.failure()
        return outcome
    try:
        outcome.rows = int(json.loads(measured.stdout)["rows"])
    except (ValueError, KeyError, IndexError):
        outcome.error = "dlt_floor.py printed no row count"
        return outcome
    if outcome.rows != expected:
        outcome.error = f"loaded {outcome.rows} rows, catalogue has {expected}"
    return outcome


def run_contender(contender: str, scenario: str, url: str, work: Path, expected: int) -> Outcome:
    where = work / WORK_DIRS.get(contender, contender)
    if contender in LOADERS:
        return run_iomodels(scenario, url, where, expected, contender)
    runners = {REST_API: run_rest_api, NAIVE: run_naive}
    return runners[contender](scenario, url, where, expected)


def warm_up(contenders: tuple[str, ...], url: str, work: Path, expected: int) -> list[str]:
    """Run each contender once, unmeasured, so that no measured run pays for compiling modules
    to byte code or for a cold OS file cache. Returns what went wrong, if anything."""
    problems = []
    for contender in contenders:
        outcome = run_contender(contender, "warm-up", url, work, expected)
        if not outcome.ok:
            problems.append(f"{contender}: {outcome.error}")
    if IOMODELS in contenders:
        run_query(work / IOMODELS)
    return problems
