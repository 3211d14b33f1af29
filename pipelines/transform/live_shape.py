"""The live endpoint's shape, a source of its own (README, "What the live endpoint returns").

An OpenAI/vLLM-style list: `id` is the model name, `owned_by` the serving stack, prices are JSON
numbers in USD per token, plus `max_model_len`, `precision`, `supports_attestation`,
`permission` and two daily performance figures. It has no model_id, status, quotas, tags or
descriptions: those are not problems of a row, they are what this shape does not carry (one
note per load in load_runs), and a model keeps their last known values (`carry.py`).
Pure: one list entry in, one flat row out, like `flatten.py` for the documented shape.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from pipelines.settings import FLAG_FIELDS, PRICE_FIELDS, QUOTA_FIELDS
from pipelines.transform.fields import INT64_MAX, FieldReader
from pipelines.transform.flatten import FlatModel
from pipelines.transform.schemas import MODEL_COLUMNS

# model_ids for live rows, derived from the name so they are stable across loads
LIVE_ID_NAMESPACE = uuid.UUID("8f4b7c1e-4d0a-5b7e-9a51-10c0a1f0e001")
PERFORMANCE_FIELDS = ("avg_latency_ms_per_day", "avg_throughput_per_day")
# the live entry's fields that have a column (the rest go to extra_fields, under "live")
_LIVE_FLAGS = ("supports_images_input", "supports_prompt_cache")
_LIVE_INTS = ("max_tokens", "context_window", "max_model_len")
KNOWN_LIVE_FIELDS = frozenset(
    (
        "id",
        "created",
        *_LIVE_FLAGS,
        *_LIVE_INTS,
        *PRICE_FIELDS,
        "precision",
        "supports_attestation",
        *PERFORMANCE_FIELDS,
    )
)
# the columns a live row fills; every other model column is what the live shape lacks
LIVE_COLUMNS = frozenset(
    (
        "model_id",
        "name",
        "created_at",
        "developer",
        *_LIVE_FLAGS,
        *_LIVE_INTS,
        *PRICE_FIELDS,
        "precision",
        "supports_attestation",
        "extra_fields",
        "source_shape",
        "prices_as_sent",
    )
)
LIVE_LACKS = tuple(name for name, _ in MODEL_COLUMNS if name not in LIVE_COLUMNS)
# the API's names of what the live shape lacks, for load_runs.fields_lacking
LIVE_LACKS_API_NAMES = (
    "model_id",
    "description",
    "status",
    *QUOTA_FIELDS,
    "updated_at",
    "metadata.image_url",
    "metadata.version",
    "metadata.developer",
    "metadata.short_description",
    *(f"metadata.{f}" for f in FLAG_FIELDS if f not in _LIVE_FLAGS),
    "metadata.trendiness",
    "metadata.license",
    "metadata.tool_support",
    "metadata.tags",
)
# what the documented shape does not carry (the live shape's own fields)
DOCUMENTED_LACKS_API_NAMES = (
    "max_model_len",
    "supports_attestation",
    *PERFORMANCE_FIELDS,
    "permission",
)
# keys of a permission object that vLLM's server generates per response (see stable_permissions)
PER_RESPONSE_PERMISSION_KEYS = ("id", "created")
# the extra_fields key that holds the live entry's unknown fields: each shape keeps its own
LIVE_EXTRA_KEY = "live"


def stable_permissions(value: Any) -> Any:
    """The permission objects without what vLLM's server makes anew for every response (an
    `id` from a random UUID, `created` from the clock): kept, they would make every load a new
    version of every model. What the permissions allow is kept."""
    if not isinstance(value, list):
        return value
    return [
        {k: v for k, v in p.items() if k not in PER_RESPONSE_PERMISSION_KEYS}
        if isinstance(p, dict)
        else p
        for p in value
    ]


def live_model_id(name: str) -> str:
    return str(uuid.uuid5(LIVE_ID_NAMESPACE, name))


def live_name(item: Any) -> str | None:
    if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"].strip():
        return str(item["id"])
    return None


def quarantine_reason(item: Any) -> str:
    if not isinstance(item, dict):
        return f"row is a JSON {type(item).__name__}, not an object"
    return "id (the model name) is missing or empty"


def flatten_live(item: dict[str, Any], model_id: str, developer: str | None) -> FlatModel:
    """One live entry → a row of the model columns (what the shape lacks left None)."""
    f = FieldReader()
    row: dict[str, Any] = dict.fromkeys(name for name, _ in MODEL_COLUMNS)
    row.update(model_id=model_id, name=item["id"], developer=developer, source_shape="live")
    created = item.get("created")
    if created is not None:
        if isinstance(created, int) and not isinstance(created, bool) and 0 <= created < 2**37:
            row["created_at"] = datetime.fromtimestamp(created, UTC)
        else:
            f.flag("created", created, "not a Unix timestamp; left NULL")
    for name in (*_LIVE_FLAGS, "supports_attestation"):
        row[name] = f.flag_value(name, item.get(name))
    for name in _LIVE_INTS:
        value = item.get(name)
        row[name] = (
            value
            if value is None or (value.__class__ is int and 0 <= value <= INT64_MAX)
            else f.integer(name, value)
        )
    row["precision"] = f.text("precision", item.get("precision"))
    sent = {price: item[price] for price in PRICE_FIELDS if price in item}
    for price in PRICE_FIELDS:
        row[price] = f.price_per_token(price, item.get(price))
    if row["supports_prompt_cache"] is not True:
        # the live list sends 0 where a model offers no prompt cache: not offered, not free
        for price in ("cache_read_token_price", "cache_write_token_price"):
            if row[price] == "0":
                row[price] = None
    row["prices_as_sent"] = json.dumps(sent, sort_keys=True) if sent else None
    extra = {k: v for k, v in item.items() if k not in KNOWN_LIVE_FIELDS}
    if "permission" in extra:
        extra["permission"] = stable_permissions(extra["permission"])
    row["extra_fields"] = (
        json.dumps({LIVE_EXTRA_KEY: extra}, sort_keys=True, default=str) if extra else None
    )
    performance = {name: f.number(name, item.get(name)) for name in PERFORMANCE_FIELDS}
    flat = FlatModel(row=row, tags=[], problems=f.problems)
    flat.performance = performance if any(v is not None for v in performance.values()) else None
    return flat
