"""The issues' performance targets, checked against what this run measured.

The speed targets of (b) are checked for both iomodels rows, the default 4 workers and
`--workers 8`, each against the latency bound (and, for 8 workers, the fetch floor) of its own
worker count; the memory and CPU targets are the default row's. CPU is the process's own user +
system time (wait4), so it is the figure that a busy machine distorts least.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from contenders import (
    DLT_FLOOR,
    FLOORS,
    IMPORT_DLT,
    IOMODELS,
    IOMODELS_WIDE,
    LOADERS,
    NAIVE,
    REST_API,
    Outcome,
)
from plan import BUNDLED, LARGE, RERUN, SMALL, Results

PASS, MISS, NA = "PASS", "MISS", "n/a"
PAGE_SIZE = 100
# ≥ this many times faster than rest_api in (b), per iomodels row (issue 15)
FASTER_THAN_REST_API = {IOMODELS: 5.0, IOMODELS_WIDE: 6.0}
CPU_S_PER_1K_MODELS = 0.10  # 10 s of CPU for 100,000 models, start-up included
WITHIN_FLOOR = 1.3  # the 8-worker row's wall ÷ the 8-thread fetch floor's
IMPORT_DLT_FACTOR = 1.5  # the real-size load's wall ÷ `python -c "import dlt"`'s


@dataclass(frozen=True)
class Check:
    scenario: str
    target: str
    measured: str
    status: str
    value: float | None = None
    contender: str = IOMODELS  # the iomodels row the target was checked against


def _verdict(ok: bool) -> str:
    return PASS if ok else MISS


def _not_measured(results: Results, scenario: str, target: str, *contenders: str) -> Check:
    """A check that cannot be computed: MISS if an iomodels row failed, n/a if not run."""
    reasons, failed_self = [], False
    for contender in contenders:
        found = results.get(scenario, contender)
        if found is None:
            reasons.append(f"{contender} not run")
        elif not found.ok:
            reasons.append(f"{contender} failed")
            failed_self = failed_self or contender in LOADERS
    loader = next((c for c in contenders if c in LOADERS), IOMODELS)
    text = "; ".join(reasons) or "not run"
    return Check(scenario, target, text, MISS if failed_self else NA, contender=loader)


def _faster(results: Results, loader: str, other: str, factor: float) -> Check:
    target = f"{loader} ≥ {factor:g}x faster than {other}"
    ours, theirs = results.ok(LARGE, loader), results.ok(LARGE, other)
    if ours is None or theirs is None:
        return _not_measured(results, LARGE, target, loader, other)
    ratio = theirs.measured.wall_s / ours.measured.wall_s
    text = f"{other} {theirs.measured.wall_s:.2f} s / {loader} {ours.measured.wall_s:.2f} s"
    verdict = _verdict(ratio >= factor)
    return Check(LARGE, target, f"{text} = {ratio:.2f}x", verdict, ratio, loader)


def latency_bound_s(results: Results, ours: Outcome) -> float | None:
    """Pages x latency / the run's own worker count: the wall time of pure waiting."""
    scenario = results.plan.scenario(ours.scenario)
    if scenario is None or not scenario.latency_s or not ours.workers:
        return None
    pages = ours.summary.get("pages") or math.ceil(ours.expected_rows / PAGE_SIZE)
    return float(pages) * scenario.latency_s / ours.workers


def _latency_bound(results: Results, loader: str) -> Check:
    target = f"{loader} within 1.5x of the latency bound (pages x latency / workers)"
    ours = results.ok(LARGE, loader)
    if ours is None:
        return _not_measured(results, LARGE, target, loader)
    bound = latency_bound_s(results, ours)
    if bound is None:
        return Check(LARGE, target, "no latency configured", NA, contender=loader)
    ratio = ours.measured.wall_s / bound
    text = (
        f"{ours.measured.wall_s:.2f} s vs bound {bound:.2f} s ({ours.workers} workers) "
        f"= {ratio:.2f}x"
    )
    inside = ours.summary.get("seconds")
    if isinstance(inside, int | float):
        text += f" (in-process {inside:.2f} s = {inside / bound:.2f}x)"
    floor = results.ok(LARGE, FLOORS[loader])
    if floor is not None:
        wall = floor.measured.wall_s
        text += f"; {floor.contender} {wall:.2f} s = {wall / bound:.2f}x"
    return Check(LARGE, target, text, _verdict(ratio <= 1.5), ratio, loader)


