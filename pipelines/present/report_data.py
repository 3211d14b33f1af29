"""The figures every report shows, read from the analytics views (no dlt, read-only).

How the terminal and HTML reports show numbers (the JSON report keeps the views' full values):
- prices, USD per million tokens: the view's exact DECIMAL with trailing zeros trimmed
  (0.0575, 2, 8.75); never rounded.
- costs, USD (columns ending in `_cost`, `saving_vs_median`): exact, never rounded, with at least
  two decimals and thousands separators (0.58, 1,234.50, 0.0000012); differences carry a sign.
- quotas and counts: whole numbers with thousands separators (13,500,000). Where room is short
  (a narrow terminal, chart labels) quotas are compact: the value in k, M, B or T rounded half-up
  to 3 significant digits, with one decimal at least below 10 (28.8k, 500k, 1.0M, 6.95M, 13.5M);
  below 10,000 always the full number.
- percentages (relative_change, cache_read_discount): the view's fraction times 100 rounded half-up
  to one decimal (-23.1%, 72.5%); price changes carry a sign.
- latency (ms) and throughput (tokens/s): one decimal, thousands separators (1,530.0).
- times: UTC, "YYYY-MM-DD HH:MM:SS". Missing values: "—"; a quota nobody published: "unknown".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pipelines.present.connect import Connection
from pipelines.present.query import run_query
from pipelines.present.ranked import TOTAL, top_rows

RECENT_CHANGES = 15
CHEAPEST = 10
MISSING = "—"
UNKNOWN = "unknown"
# analytics.quota_by_capability's capabilities, as people say them
CAPABILITY_LABELS = {
    "chat": "chat",
    "api_completions": "API completions",
    "embeddings": "embeddings",
    "audio_transcriptions": "transcription",
    "audio_speech": "speech",
}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    columns: list[str]
    rows: list[tuple[Any, ...]]
    total: int | None = None  # rows in the view when `rows` is a limited selection

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


# key, title, view, its columns shown, order (views carry none); a limited section also
# counts the view's rows
QUOTA_COLUMNS = "*"
CAPABILITY_COLUMNS = (
    "capability, models, total_daily_quota, largest_daily_quota, largest_quota_model, unit"
)
PRICING_COLUMNS = (
    "developer, priced_models, min_input_price, median_input_price, "
    "max_input_price, min_output_price, median_output_price, max_output_price, cheapest_model"
)
CHEAPEST_COLUMNS = (
    "price_rank, name, developer, input_price, output_price, blended_price, cache_read_discount"
)
SPEED_COLUMNS = (
    "name, developer, avg_latency_ms_per_day, avg_throughput_per_day, blended_price, day"
)
CHANGES_COLUMNS = "observed_at, name, price, old_price, new_price, relative_change"
CATALOG_COLUMNS = "observed_at, name, change, old_status, new_status"
SECTIONS: list[tuple[str, str, str, str, str, int | None]] = [
    ("quota_summary", "Daily quotas of active models, by developer",
     "quota_summary", QUOTA_COLUMNS, "developer", None),
    ("quota_by_capability", "Daily quotas by capability (active models with a quota)",
     "quota_by_capability", CAPABILITY_COLUMNS, "sort_order", None),
    ("pricing_summary", "Prices by developer, USD per million tokens",
     "pricing_summary", PRICING_COLUMNS, "developer", None),
    ("cheapest_models", "Cheapest models by blended price, USD per million tokens",
     "model_pricing", CHEAPEST_COLUMNS, "price_rank, name", CHEAPEST),
    ("model_speed", "Fastest models: daily average latency and throughput",
     "model_speed", SPEED_COLUMNS, "avg_latency_ms_per_day, name", CHEAPEST),
    ("price_changes", "Recent price changes, USD per million tokens",
     "price_changes", CHANGES_COLUMNS, "observed_at desc, name, price", RECENT_CHANGES),
    ("catalog_changes", "Recent catalogue changes",
     "catalogue_changes", CATALOG_COLUMNS, "observed_at desc, name, change", RECENT_CHANGES),
]  # fmt: skip

HEADLINE_SQL = """
select
    (select count(*) from analytics.models) as models,
    (select count(*) from analytics.models where is_active) as active_models,
    (select count(distinct coalesce(developer, '(unknown)')) from analytics.models) as developers,
    (select max(finished_at) from analytics.load_runs where outcome = 'ok') as last_load_at,
    (select base_url from analytics.load_runs where outcome = 'ok'
        order by finished_at desc limit 1) as source_url
