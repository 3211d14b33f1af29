"""The raw numbers of a benchmark run as JSON, and atomic writes to bench/results/."""

from __future__ import annotations

import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from contenders import Outcome
from plan import Results
from query import QUERY_SQL
from targets import Check

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def raw(results: Results, machine: dict[str, Any], checks: list[Check]) -> dict[str, Any]:
    def outcome(o: Outcome) -> dict[str, Any]:
        m = o.measured
        return {
            "scenario": o.scenario,
            "contender": o.contender,
            "workers": o.workers,
            "ok": o.ok,
            "error": o.error,
            "wall_s": round(m.wall_s, 3),
            "wall_s_all_runs": [round(w, 3) for w in o.walls] or None,
            "peak_rss_mib": round(m.peak_rss_mib, 1),
            "cpu_s": round(m.cpu_s, 2),
            "cpu_s_per_1k_rows": round(m.cpu_s * 1000 / o.rows, 4) if o.ok and o.rows else None,
            "machine_busy_pct": round(m.machine_busy_pct, 1),
            "returncode": m.returncode,
            "expected_rows": o.expected_rows,
            "rows": o.rows,
            "distinct_model_ids": o.distinct_ids,
            "rows_per_s": round(o.rows_per_s, 1) if o.rows_per_s else None,
            "iomodels_summary": o.summary or None,
        }

    return {
        "machine": machine,
        "scenarios": [
            {**asdict(s), "title": s.title, "catalogue_size": results.catalogue_sizes.get(s.key)}
            for s in results.plan.scenarios
        ],
        "outcomes": [outcome(o) for o in results.ordered()],
        "warm_up_problems": results.warm_up_problems,
        "bytecode_cache": results.bytecode,
        "query": {
            "sql": QUERY_SQL,
            "wall_s": [round(q.wall_s, 3) for q in results.queries],
            "peak_rss_mib": [round(q.peak_rss_mib, 1) for q in results.queries],
            "counts": results.query_counts,
        },
        "changes": {
            "argv": "iomodels changes",
            "wall_s": [round(c.wall_s, 3) for c in results.changes],
            "peak_rss_mib": [round(c.peak_rss_mib, 1) for c in results.changes],
            "ok": [c.ok for c in results.changes],
        },
        "targets": [asdict(c) for c in checks],
        "total_s": round(results.total_s, 1),
    }


def write(path: Path, text: str) -> None:
    """Write atomically: a reader (the README's include) never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
