"""The benchmark's report: one Markdown text for the terminal and bench/results/, plus raw JSON."""

from __future__ import annotations

import statistics
from typing import Any

from contenders import DLT_FLOOR, FLOORS, IMPORT_DLT, IOMODELS, LOADERS, Outcome
from plan import BUNDLED, LARGE, RERUN, Results
from preamble import preamble
from targets import Check


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: list[str], rows: list[list[str]], right: int = 2) -> list[str]:
    """A Markdown table; columns from index `right` on are right-aligned."""
    rule = [":---" if i < right else "---:" for i in range(len(header))]
    return [_row(header), _row(rule), *(_row(r) for r in rows)]


def _baseline(results: Results, outcome: Outcome) -> Outcome | None:
    """The iomodels run a contender is compared with: same scenario; (d) compares with (b)."""
    scenario = LARGE if outcome.scenario == RERUN else outcome.scenario
    if outcome.contender == IOMODELS and outcome.scenario != RERUN:
        return None
    return results.ok(scenario, IOMODELS)


def _outcome_row(results: Results, outcome: Outcome) -> list[str]:
    scenario = results.plan.scenario(outcome.scenario)
    name = outcome.contender + (" (re-run)" if outcome.scenario == RERUN else "")
    if len(outcome.walls) > 1:
        name += f" (median of {len(outcome.walls)})"
    m = outcome.measured
    if outcome.ok and outcome.rows is None:  # a reference that loads nothing (import dlt)
        rows, rate = "—", "—"
    elif outcome.ok:
        rows, rate = f"{outcome.rows:,}", f"{outcome.rows_per_s:,.0f}"
    else:
        rows, rate = f"FAILED ({outcome.rows if outcome.rows is not None else '?'})", "—"
    base = _baseline(results, outcome)
    if outcome.contender == IOMODELS and outcome.scenario != RERUN:
        ratio = "1.00x"
    elif base is not None and outcome.ok and outcome.rows is not None:
        ratio = f"{m.wall_s / base.measured.wall_s:.2f}x"
    else:
        ratio = "—"
    title = scenario.title if scenario else outcome.scenario
    return [
        title,
        name,
        f"{m.wall_s:.2f}",
        rows,
        rate,
        f"{m.peak_rss_mib:.0f}",
        ratio,
        f"{m.cpu_s:.1f}",
        cpu_per_1k(outcome),
        f"{m.machine_busy_pct:.0f}",
    ]


def cpu_per_1k(outcome: Outcome) -> str:
    """CPU seconds per 1,000 rows loaded (start-up included), or — when nothing was loaded."""
    if not outcome.ok or not outcome.rows:
        return "—"
    return f"{outcome.measured.cpu_s * 1000 / outcome.rows:.3f}"


def _query_row(results: Results, command: str = "query") -> list[str]:
    """The `iomodels query` row (its count in the rows column), or the `changes` one."""
    runs = results.queries if command == "query" else results.changes
    walls = [q.wall_s for q in runs]
    counts = results.query_counts
    rows = f"{counts[0]:,}" if counts and counts[0] is not None else "FAILED"
    if command != "query":
        rows = "—" if all(r.ok for r in runs) else "FAILED"
    scenario = results.plan.scenario(BUNDLED)
    return [
        scenario.title if scenario else BUNDLED,
        f"iomodels {command} (median of {len(walls)})",
        f"{statistics.median(walls):.2f}",
        rows,
        "—",
        f"{max(q.peak_rss_mib for q in runs):.0f}",
        "—",
        f"{statistics.median(q.cpu_s for q in runs):.1f}",
        "—",
        f"{statistics.median(q.machine_busy_pct for q in runs):.0f}",
    ]


def results_table(results: Results) -> list[str]:
    header = [
        "scenario",
        "contender",
        "wall s",
        "rows",
        "rows/s",
        "peak RSS MiB",
        "vs iomodels",
        "CPU s",
        "CPU s / 1k rows",
        "machine busy %",
    ]
    rows = [_outcome_row(results, o) for o in results.ordered()]
    if results.queries:
        at = max(
            (i + 1 for i, o in enumerate(results.ordered()) if o.scenario == BUNDLED), default=0
        )
        rows.insert(at, _query_row(results))
        if results.changes:
            rows.insert(at + 1, _query_row(results, "changes"))
    return _table(header, rows)


