"""`iomodels changes`: what changed, field by field, as a table, JSON, Markdown or an Atom feed.

By default the changes the latest successful load wrote (what a cron job asks right after
loading); `--since` widens that to a period. Never imports dlt (start-up time).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb

from pipelines.errors import UsageError
from pipelines.present.query import to_table
from pipelines.present.timespec import parse_since
from pipelines.settings import FEED_DAYS
from pipelines.store.changes import (
    KINDS,
    ChangeFilter,
    latest_ok_run,
    read_changes,
    summary_title,
    value_text,
)


def change_filter(args: argparse.Namespace) -> ChangeFilter:
    """The options as a filter, checked before any data is read (exit 2 when wrong).

    Without --since: the latest successful load (its run id is filled in by `render`), or for
    a feed the last FEED_DAYS days, so a quiet load never empties it.
    """
    kinds = None
    if args.kind:
        kinds = tuple(k.strip() for part in args.kind for k in part.split(",") if k.strip())
        unknown = sorted(set(kinds) - set(KINDS))
        if unknown or not kinds:
            raise UsageError(
                f"--kind takes {', '.join(KINDS)} (comma-separated), not {', '.join(unknown)!r}"
            )
    minimum = args.min_relative_change
    if minimum is not None and minimum < 0:
        raise UsageError(f"--min-relative-change must not be negative, not {minimum:g}")
    now = datetime.now(UTC)
    since = None
    if args.since:
        since = parse_since(args.since, now)
    elif args.format == "atom":
        since = now - timedelta(days=FEED_DAYS)
    return ChangeFilter(since=since, kinds=kinds, min_relative_change=minimum)


def to_json(records: list[dict[str, Any]]) -> str:
    return json.dumps(records, indent=2, ensure_ascii=False)


def _shown(record: dict[str, Any], key: str) -> str:
    value = record[key]
    if key == "relative_change":
        return "" if value is None else f"{value * 100:+.1f}%"
    return value_text(value, missing="")


TABLE_COLUMNS = (
    "observed_at",
    "name",
    "kind",
    "field",
    "old_value",
    "new_value",
    "relative_change",
)
HEADINGS = ("observed (UTC)", "model", "kind", "field", "old", "new", "change")


# Old and new values longer than this are cut in the tables: a field like extra_fields holds
# a JSON document (the live shape's permissions), which made every row hundreds of columns wide.
CELL_CHARS = 60
CUT_NOTE = f"(values cut at {CELL_CHARS} characters: --format json shows them whole)"


def _cut(text: str) -> str:
    return text if len(text) <= CELL_CHARS else text[: CELL_CHARS - 1] + "…"


def _display_rows(records: list[dict[str, Any]]) -> tuple[list[tuple[Any, ...]], bool]:
    """The table's rows, and whether a value had to be cut."""
    rows, cut = [], False
    for record in records:
        cells = [_shown(record, key) for key in TABLE_COLUMNS]
        cells[0] = cells[0][:19].replace("T", " ")
        for i in (4, 5):  # old, new
            cut = cut or len(cells[i]) > CELL_CHARS
            cells[i] = _cut(cells[i])
        rows.append(tuple(cells))
    return rows, cut


def to_text_table(records: list[dict[str, Any]]) -> str:
    if not records:
        return "no changes"
    rows, cut = _display_rows(records)
    table = to_table(list(HEADINGS), rows)
    return f"{summary_title(records)}\n\n{table}" + (f"\n{CUT_NOTE}" if cut else "")


def _markdown_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(records: list[dict[str, Any]]) -> str:
    """A GitHub-flavoured table under a summary heading: pastes into an issue or a chat."""
    if not records:
        return "**iomodels:** no changes"
    lines = [f"**iomodels:** {summary_title(records)}", ""]
    lines.append("| " + " | ".join(HEADINGS) + " |")
    lines.append("|" + "|".join("---" for _ in HEADINGS) + "|")
    rows, cut = _display_rows(records)
    for row in rows:
        lines.append("| " + " | ".join(_markdown_cell(c) for c in row) + " |")
    if cut:
        lines += ["", CUT_NOTE]
    return "\n".join(lines)


def render(which: ChangeFilter, output: str, con: duckdb.DuckDBPyConnection) -> tuple[str, int]:
    """The output text in format `output`, and the number of changes listed."""
    if which.since is None and which.run_ids is None:
        latest = latest_ok_run(con)
        which = replace(which, run_ids=(latest,) if latest else ())
    records = read_changes(con, which)
    if output == "atom":
        from pipelines.present.atom import atom_feed  # xml, uuid: only the feed needs them

        return atom_feed(con, records), len(records)
    formatter = {"table": to_text_table, "json": to_json, "markdown": to_markdown}[output]
    return formatter(records), len(records)
