"""Read analytics.model_changes: the rows of one load or of a period, as JSON-ready objects.

Shared by `iomodels changes` (present) and the load's webhook step (store), so both send the
same objects. No dlt here: the fast commands import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import duckdb

from pipelines.settings import CHANGE_KINDS

CHANGE_COLUMNS = (
    "observed_at",
    "run_id",
    "model_id",
    "name",
    "kind",
    "field",
    "old_value",
    "new_value",
    "relative_change",
)
KINDS = CHANGE_KINDS
# How a summary counts a kind: (singular, plural).
KIND_PHRASES = {
    "price": ("price change", "price changes"),
    "quota": ("quota change", "quota changes"),
    "capability": ("capability change", "capability changes"),
    "limit": ("limit change", "limit changes"),
    "status": ("status change", "status changes"),
    "added": ("model added", "models added"),
    "removed": ("model removed", "models removed"),
    "reappeared": ("model back", "models back"),
    "metadata": ("other change", "other changes"),
}

LATEST_OK_RUN_SQL = """
select run_id, started_at from analytics.load_runs
where outcome = 'ok' order by started_at desc limit 1
"""


@dataclass(frozen=True)
class ChangeFilter:
    """Which changes: those of some loads (run_ids) or since a time; kinds; minimum move."""

    run_ids: tuple[str, ...] | None = None
    since: datetime | None = None
    kinds: tuple[str, ...] | None = None
    min_relative_change: float | None = None


def latest_ok_run(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute(LATEST_OK_RUN_SQL).fetchone()
    return None if row is None else str(row[0])


def typed_value(kind: str, text: str | None) -> Any:
    """A view value as JSON shows it: prices and quotas as numbers, flags as booleans."""
    if text is None:
        return None
    if kind == "price":
        return float(Decimal(text))
    if kind in ("quota", "limit"):
        return int(text)
    if kind == "capability":
        return text == "true"
    return text


def _record(row: tuple[Any, ...]) -> dict[str, Any]:
    record = dict(zip(CHANGE_COLUMNS, row, strict=True))
    observed = record["observed_at"]
    record["observed_at"] = observed.isoformat() if isinstance(observed, datetime) else observed
    for value in ("old_value", "new_value"):
        record[value] = typed_value(record["kind"], record[value])
    return record


def _sort_key(record: dict[str, Any]) -> tuple[Any, ...]:
    kind = record["kind"]
    order = KINDS.index(kind) if kind in KINDS else len(KINDS)
    name = record["name"] or ""
    return (record["observed_at"], name.casefold(), name, record["model_id"], order,
            record["field"] or "")  # fmt: skip


def read_changes(con: duckdb.DuckDBPyConnection, which: ChangeFilter) -> list[dict[str, Any]]:
    """The changes `which` selects, oldest first, as objects (see typed_value)."""
    where: list[str] = ["true"]
    params: list[Any] = []
    if which.run_ids is not None:
        if not which.run_ids:
            return []
        where.append(f"run_id in ({', '.join('?' for _ in which.run_ids)})")
        params.extend(which.run_ids)
    if which.since is not None:
        where.append("observed_at >= ?")
        params.append(which.since)
    if which.kinds:
        where.append(f"kind in ({', '.join('?' for _ in which.kinds)})")
        params.extend(which.kinds)
    if which.min_relative_change is not None:
        # a move without a relative change (a flag, a status, a price from 0) always counts
        where.append("(relative_change is null or abs(relative_change) >= ?)")
        params.append(which.min_relative_change)
    sql = f"select {', '.join(CHANGE_COLUMNS)} from analytics.model_changes where "
    rows = con.execute(sql + " and ".join(where), params).fetchall()
    return sorted((_record(row) for row in rows), key=_sort_key)


def summary_title(records: list[dict[str, Any]]) -> str:
    """ "3 price changes, 1 model removed": the count of each kind, in KINDS order."""
    counts: dict[str, int] = {}
    for record in records:
        counts[record["kind"]] = counts.get(record["kind"], 0) + 1
    parts = []
    for kind in sorted(counts, key=lambda k: KINDS.index(k) if k in KINDS else len(KINDS)):
        one, many = KIND_PHRASES.get(kind, (f"{kind} change", f"{kind} changes"))
        parts.append(f"{counts[kind]} {one if counts[kind] == 1 else many}")
    return ", ".join(parts) if parts else "no changes"


def change_line(record: dict[str, Any]) -> str:
    """One change as a line of text: "meta-llama/X: input_price 0.13 → 0.2 (+53.8%)"."""
    name, kind = record["name"] or record["model_id"], record["kind"]
    if record["field"] is None:
        return f"{name}: {KIND_PHRASES.get(kind, (kind,))[0]}"
    old, new = value_text(record["old_value"]), value_text(record["new_value"])
    line = f"{name}: {record['field']} {old} → {new}"
    if record["relative_change"] is not None:
        line += f" ({record['relative_change'] * 100:+.1f}%)"
    return line


def value_text(value: Any, missing: str = "none") -> str:
    """A typed value as people read it: 0.2, 1,000,000, yes, active."""
    if value is None:
        return missing
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def summary_text(records: list[dict[str, Any]], limit: int = 10) -> str:
    """A title line and up to `limit` change lines, as chat webhooks show them."""
    lines = [f"iomodels: {summary_title(records)}"]
    lines += [f"• {change_line(r)}" for r in records[:limit]]
    if len(records) > limit:
        lines.append(f"… and {len(records) - limit} more")
    return "\n".join(lines)