"""

# The HTML report's extra figures: every priced model, and the versions of re-priced models.
PRICING_SQL = (
    "select price_rank, name, developer, input_price, output_price, cache_read_price, "
    "cache_write_price, blended_price, cache_read_discount "
    "from analytics.model_pricing order by price_rank, name"
)
SPEED_SQL = (
    "select name, developer, avg_latency_ms_per_day, avg_throughput_per_day, blended_price, day "
    "from analytics.model_speed order by avg_latency_ms_per_day, name"
)
ALL_CATALOG_CHANGES_SQL = (
    "select observed_at, name, change, old_status, new_status from analytics.catalogue_changes "
    "order by observed_at desc, name, change"
)
ALL_PRICE_CHANGES_SQL = (
    "select * from analytics.price_changes order by observed_at desc, name, price"
)
PRICE_HISTORY_SQL = """
select model_id, name, valid_from, valid_to, is_present, input_price, output_price
from analytics.model_history
where model_id in (
    select model_id from analytics.price_changes where price in ('input', 'output')
)
order by name, model_id, valid_from
"""


def headline(con: Connection) -> dict[str, Any]:
    columns, rows = run_query(con, HEADLINE_SQL)
    return dict(zip(columns, rows[0], strict=True))


def sections(con: Connection, keys: tuple[str, ...] | None = None) -> list[Section]:
    """The sections (those of `keys`, by default all); a limited one is limited in SQL and
    counts the view's rows in the same query."""
    out = []
    for key, title, view, columns, order, limit in SECTIONS:
        if keys is not None and key not in keys:
            continue
        if limit is None:
            names, rows = run_query(con, f"select {columns} from analytics.{view} order by {order}")
            out.append(Section(key, title, names, rows))
            continue
        sql = (
            f"select {columns}, count(*) over () as {TOTAL} from analytics.{view} "
            f"order by {order} limit {limit}"
        )
        names, rows, total = top_rows(con, sql)
        out.append(Section(key, title, names, rows, total))
    return out


def records(con: Connection, sql: str) -> list[dict[str, Any]]:
    columns, rows = run_query(con, sql)
    return [dict(zip(columns, row, strict=True)) for row in rows]


# --- formatting, shared by the terminal and HTML reports (rules in the module docstring) ---

PERCENT_COLUMNS = frozenset({"relative_change", "cache_read_discount"})
COUNT_COLUMNS = frozenset({"models", "active_models", "priced_models", "price_rank", "rank"})
SIGNED_COST_COLUMNS = frozenset({"saving_vs_median", "cost_difference"})
MEASURE_COLUMNS = frozenset({"avg_latency_ms_per_day", "avg_throughput_per_day"})


def kind(column: str) -> str:
    """How a view column is shown: price, quota, count, percent, time or text."""
    if column.endswith("_price"):
        return "price"
    if column.endswith("_cost") or column in SIGNED_COST_COLUMNS:
        return "cost"
    if column in PERCENT_COLUMNS:
        return "percent"
    if column in MEASURE_COLUMNS:
        return "measure"
    if column in COUNT_COLUMNS:
        return "count"
    if column.endswith(("_quota", "_daily_seconds", "_daily_characters")):
        return "quota"
    if column.endswith("_at"):
        return "time"
    return "text"


def fmt_price(value: Any) -> str:
    if value is None:
        return MISSING
    text = format(Decimal(str(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_usd(value: Any, signed: bool = False) -> str:
    """An exact amount of USD: 0.58, 1,234.50, 0.0000012, 30.00; signed: +0.30, -2.07."""
    if value is None:
        return MISSING
    amount = Decimal(str(value))
    whole, _, fraction = format(abs(amount), "f").partition(".")
    fraction = fraction.rstrip("0").ljust(2, "0")
    sign = "-" if amount < 0 else "+" if signed and amount > 0 else ""
    return f"{sign}{int(whole):,}.{fraction}"


def fmt_int(value: Any) -> str:
    return MISSING if value is None else f"{int(value):,}"


_UNITS = ((3, "k"), (6, "M"), (9, "B"), (12, "T"))


def fmt_compact(value: Any) -> str:
    """13,500,000 → 13.5M; 500,000 → 500k; 1,000,000 → 1.0M; 9,999 → 9,999."""
    if value is None:
        return MISSING
    n = int(value)
    if abs(n) < 10_000:
        return f"{n:,}"
    for exponent, suffix in _UNITS:
        scaled = Decimal(n).scaleb(-exponent)
        decimals = max(3 - (scaled.adjusted() + 1), 0)
        rounded = scaled.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        if abs(rounded) < 1000 or suffix == "T":
            break
    text = format(rounded, "f")
    text = text.rstrip("0").rstrip(".") if "." in text else text
    if abs(rounded) < 10 and "." not in text:
        text += ".0"
    return text + suffix


def fmt_percent(value: Any, signed: bool = False) -> str:
    if value is None:
        return MISSING
    pct = (Decimal(repr(float(value))) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{pct:+}%" if signed else f"{pct}%"


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def fmt_time(value: Any) -> str:
    if value is None:
        return MISSING
    if isinstance(value, datetime):
        return utc(value).strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def fmt(column: str, value: Any, compact: bool = False) -> str:
    """A view value as both reports show it."""
    k = kind(column)
    if value is None:
        # a quota the response shape does not publish (the live list) is unknown, not zero
        return UNKNOWN if k == "quota" else MISSING
    if k == "price":
        return fmt_price(value)
    if k == "cost":
        return fmt_usd(value, signed=column in SIGNED_COST_COLUMNS)
    if k == "quota":
        return fmt_compact(value) if compact else fmt_int(value)
    if k == "count":
        return fmt_int(value)
    if k == "percent":
        return fmt_percent(value, signed=column == "relative_change")
    if k == "measure":
        return f"{float(value):,.1f}"
    if k == "time":
        return fmt_time(value)
    return str(value)


def short_name(name: str) -> str:
    """The model name without its organisation prefix: meta-llama/Llama-3.3 → Llama-3.3."""
    return name.split("/", 1)[1] if "/" in name.strip("/") else name
