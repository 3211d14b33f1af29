"""`make bench`: iomodels against dlt's generic rest_api source and a naive requests loop.

Starts the local replica for each scenario, runs every contender in its own process against
it, checks each loaded the whole catalogue, and prints (and writes to bench/results/) a table of
wall time, rows/s, peak RSS and CPU, iomodels' CPU per 1,000 models and its ratio to the fetch
floor of each worker count, the real-size load against `import dlt`, the iomodels stage times,
and the issue's targets.

    .venv/bin/python bench/run.py            # the full run (a few minutes)
    .venv/bin/python bench/run.py --quick    # a smoke run: 5,000 models at 10 ms
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import requests
from contenders import (
    CONTENDERS,
    DLT_FLOOR,
    FLOORS,
    IMPORT_DLT,
    IOMODELS,
    Outcome,
    run_contender,
    run_dlt_floor,
    run_fetch_floor,
    run_import_dlt,
    run_iomodels,
    warm_up,
)
from measure import bytecode_as_is, machine, private_bytecode_cache, sources_fingerprint
from plan import BUNDLED, LARGE, RERUN, SMALL, Plan, Results, Scenario, build_plan
from query import query_count, run_changes, run_query
from replica import ReplicaError, catalogue_size, serving, warm
from report import markdown
from report_scale import markdown as report_scale_markdown
from report_scale import run_all as run_report_scale
from results_json import RESULTS_DIR, raw, write
from targets import checks

QUERY_RUNS = 3
SMALL_REPEATS = 3  # runs of each contender on the bundled catalogue; the median is kept


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 5,000 models at 10 ms per request"
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="no private byte-code cache: children run with the environment as it is",
    )
    parser.add_argument("--only", choices=CONTENDERS, help="run one contender only")
    parser.add_argument("--models", type=int, help="models in the large scenario (default 100000)")
    parser.add_argument(
        "--latency", type=float, metavar="S", help="seconds of latency per request (default 0.05)"
    )
    args = parser.parse_args(argv)
    if args.models is not None and args.models < 1:
        parser.error("--models must be at least 1")
    if args.latency is not None and args.latency < 0:
        parser.error("--latency must not be negative")
    return args


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _report_outcome(outcome: Outcome) -> None:
    m = outcome.measured
    state = "ok" if outcome.ok else f"FAILED: {outcome.error}"
    progress(
        f"    {outcome.contender}: {m.wall_s:.2f} s, {m.peak_rss_mib:.0f} MiB, "
        f"CPU {m.cpu_s:.1f} s, machine busy {m.machine_busy_pct:.0f}%, {state}"
    )


def _median_run(runs: list[Outcome]) -> Outcome:
    """The run of median wall time (a failed run wins: failures are reported, not hidden)."""
    failed = [o for o in runs if not o.ok]
    chosen = failed[0] if failed else sorted(runs, key=lambda o: o.measured.wall_s)[len(runs) // 2]
    chosen.walls = [o.measured.wall_s for o in runs]
    return chosen


def run_scenario(scenario: Scenario, results: Results, work: Path, url: str) -> None:
    expected = results.catalogue_sizes[scenario.key]
    # The small catalogue takes a second or two per run: repeat it, interleaved, and keep the
    # median, so one noisy run does not decide its target.
    repeats = SMALL_REPEATS if scenario.key == BUNDLED else 1
    # The real-size load is judged against `import dlt` alone, measured in the same rounds, as
    # is the least a dlt loader does (the dlt floor).
    with_import = scenario.key == BUNDLED and IOMODELS in scenario.contenders
    rows = (*scenario.contenders, DLT_FLOOR, IMPORT_DLT) if with_import else scenario.contenders
    runs: dict[str, list[Outcome]] = {c: [] for c in rows}
    for i in range(repeats):
        for contender in rows:
            progress(f"  {contender} ...")
            if contender == IMPORT_DLT:
                outcome = run_import_dlt(scenario.key)
            elif contender == DLT_FLOOR:
                where = work / scenario.key / f"run{i}" / "dlt-floor"
                outcome = run_dlt_floor(scenario.key, url, where, expected)
            elif scenario.key == RERUN:  # the same data dir as the (b) run, unchanged catalogue
                outcome = run_iomodels(RERUN, url, work / LARGE / "run0" / IOMODELS, expected)
            else:
                where = work / scenario.key / f"run{i}"
                outcome = run_contender(contender, scenario.key, url, where, expected)
            runs[contender].append(outcome)
            _report_outcome(outcome)
    results.outcomes += [_median_run(r) for r in runs.values()]
    if scenario.key == LARGE:  # a fetch floor as wide as each iomodels row, for reference
        for floor in [FLOORS[c] for c in scenario.contenders if c in FLOORS]:
            progress(f"  {floor}, a reference ...")
            results.outcomes.append(run_fetch_floor(LARGE, url, expected, floor))
            _report_outcome(results.outcomes[-1])
    if scenario.key == BUNDLED and results.ok(BUNDLED, IOMODELS):
        for _ in range(QUERY_RUNS):
            measured = run_query(work / BUNDLED / "run0" / IOMODELS)
            results.queries.append(measured)
            results.query_counts.append(query_count(measured))
            results.changes.append(run_changes(work / BUNDLED / "run0" / IOMODELS))
        walls = ", ".join(f"{q.wall_s:.2f}" for q in results.queries)
        progress(f"  iomodels query: {walls} s")
        walls = ", ".join(f"{c.wall_s:.2f}" for c in results.changes)
        progress(f"  iomodels changes: {walls} s")


def run_plan(plan: Plan, work: Path) -> Results:
    results = Results(plan)
    # (b) and (d) share one server: (d) re-reads the same, unchanged catalogue.
    groups = [[BUNDLED], [LARGE, RERUN], [SMALL]]
    for keys in groups:
        scenarios = [s for k in keys if (s := plan.scenario(k)) is not None]
        if not scenarios:
            continue
        first = scenarios[0]
        with serving(first.models, first.latency_s) as url:
            size = catalogue_size(url)
            if first.models is not None:
                progress(f"warming the replica: every page of {size:,} models once ...")
                warm(url, size)
            if first.key == BUNDLED:
                progress(f"warm-up: each contender once, unmeasured, at {url} ...")
                results.warm_up_problems = warm_up(first.contenders, url, work / "warm-up", size)
            for scenario in scenarios:
                results.catalogue_sizes[scenario.key] = size
                progress(f"{scenario.title}: {size:,} models at {url}")
                run_scenario(scenario, results, work, url)
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    plan = build_plan(
        quick=args.quick, only=args.only, models=args.models, latency_s=args.latency, cold=args.cold
    )
    facts = machine()  # before the runs: the date and load average they started at
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="iomodels-bench-") as tmp:
        bytecode = bytecode_as_is() if args.cold else private_bytecode_cache(Path(tmp) / "pyc")
        try:
            results = run_plan(plan, Path(tmp))
            # the HTML report at 5,000 and 50,000 models (a smoke size when --quick)
            scale = run_report_scale(Path(tmp), (2_000,) if args.quick else (5_000, 50_000))
        except (ReplicaError, requests.RequestException, RuntimeError) as exc:
            print(f"bench: the replica failed, nothing measured: {exc}", file=sys.stderr)
            return 2
        results.bytecode = bytecode
    results.total_s = time.perf_counter() - started
    facts["load_average_end"] = round(os.getloadavg()[0], 2)
    facts["iomodels_sources_end"] = sources_fingerprint()
    found = checks(results)
    text = markdown(results, facts, found) + "\n" + report_scale_markdown(scale)
    print(text)
    md, js = RESULTS_DIR / f"{plan.name}.md", RESULTS_DIR / f"{plan.name}.json"
    write(md, text)
    doc = raw(results, facts, found) | {"report_scale": [r.as_dict() for r in scale]}
    write(js, json.dumps(doc, indent=2, default=str) + "\n")
    progress(
        f"written: {md.relative_to(Path.cwd()) if md.is_relative_to(Path.cwd()) else md}, {js.name}"
    )
    return 0 if all(o.ok for o in results.outcomes) and all(r.ok for r in scale) else 1


if __name__ == "__main__":
    sys.exit(main())
