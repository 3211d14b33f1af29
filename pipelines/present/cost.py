"""`iomodels cost`: what a workload costs on each priced model, ranked, now or as of a time.

Reads the macros `analytics.workload_cost` / `workload_cost_at` (sql/engine/*/), so the
figures are the ones SQL users get. `--compare-to` prices the same workload at an earlier time
and adds the difference. `--model` and `--top` only select rows: ranks and the median are
those of the whole catalogue. Never imports dlt.
"""

from __future__ import annotations

import argparse
import fnmatch
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pipelines.errors import UsageError
from pipelines.present.connect import Connection
from pipelines.present.query import to_csv, to_json
from pipelines.present.report_columns import COMPARED, WORKLOAD_COST, Column, time_text
from pipelines.present.report_data import headline
from pipelines.present.workload import (
    COST_COLUMNS,
    Workload,
    check_known,
    compared,
    cost_records,
    describe,
    parse_time,
    workload,
)
from pipelines.transform import numbers

# the table format: the report's workload cost columns (headings on one line)
TABLE = WORKLOAD_COST.data()
COMPARE_TABLE = list(COMPARED)
COMPARE_COLUMNS = ["compare_total_cost", "compare_rank", "cost_difference"]


def matches(name: str, pattern: str) -> bool:
    """A glob (`*llama*`, `Qwen/*`) when it has wildcards, else a substring; case-insensitive."""
    name, pattern = name.lower(), pattern.lower()
    if any(c in pattern for c in "*?["):
        return fnmatch.fnmatchcase(name, pattern)
    return pattern in name


def parse_top(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        top = int(text)
    except ValueError:
        raise UsageError(f"--top takes a number of models, not {text!r}") from None
    if top < 1:
        raise UsageError(f"--top must be at least 1, not {text}")
    return top


def selected(
    records: list[dict[str, Any]], pattern: str | None, top: int | None
) -> list[dict[str, Any]]:
    chosen = [r for r in records if pattern is None or matches(str(r["name"]), pattern)]
    return chosen[:top] if top is not None else chosen


def when(at: datetime | None, last_load: Any) -> str:
    if at is None:
        return f"the catalogue now (last load {time_text(last_load)} UTC)"
    return f"the catalogue as of {time_text(at)} UTC"


def aligned(columns: list[Column], records: list[dict[str, Any]]) -> list[str]:
    """Plain text lines: headings, a rule, one line per record; numbers right-aligned."""
    headings = [c.heading.replace("\n", " ") for c in columns]
    cells = [[c.text(r[c.key]) if r[c.key] is not None else "" for c in columns]
             for r in records]  # fmt: skip
    widths = [max([len(h), *(len(row[i]) for row in cells)]) for i, h in enumerate(headings)]

    def line(values: list[str]) -> str:
        parts = [
            v.rjust(w) if c.numeric else v.ljust(w)
            for v, w, c in zip(values, widths, columns, strict=True)
        ]
        return "  ".join(parts).rstrip()

    return [line(headings), "  ".join("-" * w for w in widths)] + [line(row) for row in cells]


def render_table(
    records: list[dict[str, Any]],
    priced: int,
    work: Workload,
    at: datetime | None,
    compare_to: datetime | None,
    last_load: Any,
) -> str:
    out = [f"Workload: {describe(work)}", f"Priced with {when(at, last_load)}"]
    if compare_to is not None:
        out.append(f"Compared with the catalogue as of {time_text(compare_to)} UTC")
    if not records:
        out.append("No priced model matches." if priced else "No priced models at that time.")
        return "\n".join(out)
    columns = TABLE + (COMPARE_TABLE if compare_to is not None else [])
    out += ["", *aligned(columns, records), ""]
    shown = f"{len(records)} of {priced:,}" if len(records) < priced else f"{priced:,}"
    median = numbers.usd(records[0]["median_cost"])
    out.append(
        f"{shown} priced models; costs in USD, rank 1 = cheapest; median total {median}; "
        "saving = median total - total"
        + ("; change = total - total then" if compare_to is not None else "")
    )
    return "\n".join(out)


@dataclass(frozen=True)
class CostRequest:
    """What `iomodels cost` was asked, checked before any data is opened."""

    work: Workload
    at: datetime | None
    compare_to: datetime | None
    model: str | None
    top: int | None
    format: str


def parse_request(args: argparse.Namespace) -> CostRequest:
    return CostRequest(
        work=workload(args.input_tokens, args.output_tokens, args.cached_input_tokens),
        at=parse_time(args.at, "--at") if args.at is not None else None,
        compare_to=parse_time(args.compare_to, "--compare-to") if args.compare_to else None,
        model=args.model,
        top=parse_top(args.top),
        format=args.format,
    )


def run_cost(con: Connection, req: CostRequest) -> str:
    """The command's output for a checked request."""
    for moment, option in ((req.at, "--at"), (req.compare_to, "--compare-to")):
        if moment is not None:
            check_known(con, moment, option)
    records = cost_records(con, req.work, req.at)
    priced = len(records)
    if req.compare_to is not None:
        records = compared(records, cost_records(con, req.work, req.compare_to))
    records = selected(records, req.model, req.top)
    if req.format == "table":
        last_load = headline(con)["last_load_at"]
        return render_table(records, priced, req.work, req.at, req.compare_to, last_load)
    columns = [c.strip() for c in COST_COLUMNS.split(",")]
    columns += COMPARE_COLUMNS if req.compare_to is not None else []
    rows = [tuple(r[c] for c in columns) for r in records]
    if req.format == "json":
        return to_json(columns, rows)
    return to_csv(columns, rows)