def _within_floor(results: Results, loader: str, factor: float) -> Check:
    floor_name = FLOORS[loader]
    target = f"{loader} within {factor:g}x of the {floor_name}"
    ours, floor = results.ok(LARGE, loader), results.ok(LARGE, floor_name)
    if ours is None or floor is None:
        return _not_measured(results, LARGE, target, loader, floor_name)
    ratio = ours.measured.wall_s / floor.measured.wall_s
    text = f"{ours.measured.wall_s:.2f} s / {floor.measured.wall_s:.2f} s = {ratio:.2f}x"
    return Check(LARGE, target, text, _verdict(ratio <= factor), ratio, loader)


def _cpu(results: Results) -> Check:
    per_100k = CPU_S_PER_1K_MODELS * 100
    target = f"iomodels CPU ≤ {per_100k:g} s per 100,000 models ({CPU_S_PER_1K_MODELS:g} s per 1k)"
    ours = results.ok(LARGE, IOMODELS)
    if ours is None or not ours.rows:
        return _not_measured(results, LARGE, target, IOMODELS)
    per_1k = ours.measured.cpu_s * 1000 / ours.rows
    text = f"{ours.measured.cpu_s:.1f} s for {ours.rows:,} models = {per_1k:.3f} s per 1k"
    return Check(LARGE, target, text, _verdict(per_1k <= CPU_S_PER_1K_MODELS), per_1k)


def _start_up(results: Results) -> Check:
    target = f'iomodels wall ≤ {IMPORT_DLT_FACTOR:g}x `python -c "import dlt"` wall'
    ours, dlt_only = results.ok(BUNDLED, IOMODELS), results.ok(BUNDLED, IMPORT_DLT)
    if ours is None or dlt_only is None:
        return _not_measured(results, BUNDLED, target, IOMODELS, IMPORT_DLT)
    ratio = ours.measured.wall_s / dlt_only.measured.wall_s
    text = (
        f"iomodels {ours.measured.wall_s:.2f} s / import dlt {dlt_only.measured.wall_s:.2f} s "
        f"= {ratio:.2f}x"
    )
    floor = results.ok(BUNDLED, DLT_FLOOR)
    if floor is not None:  # what a bare dlt pipeline itself comes to, for scale
        text += f" (the dlt floor: {floor.measured.wall_s / dlt_only.measured.wall_s:.2f}x)"
    return Check(BUNDLED, target, text, _verdict(ratio <= IMPORT_DLT_FACTOR), ratio)


def _peak_rss(results: Results) -> Check:
    target = "iomodels peak RSS ≤ 300 MiB"
    ours = results.ok(LARGE, IOMODELS)
    if ours is None:
        return _not_measured(results, LARGE, target, IOMODELS)
    rss = ours.measured.peak_rss_mib
    return Check(LARGE, target, f"{rss:.0f} MiB", _verdict(rss <= 300), rss)


def _growth(results: Results) -> Check:
    large, small = results.plan.scenario(LARGE), results.plan.scenario(SMALL)
    sizes = f"{large.models:,}/{small.models:,}" if large and small else "large/small"
    target = f"iomodels peak RSS ratio {sizes} models ≤ 1.3x"
    big, little = results.ok(LARGE, IOMODELS), results.ok(SMALL, IOMODELS)
    if big is None or little is None:
        return _not_measured(results, SMALL, target, IOMODELS)
    ratio = big.measured.peak_rss_mib / little.measured.peak_rss_mib
    text = (
        f"{big.measured.peak_rss_mib:.0f} MiB / {little.measured.peak_rss_mib:.0f} MiB "
        f"= {ratio:.2f}x"
    )
    return Check(SMALL, target, text, _verdict(ratio <= 1.3), ratio)


