"""`iomodels report`: the quota and pricing summaries as aligned terminal tables, or JSON.

The tables are laid out for the console's width (80 columns and up): short two-line headings,
and when a table would not fit, step by step, compact quotas (1.0M), model names without their
organisation prefix, and long names wrapped at a hyphen. Nothing is cut off into "…".
Number formats are documented in `pipelines.present.report_data`. Never imports dlt (start-up time).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, replace
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from pipelines.present.connect import Connection
from pipelines.present.query import json_value
from pipelines.present.report_cost import workload_section
from pipelines.present.report_data import (
    CAPABILITY_LABELS,
    Section,
    fmt,
    fmt_time,
    headline,
    kind,
    sections,
    short_name,
)
from pipelines.present.staleness import staleness_warnings
from pipelines.present.workload import Workload, typical

MIN_NAME_WIDTH = 12
TIMES = "\N{MULTIPLICATION SIGN}"


@dataclass(frozen=True)
class Column:
    key: str  # the view's column
    heading: str  # "\n" starts a second heading line
    name: bool = False  # a model name: may lose its organisation prefix or wrap, never "…"


COLUMNS: dict[str, list[Column]] = {
    "quota_summary": [
        Column("developer", "developer"),
        Column("models", "models"),
        Column("active_models", "active"),
        Column("chat_daily_quota", "chat\ntok/day"),
        Column("api_completions_daily_quota", "API\ntok/day"),
        Column("embeddings_daily_quota", "embed\ntok/day"),
        Column("audio_transcriptions_daily_seconds", "transcribe\nsec/day"),
        Column("audio_speech_daily_characters", "speech\nchars/day"),
    ],
    "quota_by_capability": [
        Column("capability", "capability"),
        Column("models", "models"),
        Column("total_daily_quota", "total\nper day"),
        Column("largest_daily_quota", "largest\nper day"),
        Column("largest_quota_model", "largest quota\nmodel", name=True),
        Column("unit", "unit"),
    ],
    "pricing_summary": [
        Column("developer", "developer"),
        Column("priced_models", "models"),
        Column("min_input_price", "input\nmin"),
        Column("median_input_price", "\nmedian"),
        Column("max_input_price", "\nmax"),
        Column("min_output_price", "output\nmin"),
        Column("median_output_price", "\nmedian"),
        Column("max_output_price", "\nmax"),
        Column("cheapest_model", "cheapest model", name=True),
    ],
    "cheapest_models": [
        Column("price_rank", "#"),
        Column("name", "model", name=True),
        Column("developer", "developer"),
        Column("input_price", "input"),
        Column("output_price", "output"),
        Column("blended_price", "blended"),
        Column("cache_read_discount", "cache\ndiscount"),
    ],
    "workload_cost": [
        Column("rank", "#"),
        Column("name", "model", name=True),
        Column("developer", "developer"),
        Column("input_cost", "input"),
        Column("cached_input_cost", "cached\ninput"),
        Column("output_cost", "output"),
        Column("total_cost", "total"),
        Column("saving_vs_median", "saving vs\nmedian"),
    ],
    "model_speed": [
        Column("name", "model", name=True),
        Column("developer", "developer"),
        Column("avg_latency_ms_per_day", "latency\nms"),
        Column("avg_throughput_per_day", "throughput\ntok/s"),
        Column("blended_price", "blended\nUSD/M"),
        Column("day", "day"),
    ],
    "price_changes": [
        Column("observed_at", "observed (UTC)"),
        Column("name", "model", name=True),
        Column("price", "price"),
        Column("old_price", "old"),
        Column("new_price", "new"),
        Column("relative_change", "change"),
    ],
    "catalog_changes": [
        Column("observed_at", "observed (UTC)"),
        Column("name", "model", name=True),
        Column("change", "change"),
        Column("old_status", "was"),
        Column("new_status", "now"),
    ],
}
NOTES = {
    "cheapest_models": f"blended = (3 {TIMES} input + output) / 4; "
    "cache discount = 1 - cache read / input",
    "workload_cost": "cached input at the cache-read price where there is one; "
    "saving = median model's total - total (iomodels cost prices any workload)",
    "model_speed": "the day's averages as the live endpoint reports them "
    "(analytics.model_performance)",
}
TOP = frozenset({"cheapest_models", "workload_cost"})  # sections that show the first rows
EMPTY = {
    "price_changes": "No price changes yet: they show once a later load sees a new price.",
    "catalog_changes": "No catalogue changes yet.",
    "model_speed": "No performance figures: the live endpoint publishes them daily, "
    "the documented shape does not.",
    "cheapest_models": "No priced models: none is active with an input and an output price.",
    "workload_cost": "No priced models: none is active with an input and an output price.",
}


def all_sections(con: Connection, work: Workload | None = None) -> list[Section]:
    """The views' sections with the workload's cost after the cheapest models."""
    out = []
    for sec in sections(con):
        out.append(sec)
        if sec.key == "cheapest_models":
            out.append(workload_section(con, work or typical()))
    return out


def report_json(con: Connection, work: Workload | None = None) -> str:
    """The report as JSON: the views' rows with full values (decimals as numbers, ISO times)."""
    work = work or typical()
    doc: dict[str, Any] = {
        "headline": {k: json_value(v) for k, v in headline(con).items()},
        "workload": asdict(work),
        "warnings": staleness_warnings(con),
    }
    for sec in all_sections(con, work):
        doc[sec.key] = [{k: json_value(v) for k, v in record.items()} for record in sec.records()]
    return json.dumps(doc, indent=2, default=str)


