"""Each report section's columns, declared once: the view column, its headings and its format.

The terminal report, the JSON report and the HTML report all read these specs: the section's
query selects `data()`, the terminal table shows `terminal()` under the short headings (a "\\n"
starts a second heading line), the HTML table shows `html()` under the long ones ("group|sub"
puts a column under a group heading). Values are written by `Column.text`, with the number
rules of `pipelines.transform.numbers`. Never imports dlt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pipelines.transform import numbers

UNKNOWN = "unknown"  # a quota the response shape does not publish (the live list): not zero

# how a column's values are written; the numeric ones are right-aligned
PRICE, COST, SIGNED_COST = "price", "cost", "signed cost"
QUOTA, COUNT, PERCENT, SIGNED_PERCENT = "quota", "count", "percent", "signed percent"
MEASURE, TIME, TEXT = "measure", "time", "text"
FIELD, VALUE = "field", "value"  # analytics.model_changes' field names and its values (text)
NUMERIC = frozenset({PRICE, COST, SIGNED_COST, QUOTA, COUNT, PERCENT, SIGNED_PERCENT, MEASURE})

# analytics.quota_by_capability's capabilities, as people say them
CAPABILITY_LABELS = {
    "chat": "chat",
    "api_completions": "API completions",
    "embeddings": "embeddings",
    "audio_transcriptions": "transcription",
    "audio_speech": "speech",
}

# analytics.model_changes' fields, short enough for an 80-column table; a field not named here
# is shown with spaces for underscores, a catalogue event (no field) by its kind
FIELD_LABELS = {
    "chat_daily_quota_tier_1": "chat quota",
    "api_completions_daily_quota_tier_1": "API quota",
    "embeddings_daily_quota_tier_1": "embed quota",
    "audio_transcriptions_daily_quota_tier_1": "STT quota",
    "audio_speech_daily_quota_tier_1": "TTS quota",
    "enable_api_chat_completions": "API chat",
    "enable_api_embeddings": "API embed",
    "enable_audio_stt": "STT",
    "enable_audio_tts": "TTS",
    "enable_chat_ui": "chat UI",
    "supports_images_input": "image input",
    "supports_prompt_cache": "prompt cache",
    "supports_attestation": "attestation",
    "context_window": "context",
    "max_model_len": "model length",
    "max_tokens": "max tokens",
}
FLAGS = {"true": "yes", "false": "no"}


def field_text(value: Any) -> str:
    text = str(value)
    return FIELD_LABELS.get(text, text.replace("_", " "))


def value_text(value: Any, compact: bool = False) -> str:
    """A changed value as model_changes writes it (text): a whole number with separators
    (compact where room is short), a flag as yes or no (as `iomodels changes` writes them),
    anything else as it is (0.13, inactive)."""
    text = str(value)
    if text.lstrip("-").isdigit():
        return numbers.compact(text) if compact else numbers.whole(text)
    return FLAGS.get(text, text)


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def time_text(value: Any) -> str:
    """UTC, "YYYY-MM-DD HH:MM:SS"."""
    if value is None:
        return numbers.MISSING
    if isinstance(value, datetime):
        return utc(value).strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


WRITERS: dict[str, Callable[[Any], str]] = {
    PRICE: numbers.price,
    COST: numbers.usd,
    SIGNED_COST: lambda v: numbers.usd(v, signed=True),
    COUNT: numbers.whole,
    QUOTA: numbers.whole,
    PERCENT: numbers.percent,
    SIGNED_PERCENT: lambda v: numbers.percent(v, signed=True),
    MEASURE: numbers.measure,
    TIME: time_text,
    FIELD: field_text,
    VALUE: value_text,
}


@dataclass(frozen=True)
class Column:
    key: str  # the view's column
    heading: str  # the terminal's, short; "\n" starts a second line
    format: str = TEXT
    wide: str | None = None  # the HTML table's heading, when not the terminal's on one line
    name: bool = False  # a model name: may lose its organisation prefix or wrap, never "…"
    # "html": in the HTML table only; "data": read (JSON), not shown; "shown": in both tables,
    # not in the JSON (a label derived from columns the JSON has)
    only: str | None = None
    source: str | None = None  # the SQL expression, when not the view's column `key`

    @property
    def html_heading(self) -> str:
        return self.wide if self.wide is not None else self.heading.replace("\n", " ")

    @property
    def numeric(self) -> bool:
        return self.format in NUMERIC

    @property
    def sql(self) -> str:
        return f"{self.source} as {self.key}" if self.source else self.key

    def text(self, value: Any, compact: bool = False) -> str:
        """A value as both reports show it; `compact` quotas where room is short (13.5M)."""
        if value is None:
            return UNKNOWN if self.format == QUOTA else numbers.MISSING
        if self.format == QUOTA and compact:
            return numbers.compact(value)
        if self.format == VALUE:
            return value_text(value, compact)
        if self.key == "capability":
            return CAPABILITY_LABELS.get(str(value), str(value))
        writer = WRITERS.get(self.format)
        return writer(value) if writer else str(value)


@dataclass(frozen=True)
class Spec:
    """One report section: where its rows come from, and its columns."""

    key: str
    title: str
    view: str
    order: str  # views carry no order
    limit: int | None  # a top-N section also counts the view's rows
    columns: tuple[Column, ...]
    where: str = ""  # the section's rows of the view

    def data(self) -> list[Column]:
        """The columns the JSON report prints."""
        return [c for c in self.columns if c.only not in ("html", "shown")]

    def read(self) -> list[Column]:
        """The columns the section reads: every one but the HTML's own."""
        return [c for c in self.columns if c.only != "html"]

    def terminal(self) -> list[Column]:
        return [c for c in self.columns if c.only in (None, "shown")]

    def html(self) -> list[Column]:
        return [c for c in self.columns if c.only != "data"]

    def select(self, columns: list[Column] | None = None) -> str:
        return ", ".join(c.sql for c in (self.read() if columns is None else columns))

    def source(self) -> str:
        """The view, and the section's rows of it."""
        return f"analytics.{self.view}" + (f" where {self.where}" if self.where else "")

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