def _small_catalogue(results: Results) -> Check:
    target = "iomodels wall ≤ 0.8x rest_api wall"
    ours, theirs = results.ok(BUNDLED, IOMODELS), results.ok(BUNDLED, REST_API)
    if ours is None or theirs is None:
        return _not_measured(results, BUNDLED, target, IOMODELS, REST_API)
    ratio = ours.measured.wall_s / theirs.measured.wall_s
    text = f"iomodels {ours.measured.wall_s:.2f} s / rest_api {theirs.measured.wall_s:.2f} s"
    return Check(BUNDLED, target, f"{text} = {ratio:.2f}x", _verdict(ratio <= 0.8), ratio)


def _query(results: Results) -> Check:
    target = '`iomodels query "select count(*) from analytics.models"` ≤ 0.6 s'
    if not results.queries:
        return _not_measured(results, BUNDLED, target, IOMODELS)
    expected = results.catalogue_sizes.get(BUNDLED)
    walls = [q.wall_s for q in results.queries]
    median = statistics.median(walls)
    runs = ", ".join(f"{w:.2f}" for w in walls)
    correct = all(c == expected for c in results.query_counts)
    text = f"median {median:.2f} s of {len(walls)} runs ({runs} s)"
    if not correct:
        text += f"; WRONG count {results.query_counts} (catalogue {expected})"
    return Check(BUNDLED, target, text, _verdict(correct and median <= 0.6), median)


def _changes(results: Results) -> Check:
    """`iomodels changes` right after a load (what a cron job runs): as fast as `query`."""
    target = "`iomodels changes` ≤ 0.6 s"
    if not results.changes:
        return _not_measured(results, BUNDLED, target, IOMODELS)
    walls = [c.wall_s for c in results.changes]
    median = statistics.median(walls)
    runs = ", ".join(f"{w:.2f}" for w in walls)
    text = f"median {median:.2f} s of {len(walls)} runs ({runs} s)"
    correct = all(c.ok for c in results.changes)
    if not correct:
        text += "; FAILED"
    return Check(BUNDLED, target, text, _verdict(correct and median <= 0.6), median)


def _rerun(results: Results) -> list[Check]:
    time_target, versions_target = "re-run wall ≤ first run wall", "re-run writes 0 versions"
    first, again = results.ok(LARGE, IOMODELS), results.ok(RERUN, IOMODELS)
    if first is None or again is None:
        return [_not_measured(results, RERUN, t, IOMODELS) for t in (time_target, versions_target)]
    ratio = again.measured.wall_s / first.measured.wall_s
    text = f"{again.measured.wall_s:.2f} s vs {first.measured.wall_s:.2f} s = {ratio:.2f}x"
    versions = again.summary.get("versions_written")
    ok_versions = versions == 0
    return [
        Check(RERUN, time_target, text, _verdict(ratio <= 1.0), ratio),
        Check(
            RERUN,
            versions_target,
            f"versions_written = {versions}",
            _verdict(ok_versions),
            float(versions) if isinstance(versions, int) else None,
        ),
    ]


def checks(results: Results) -> list[Check]:
    return [
        *(_faster(results, loader, REST_API, FASTER_THAN_REST_API[loader]) for loader in LOADERS),
        *(_faster(results, loader, NAIVE, 2) for loader in LOADERS),
        *(_latency_bound(results, loader) for loader in LOADERS),
        _within_floor(results, IOMODELS_WIDE, WITHIN_FLOOR),
        _cpu(results),
        _peak_rss(results),
        _growth(results),
        _small_catalogue(results),
        _start_up(results),
        _query(results),
        _changes(results),
        *_rerun(results),
    ]
