"""`iomodels report`: the quota and pricing summaries as aligned terminal tables, or JSON.

The tables are laid out for the console's width (80 columns and up): short two-line headings,
and when a table would not fit, step by step, compact quotas (1.0M), model names without their
organisation prefix, and long names wrapped at a hyphen. Nothing is cut off into "…", and
numbers are never split: a table that still does not fit is printed wider.
Columns, headings and formats: `pipelines.present.report_columns`. Never imports dlt
(start-up time).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, replace
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from pipelines.present.connect import Connection
from pipelines.present.query import json_value
from pipelines.present.report_columns import SPECS, Column, time_text
from pipelines.present.report_cost import workload_section
from pipelines.present.report_data import Section, headline, sections, short_name
from pipelines.present.staleness import staleness_warnings
from pipelines.present.workload import Workload, typical

MIN_NAME_WIDTH = 12
TIMES = "\N{MULTIPLICATION SIGN}"


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
        keys = [c.key for c in SPECS[sec.key].data() if c.key in sec.columns]
        doc[sec.key] = [{k: json_value(record[k]) for k in keys} for record in sec.records()]
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
            text = col.text(record[col.key], compact=compact)
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
        table.add_column(
            Text(col.heading), justify="right" if col.numeric else "left", overflow="fold"
        )
    for row in cells:
        table.add_row(*(Text(cell) for cell in row))
    return table


def _measure(console: Console, table: Table) -> Measurement:
    """The table's widths with unlimited room: maximum (nothing wrapped) and minimum (each
    cell at its longest word: numbers whole)."""
    return Measurement.get(console, console.options.update_width(10_000), table)


def fit_table(sec: Section, console: Console) -> Table:
    """The section's table, made only as compact as it must be to fit the console's width.

    In turn: full numbers and names; compact quotas; names without their organisation
    prefix; then names longer than the room left wrapped after a hyphen.
    """
    columns = [c for c in SPECS[sec.key].terminal() if c.key in sec.columns]
    for compact, short in ((False, False), (True, False), (True, True)):
        cells = _cells(sec, columns, compact, short)
        table = _build(columns, cells)
        natural = _measure(console, table).maximum
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


class _StdoutConsole(Console):
    def on_broken_pipe(self) -> None:
        """A reader that stopped early (`| head`) is not a failure: rich would exit 1 here
        (silently); raised on, it ends the command with exit 0, as query and changes do."""
        try:
            super().on_broken_pipe()  # quiet from now on, stdout pointed at /dev/null
        except SystemExit:
            raise BrokenPipeError from None


def print_report(
    con: Connection, console: Console | None = None, work: Workload | None = None
) -> None:
    """The terminal report: a headline, then one table per section, fitted to the width."""
    console = console or _StdoutConsole()
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
            f"last load {time_text(head['last_load_at'])} UTC from {head['source_url'] or '—'}",
            style="dim",
        )
    )
    for warning in staleness_warnings(con):
        console.print(Text(f"warning: {warning}", style="bold yellow"))
    for sec in map(_largest, all_sections(con, work)):
        print_section(sec, console)


def print_section(sec: Section, console: Console) -> None:
    """One section: its title, and its table fitted to the console (or why it is empty)."""
    console.print()
    if not sec.rows:
        message = EMPTY.get(sec.key, "Nothing yet.")
        console.print(Group(_title(sec), Text(message, style="italic")))
        return
    console.print(_title(sec))
    table = fit_table(sec, console)
    if sec.key in NOTES:
        table.caption = NOTES[sec.key]
        table.caption_justify = "left"
        table.caption_style = "dim"
    # a number is never folded over two lines: a table that still does not fit (many wide
    # numeric columns) is printed wider than the console; a terminal wraps whole lines
    width = console.width
    needed = _measure(console, table).minimum
    console.width = max(width, needed)
    try:
        console.print(table)
    finally:
        console.width = width