RECENT_CHANGES = 15
CHEAPEST = 10
DEVELOPER = Column("developer", "developer")
MODEL = Column("name", "model", name=True)
BLENDED = Column("blended_price", "blended", PRICE)
OBSERVED = Column("observed_at", "observed (UTC)", TIME)

QUOTA_SUMMARY = Spec(
    "quota_summary", "Daily quotas of active models, by developer", "quota_summary",
    "developer", None,
    (
        DEVELOPER,
        Column("models", "models", COUNT),
        Column("active_models", "active", COUNT),
        Column("chat_daily_quota", "chat\ntok/day", QUOTA, "chat\ntokens/day"),
        Column("api_completions_daily_quota", "API\ntok/day", QUOTA,
               "API completions\ntokens/day"),
        Column("embeddings_daily_quota", "embed\ntok/day", QUOTA, "embeddings\ntokens/day"),
        Column("audio_transcriptions_daily_seconds", "transcribe\nsec/day", QUOTA,
               "transcription\nseconds/day"),
        Column("audio_speech_daily_characters", "speech\nchars/day", QUOTA,
               "speech\ncharacters/day"),
        Column("unknown_quota_models", "unknown", COUNT, only="data"),
    ),
)  # fmt: skip
QUOTA_BY_CAPABILITY = Spec(
    "quota_by_capability", "Daily quotas by capability (active models with a quota)",
    "quota_by_capability", "sort_order", None,
    (
        Column("capability", "capability"),
        Column("models", "models", COUNT),
        Column("total_daily_quota", "total\nper day", QUOTA),
        Column("largest_daily_quota", "largest\nper day", QUOTA),
        Column("largest_quota_model", "largest quota\nmodel", name=True),
        Column("unit", "unit"),
    ),
)  # fmt: skip
PRICING_SUMMARY = Spec(
    "pricing_summary", "Prices by developer, USD per million tokens", "pricing_summary",
    "developer", None,
    (
        DEVELOPER,
        Column("priced_models", "models", COUNT, "priced models"),
        Column("min_input_price", "input\nmin", PRICE, "input price|min"),
        Column("median_input_price", "\nmedian", PRICE, "input price|median"),
        Column("max_input_price", "\nmax", PRICE, "input price|max"),
        Column("min_output_price", "output\nmin", PRICE, "output price|min"),
        Column("median_output_price", "\nmedian", PRICE, "output price|median"),
        Column("max_output_price", "\nmax", PRICE, "output price|max"),
        Column("cheapest_model", "cheapest model", name=True),
    ),
)  # fmt: skip
CHEAPEST_MODELS = Spec(
    "cheapest_models", "Cheapest models by blended price, USD per million tokens",
    "model_pricing", "price_rank, name", CHEAPEST,
    (
        Column("price_rank", "#", COUNT, "rank"),
        MODEL,
        DEVELOPER,
        Column("input_price", "input", PRICE),
        Column("output_price", "output", PRICE),
        Column("cache_read_price", "cache read", PRICE, only="html"),
        Column("cache_write_price", "cache write", PRICE, only="html"),
        BLENDED,
        Column("cache_read_discount", "cache\ndiscount", PERCENT),
    ),
)  # fmt: skip
WORKLOAD_COST = Spec(
    "workload_cost", "Cost of a typical workload, USD", "workload_cost", "sort_order",
    CHEAPEST,
    (
        Column("rank", "#", COUNT, "rank"),
        MODEL,
        DEVELOPER,
        Column("input_cost", "input", COST),
        Column("cached_input_cost", "cached\ninput", COST),
        Column("output_cost", "output", COST),
        Column("total_cost", "total", COST),
        Column("saving_vs_median", "saving vs\nmedian", SIGNED_COST),
    ),
)  # fmt: skip
MODEL_SPEED = Spec(
    "model_speed", "Fastest models: daily average latency and throughput", "model_speed",
    "avg_latency_ms_per_day, name", CHEAPEST,
    (
        MODEL,
        DEVELOPER,
        Column("avg_latency_ms_per_day", "latency\nms", MEASURE, "latency (ms)"),
        Column("avg_throughput_per_day", "throughput\ntok/s", MEASURE, "throughput (tok/s)"),
        Column("blended_price", "blended\nUSD/M", PRICE, "blended"),
        Column("day", "day"),
    ),
)  # fmt: skip
# The recent changes, from the one change log `iomodels changes`, the Atom feed and the webhooks
# read (analytics.model_changes): its prices (old and new as decimals, as price_changes has
# them), and the rest but free-text metadata (`iomodels changes --kind metadata` lists that).
CHANGE_ORDER = "observed_at desc, name, model_id, kind, field"
PRICE_CHANGES = Spec(
    "price_changes", "Recent price changes, USD per million tokens", "model_changes",
    CHANGE_ORDER, RECENT_CHANGES,
    (
        OBSERVED,
        MODEL,
        Column("price", "price", source="replace(field, '_price', '')"),
        Column("old_price", "old", PRICE, source="cast(old_value as decimal(18, 10))"),
        Column("new_price", "new", PRICE, source="cast(new_value as decimal(18, 10))"),
        Column("relative_change", "change", SIGNED_PERCENT),
    ),
    "kind = 'price'",
)  # fmt: skip
CATALOG_CHANGES = Spec(
    "catalog_changes", "Recent catalogue changes: models added or removed, status, quotas, limits",
    "model_changes", CHANGE_ORDER, RECENT_CHANGES,
    (
        OBSERVED,
        MODEL,
        Column("kind", "kind", only="data"),
        Column("field", "field", only="data"),
        Column("change", "change", FIELD, source="coalesce(field, kind)", only="shown"),
        Column("old_value", "was", VALUE, wide="old value"),
        Column("new_value", "now", VALUE, wide="new value"),
        Column("relative_change", "change", SIGNED_PERCENT, only="data"),
    ),
    "kind not in ('price', 'metadata')",
)  # fmt: skip

# `iomodels cost --compare-to`: the workload's total then, and the change since
COMPARED = (
    Column("compare_total_cost", "total then", COST),
    Column("cost_difference", "change", SIGNED_COST),
)

# the sections read from views, in the reports' order (the workload cost, from a table macro
# with the report's workload, follows the cheapest models: report_cost.py)
VIEW_SECTIONS = (
    QUOTA_SUMMARY, QUOTA_BY_CAPABILITY, PRICING_SUMMARY, CHEAPEST_MODELS, MODEL_SPEED,
    PRICE_CHANGES, CATALOG_CHANGES,
)  # fmt: skip
SPECS = {spec.key: spec for spec in (*VIEW_SECTIONS, WORKLOAD_COST)}
