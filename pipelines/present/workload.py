"""A workload (token counts) and what it costs on each model, read from the cost macros.

Shared by `iomodels cost` and the report. Counts are read the way people write them (10M, 1.5k,
2_000_000); times as ISO 8601 or a duration ago (24h, 7d). Bad input is a UsageError (exit 2,
one line) before any query runs. Never imports dlt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from pipelines.errors import UsageError
from pipelines.present.connect import Connection
from pipelines.present.query import run_query
from pipelines.present.ranked import Top, top
from pipelines.settings import TYPICAL_WORKLOAD

MAX_TOKENS = 10**18 - 1  # far beyond any bill, and exact in the macros' numeric(38, 16) costs
_SUFFIXES = {"": 1, "k": 10**3, "m": 10**6, "b": 10**9}
# digits, optionally grouped by thousands with "_" or ",", a fraction, a suffix: 1,500,000 1.5M
_COUNT = re.compile(
    r"(?P<number>(?:[0-9]{1,3}(?:[_,][0-9]{3})+|[0-9]+)(?:\.[0-9]+)?)\s*(?P<suffix>[kmb]?)", re.I
)
_AGO = re.compile(r"(?P<amount>[0-9]+)\s*(?P<unit>[mhdw])", re.I)
_AGO_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}

# the macros' columns, in their order (sql/engine/*/workload_cost_at.sql)
COST_COLUMNS = (
    "model_id, name, developer, input_price, cached_input_price, output_price, input_cost, "
    "cached_input_cost, output_cost, total_cost, rank, sort_order, median_cost, saving_vs_median"
)


@dataclass(frozen=True)
class Workload:
    input_tokens: int  # cached ones included
    output_tokens: int
    cached_input_tokens: int = 0

    def params(self) -> list[int]:
        return [self.input_tokens, self.output_tokens, self.cached_input_tokens]


def typical() -> Workload:
    """The report's workload unless its options say otherwise (settings.TYPICAL_WORKLOAD)."""
    return workload(*TYPICAL_WORKLOAD)


def describe(work: Workload) -> str:
    """10,000,000 input tokens (4,000,000 cached) and 2,000,000 output tokens"""
    cached = f" ({work.cached_input_tokens:,} cached)" if work.cached_input_tokens else ""
    return f"{work.input_tokens:,} input tokens{cached} and {work.output_tokens:,} output tokens"


def human_count(n: int) -> str:
    """The shortest exact way to write a count: 10M, 1.5M, 800k, 1.234M, 123,456,789."""
    for unit, suffix in ((10**9, "B"), (10**6, "M"), (10**3, "k")):
        scaled = (Decimal(n) / unit).normalize()
        if n >= unit and len(scaled.as_tuple().digits) <= 4:  # short, and still exact
            return format(scaled, "f") + suffix
    return f"{n:,}"


def brief(work: Workload) -> str:
    """10M input tokens (4M cached), 2M output"""
    cached = (
        f" ({human_count(work.cached_input_tokens)} cached)" if work.cached_input_tokens else ""
    )
    return (
        f"{human_count(work.input_tokens)} input tokens{cached}, "
        f"{human_count(work.output_tokens)} output"
    )


def parse_count(text: str, option: str) -> int:
    """'10M' → 10000000, '1.5k' → 1500, '2_000' → 2000; k, M, B in either case."""
    match = _COUNT.fullmatch(text.strip())
    if text.strip().startswith("-"):
        raise UsageError(f"{option} must not be negative, not {text!r}")
    if not match:
        raise UsageError(
            f"{option} takes a token count like 2500000, 2.5M, 800k or 1B, not {text!r}"
        )
    number = match["number"].replace("_", "").replace(",", "")
    try:
        value = Decimal(number) * _SUFFIXES[match["suffix"].lower()]
    except InvalidOperation:
        raise UsageError(f"{option}: {text!r} is not a number") from None
    if value != value.to_integral_value():
        raise UsageError(f"{option} must be a whole number of tokens, not {text!r}")
    if value > MAX_TOKENS:
        raise UsageError(f"{option} is too large: {text!r} (at most {MAX_TOKENS:,})")
    return int(value)


