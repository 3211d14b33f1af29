"""The explicit Arrow schema of every raw table iomodels writes.

The single source of truth for what is handed to dlt (never inferred from data) and for the
empty tables that views fall back on before a table has its first row.
"""

from __future__ import annotations

import pyarrow as pa

from pipelines.settings import FLAG_FIELDS, PRICE_FIELDS, QUOTA_FIELDS

_TS = pa.timestamp("us", tz="UTC")

MODEL_COLUMNS: list[tuple[str, pa.DataType]] = [
    ("model_id", pa.string()),
    ("name", pa.string()),
    ("description", pa.string()),
    ("status", pa.string()),
    *[(f, pa.int64()) for f in QUOTA_FIELDS],
    ("created_at", _TS),
    ("updated_at", _TS),
    ("image_url", pa.string()),
    ("version", pa.string()),
    ("developer", pa.string()),
    ("short_description", pa.string()),
    *[(f, pa.bool_()) for f in FLAG_FIELDS],
    ("trendiness", pa.int64()),
    ("license", pa.string()),
    ("tool_support", pa.string()),
    ("max_tokens", pa.int64()),
    ("context_window", pa.int64()),
    *[(f, pa.string()) for f in PRICE_FIELDS],
    ("precision", pa.string()),
    ("tags", pa.string()),  # JSON list, as normalised; one row per tag in model_tags
    ("extra_fields", pa.string()),  # JSON object of fields the spec does not name
    # the live shape's own fields (NULL until a live-shape load has seen the model)
    ("max_model_len", pa.int64()),
    ("supports_attestation", pa.bool_()),
    # which response shape the values of this version came from (documented | live)
    ("source_shape", pa.string()),
    # the four prices exactly as the API sent them (JSON object); per token in the live shape
    ("prices_as_sent", pa.string()),
]

# One row per version of a model: written only when something a user cares about changed.
VERSION_SCHEMA = pa.schema(
    [
        *MODEL_COLUMNS,
        ("change", pa.string()),  # added | changed | removed | reappeared
        ("is_present", pa.bool_()),
        ("row_hash", pa.string()),
        ("observed_at", _TS),
        ("run_id", pa.string()),
    ]
)
TAG_SCHEMA = pa.schema(
    [
        ("model_id", pa.string()),
        ("observed_at", _TS),  # with model_id, the version this tag belongs to
        ("position", pa.int64()),
        ("tag", pa.string()),
    ]
)
QUARANTINE_SCHEMA = pa.schema(
    [
        ("run_id", pa.string()),
        ("observed_at", _TS),
        ("page", pa.int64()),
        ("reason", pa.string()),
        ("raw_json", pa.string()),
    ]
)
DATA_QUALITY_SCHEMA = pa.schema(
    [
        ("run_id", pa.string()),
        ("observed_at", _TS),
        ("model_id", pa.string()),
        ("name", pa.string()),
        ("field", pa.string()),
        ("raw_value", pa.string()),
        ("problem", pa.string()),
    ]
)
LOAD_RUN_SCHEMA = pa.schema(
    [
        ("run_id", pa.string()),
        ("started_at", _TS),
        ("finished_at", _TS),
        ("outcome", pa.string()),  # ok | api_error | gate_failed | error
        ("message", pa.string()),
        ("base_url", pa.string()),
        ("query", pa.string()),
        ("is_full", pa.bool_()),
        ("response_shape", pa.string()),
        ("pages", pa.int64()),
        ("rows_seen", pa.int64()),
        ("versions_written", pa.int64()),
        ("models_added", pa.int64()),
        ("models_changed", pa.int64()),
        ("models_removed", pa.int64()),
        ("models_reappeared", pa.int64()),
        ("quarantined", pa.int64()),
        ("quality_issues", pa.int64()),
        ("pagination_attempts", pa.int64()),
        ("key_scope", pa.string()),  # key | guest: a key may scope which models are listed
        ("fields_lacking", pa.string()),  # what this load's shape does not carry, comma-separated
    ]
)
# Daily performance figures of the live shape: they move every day, so they never make a
# version; a row is written when a model's figures for the day are new or moved.
PERFORMANCE_SCHEMA = pa.schema(
    [
        ("model_id", pa.string()),
        ("name", pa.string()),
        ("day", pa.date32()),  # the UTC day of the load that observed them
        ("avg_latency_ms_per_day", pa.float64()),
        ("avg_throughput_per_day", pa.float64()),
        ("observed_at", _TS),
        ("run_id", pa.string()),
    ]
)
# Which models each listing scope (response shape / key or guest) lists: a row when a model
# enters or leaves that scope's listing, so a full load retires only against its own scope.
LISTING_SCHEMA = pa.schema(
    [
        ("scope", pa.string()),
        ("model_id", pa.string()),
        ("listed", pa.bool_()),
        ("observed_at", _TS),
        ("run_id", pa.string()),
    ]
)

# One row per webhook a load posted its changes to: the URL as shown (never its token).
NOTIFICATION_SCHEMA = pa.schema(
    [
        ("run_id", pa.string()),
        ("notified_at", _TS),
        ("url", pa.string()),  # scheme://host/… only
        ("outcome", pa.string()),  # sent | failed
        ("http_status", pa.int64()),
        ("attempts", pa.int64()),
        ("message", pa.string()),
    ]
)

RAW_TABLES: dict[str, pa.Schema] = {
    "model_versions": VERSION_SCHEMA,
    "model_tags": TAG_SCHEMA,
    "quarantine": QUARANTINE_SCHEMA,
    "data_quality": DATA_QUALITY_SCHEMA,
    "load_runs": LOAD_RUN_SCHEMA,
    "model_performance": PERFORMANCE_SCHEMA,
    "model_listings": LISTING_SCHEMA,
    "notifications": NOTIFICATION_SCHEMA,
}
