"""`iomodels report`: the quota and pricing summaries as aligned terminal tables, or JSON."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import duckdb
from rich.console import Console
from rich.table import Table

from pipelines.query import cell_text, json_value
from pipelines.report_data import Section, headline, sections


def report_json(con: duckdb.DuckDBPyConnection) -> str:
    doc: dict[str, Any] = {
        "headline": {k: json_value(v) for k, v in headline(con).items()},
    }
    for section in sections(con):
        doc[section.key] = [
            {k: json_value(v) for k, v in record.items()} for record in section.records()
        ]
    return json.dumps(doc, indent=2, default=str)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _format(column: str, value: Any) -> str:
    if value is None:
        return "—"
    if column == "relative_change" and _is_number(value):
        return f"{float(value):+.1%}"
    if column == "cache_read_discount" and _is_number(value):
        return f"{float(value):.0%}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return cell_text(value)


def _table(section: Section) -> Table:
    table = Table(title=section.title, title_justify="left", title_style="bold")
    for i, column in enumerate(section.columns):
        numeric = bool(section.rows) and all(_is_number(r[i]) or r[i] is None for r in section.rows)
        table.add_column(column, justify="right" if numeric else "left")
    for row in section.rows:
        table.add_row(*[_format(c, v) for c, v in zip(section.columns, row, strict=True)])
    if not section.rows:
        table.caption = "nothing yet"
    return table


def print_report(con: duckdb.DuckDBPyConnection, console: Console | None = None) -> None:
    console = console or Console()
    head = headline(con)
    console.print(
        f"[bold]IO Intelligence catalogue[/bold]: {head['models']} models "
        f"({head['active_models']} active) from {head['developers']} developers; "
        f"last load {cell_text(head['last_load_at'])} UTC from {head['source_url']}"
    )
    for section in sections(con):
        console.print()
        console.print(_table(section))