def workload(input_tokens: str, output_tokens: str, cached_input_tokens: str = "0") -> Workload:
    """The workload the options describe, checked: cached input tokens are part of the input."""
    inp = parse_count(input_tokens, "--input-tokens")
    out = parse_count(output_tokens, "--output-tokens")
    cached = parse_count(cached_input_tokens, "--cached-input-tokens")
    if cached > inp:
        raise UsageError(
            f"--cached-input-tokens ({cached:,}) cannot exceed --input-tokens ({inp:,}): "
            "input tokens include the cached ones"
        )
    return Workload(inp, out, cached)


def parse_time(text: str, option: str, now: datetime | None = None) -> datetime:
    """An ISO 8601 date or time (UTC unless it says otherwise), or a duration ago: 24h, 7d, 2w."""
    value = text.strip()
    ago = _AGO.fullmatch(value)
    if ago:
        delta = timedelta(**{_AGO_UNITS[ago["unit"].lower()]: int(ago["amount"])})
        return (now or datetime.now(UTC)) - delta
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        raise UsageError(
            f"{option} takes an ISO 8601 time (2026-11-23, 2026-11-23T08:00:00Z) "
            f"or a duration ago (24h, 7d), not {text!r}"
        ) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def first_observed(con: Connection) -> datetime | None:
    """When the oldest recorded version was observed: no catalogue is known before it."""
    value = run_query(con, "select min(valid_from) from analytics.model_history")[1][0][0]
    return value.astimezone(UTC) if isinstance(value, datetime) else None


def check_known(con: Connection, at: datetime, option: str) -> None:
    first = first_observed(con)
    if first is None:
        raise UsageError("no catalogue loaded yet: run `iomodels load` first")
    if at < first:
        raise UsageError(
            f"{option} {at:%Y-%m-%d %H:%M:%S} UTC is before the first load "
            f"({first:%Y-%m-%d %H:%M:%S} UTC): no prices are known then"
        )


def costs(
    con: Connection, work: Workload, at: datetime | None = None
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """One row per priced model, cheapest first: the catalogue now, or as it was at `at`."""
    if at is None:
        sql = f"select {COST_COLUMNS} from analytics.workload_cost(?, ?, ?) order by sort_order"
        return run_query(con, sql, work.params())
    sql = (
        f"select {COST_COLUMNS} from analytics.workload_cost_at(cast(? as timestamptz), ?, ?, ?) "
        "order by sort_order"
    )
    return run_query(con, sql, [at, *work.params()])


def cost_records(
    con: Connection, work: Workload, at: datetime | None = None
) -> list[dict[str, Any]]:
    columns, rows = costs(con, work, at)
    return [dict(zip(columns, row, strict=True)) for row in rows]


def cheapest_costs(con: Connection, work: Workload, limit: int) -> Top:
    """The `limit` cheapest models for `work` now (in sort_order), and how many are priced:
    cut in SQL; ranks and the median stay those of the whole catalogue."""
    return top(con, COST_COLUMNS, "analytics.workload_cost(?, ?, ?)", "sort_order", limit,
               params=work.params())  # fmt: skip


def compared(now: list[dict[str, Any]], then: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row of `now` with the model's total and rank in `then` and the difference (now -
    then); None where the model was not priced then."""
    earlier = {r["model_id"]: r for r in then}
    out = []
    for record in now:
        old = earlier.get(record["model_id"])
        out.append(
            {
                **record,
                "compare_total_cost": old["total_cost"] if old else None,
                "compare_rank": old["rank"] if old else None,
                "cost_difference": record["total_cost"] - old["total_cost"] if old else None,
            }
        )
    return out