def wrap_name(name: str, width: int) -> str:
    """Break a long model name after '-', '/', '_' or '.' into lines of at most `width`."""
    lines: list[str] = []
    line = ""
    for token in re.findall(r"[^-/_.]+[-/_.]*|[-/_.]+", name):
        while cell_len(token) > width:  # a piece longer than the column: cut it hard
            room = width - cell_len(line)
            line, token = line + token[:room], token[room:]
            lines.append(line)
            line = ""
        if line and cell_len(line) + cell_len(token) > width:
            lines.append(line)
            line = ""
        line += token
    return "\n".join([*lines, line] if line else lines)


def _width(text: str) -> int:
    return max((cell_len(line) for line in text.split("\n")), default=0)


def _cells(sec: Section, columns: list[Column], compact: bool, short: bool) -> list[list[str]]:
    out = []
    for record in sec.records():
        row = []
        for col in columns:
            value = record[col.key]
            if col.key == "capability":
                value = CAPABILITY_LABELS.get(value, value)
            text = fmt(col.key, value, compact=compact)
            row.append(short_name(text) if col.name and short else text)
        out.append(row)
    return out


def _build(columns: list[Column], cells: list[list[str]]) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1, 0, 0),  # with the blank column divider: two spaces between columns
        header_style="bold",
    )
    for col in columns:
        numeric = kind(col.key) in ("price", "cost", "quota", "count", "percent", "measure")
        table.add_column(Text(col.heading), justify="right" if numeric else "left", overflow="fold")
    for row in cells:
        table.add_row(*(Text(cell) for cell in row))
    return table


def _natural_width(console: Console, table: Table) -> int:
    return Measurement.get(console, console.options.update_width(10_000), table).maximum


def fit_table(sec: Section, console: Console) -> Table:
    """The section's table, made only as compact as it must be to fit the console's width.

    In turn: full numbers and names; compact quotas; names without their organisation
    prefix; then names longer than the room left wrapped after a hyphen.
    """
    columns = [c for c in COLUMNS[sec.key] if c.key in sec.columns]
    for compact, short in ((False, False), (True, False), (True, True)):
        cells = _cells(sec, columns, compact, short)
        table = _build(columns, cells)
        natural = _natural_width(console, table)
        if natural <= console.width:
            return table
    names = [i for i, col in enumerate(columns) if col.name]
    if not names:
        return table
    widths = [
        max([_width(col.heading), *(_width(row[i]) for row in cells)])
        for i, col in enumerate(columns)
    ]
    fixed = natural - sum(widths[i] for i in names)  # everything but the name columns
    room = max((console.width - fixed) // len(names), MIN_NAME_WIDTH)
    for row in cells:
        for i in names:
            row[i] = wrap_name(row[i], room)
    return _build(columns, cells)


# Per-developer tables on a terminal: the developers with the most models, when there are many
# (a marketplace of thousands would scroll for pages); --json and the views have them all.
DEVELOPER_ROWS = 30
SIZE_COLUMN = {"quota_summary": "models", "pricing_summary": "priced_models"}


def _largest(sec: Section) -> Section:
    column = SIZE_COLUMN.get(sec.key)
    if column is None or len(sec.rows) <= DEVELOPER_ROWS:
        return sec
    at, name_at = sec.columns.index(column), sec.columns.index("developer")
    ranked = sorted(sec.rows, key=lambda r: (-int(r[at] or 0), str(r[name_at])))
    return replace(sec, rows=ranked[:DEVELOPER_ROWS], total=len(sec.rows))


def _title(sec: Section) -> Text:
    title = Text(sec.title, style="bold")
    if sec.total is not None and sec.total > len(sec.rows) and sec.rows:
        which = (
            "largest" if sec.key in SIZE_COLUMN else "top" if sec.key in TOP
            else "fastest" if sec.key == "model_speed" else "latest"
        )  # fmt: skip
        title.append(f"  ({which} {len(sec.rows)} of {sec.total:,})", style="dim")
    return title


def print_report(
    con: Connection, console: Console | None = None, work: Workload | None = None
) -> None:
    """The terminal report: a headline, then one table per section, fitted to the width."""
    console = console or Console()
    head = headline(con)
    console.print(
        Text.assemble(
            ("IO Intelligence catalogue: ", "bold"),
            f"{head['models']:,} models ({head['active_models']:,} active) "
            f"from {head['developers']:,} developers",
        )
    )
    console.print(
        Text(
            f"last load {fmt_time(head['last_load_at'])} UTC from {head['source_url'] or '—'}",
            style="dim",
        )
    )
    for warning in staleness_warnings(con):
        console.print(Text(f"warning: {warning}", style="bold yellow"))
    for sec in map(_largest, all_sections(con, work)):
        console.print()
        if not sec.rows:
            message = EMPTY.get(sec.key, "Nothing yet.")
            console.print(Group(_title(sec), Text(message, style="italic")))
            continue
        console.print(_title(sec))
        table = fit_table(sec, console)
        if sec.key in NOTES:
            table.caption = NOTES[sec.key]
            table.caption_justify = "left"
            table.caption_style = "dim"
        console.print(table)