def stage_table(results: Results) -> list[str]:
    runs = [o for o in results.ordered() if o.contender in LOADERS and o.summary]
    timed = [o for o in runs if isinstance(o.summary.get("timings"), dict)]
    if not timed:
        return ["(the iomodels JSON summary has no `timings` object in this version)"]
    stages: list[str] = []
    for o in timed:
        stages += [s for s in o.summary["timings"] if s not in stages]
    rows = []
    for o in timed:
        scenario = results.plan.scenario(o.scenario)
        times = o.summary["timings"]
        rows.append(
            [
                scenario.title if scenario else o.scenario,
                o.contender + (" (re-run)" if o.scenario == RERUN else ""),
                f"{o.measured.wall_s:.2f}",
                f"{o.summary.get('seconds', float('nan')):.2f}",
                *(
                    f"{times[s]:.2f}" if isinstance(times.get(s), int | float) else "—"
                    for s in stages
                ),
            ]
        )
    header = ["scenario", "run", "process wall s", "in-process s", *stages]
    return _table(header, rows, right=2)


def floors_table(results: Results) -> list[str]:
    """Each iomodels row of (b) against the fetch floor of its own width, CPU per 1k models."""
    rows = []
    for loader in LOADERS:
        ours, floor = results.ok(LARGE, loader), results.ok(LARGE, FLOORS[loader])
        if ours is None:
            continue
        wall, cpu = ours.measured.wall_s, ours.measured.cpu_s
        rows.append(
            [
                loader,
                f"{ours.workers}",
                f"{wall:.2f}",
                f"{floor.measured.wall_s:.2f}" if floor else "—",
                f"{wall / floor.measured.wall_s:.2f}x" if floor else "—",
                f"{cpu:.1f}",
                f"{floor.measured.cpu_s:.1f}" if floor else "—",
                cpu_per_1k(ours),
            ]
        )
    if not rows:
        return ["(no iomodels run of (b) completed)"]
    header = [
        "run",
        "workers",
        "wall s",
        "fetch floor wall s",
        "÷ floor",
        "CPU s",
        "floor CPU s",
        "CPU s / 1k models",
    ]
    return _table(header, rows, right=1)


def start_up_lines(results: Results) -> list[str]:
    """The real-size (bundled catalogue) load against a process that only imports dlt."""
    ours, dlt_only = results.ok(BUNDLED, IOMODELS), results.ok(BUNDLED, IMPORT_DLT)
    if ours is None or dlt_only is None:
        return ["(not measured: the bundled-catalogue iomodels run or `import dlt` is missing)"]
    a, b = ours.measured, dlt_only.measured
    lines = [
        f"Real size: `iomodels load` {a.wall_s:.2f} s wall, {a.cpu_s:.2f} s CPU; "
        f'`python -c "import dlt"` {b.wall_s:.2f} s wall, {b.cpu_s:.2f} s CPU (medians of '
        f"{len(ours.walls) or 1} interleaved runs): {a.wall_s / b.wall_s:.2f}x; "
        f"{a.wall_s - b.wall_s:.2f} s beyond `import dlt`."
    ]
    floor = results.ok(BUNDLED, DLT_FLOOR)
    if floor is not None:
        c = floor.measured
        lines += [
            "",
            f"The dlt floor (`bench/dlt_floor.py`: one GET, then one bare `pipeline.run` of the "
            f"rows into DuckDB) in the same rounds: {c.wall_s:.2f} s wall, {c.cpu_s:.2f} s CPU = "
            f"{c.wall_s / b.wall_s:.2f}x `import dlt`; iomodels = {a.wall_s / c.wall_s:.2f}x "
            "the dlt floor.",
        ]
    return lines


def checks_table(checks: list[Check]) -> list[str]:
    rows = [[f"({c.scenario})", c.target, c.measured, f"**{c.status}**"] for c in checks]
    return _table(["scenario", "target", "measured", "result"], rows, right=4)


def failures(results: Results) -> list[str]:
    found = [f"- ({o.scenario}) {o.contender}: {o.error}" for o in results.ordered() if not o.ok]
    return found + [f"- (warm-up) {problem}" for problem in results.warm_up_problems]


def markdown(results: Results, machine: dict[str, Any], checks: list[Check]) -> str:
    lines = [
        *preamble(results, machine),
        "## Results",
        "",
        *results_table(results),
        "",
    ]
    if failures(results):
        lines += ["Failures:", "", *failures(results), ""]
    lines += ["## CPU and the fetch floor ((b), each worker count)", "", *floors_table(results)]
    lines += ["", *start_up_lines(results), ""]
    lines += ["## iomodels stage times (s, from its JSON summary)", "", *stage_table(results), ""]
    lines += ["## Targets", "", *checks_table(checks), ""]
    passed = sum(c.status == "PASS" for c in checks)
    missed = sum(c.status == "MISS" for c in checks)
    lines += [
        f"{passed} passed, {missed} missed, {len(checks) - passed - missed} not measured. "
        f"Total benchmark time {results.total_s:.0f} s.",
        "",
    ]
    return "\n".join(lines)
