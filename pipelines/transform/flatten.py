"""Pure transforms: one raw model object in, one flat row, its tags and its problems out.

No HTTP and no dlt here, so every rule is unit-tested with plain dicts. A malformed field never
sinks the row: it is left NULL or normalised, and the problem is reported as a `Problem`.
A row without a usable model_id cannot be versioned and is quarantined instead.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from json.encoder import encode_basestring_ascii
from typing import Any

from pipelines.settings import (
    DOCUMENTED_SHAPE,
    FLAG_FIELDS,
    INT_METADATA_FIELDS,
    PRICE_FIELDS,
    QUOTA_FIELDS,
    STATUSES,
    TEXT_METADATA_FIELDS,
)
from pipelines.transform.fields import (
    INT64_MAX,
    PLAUSIBLE_PRICES,
    FieldReader,
    Problem,
    raw_text,
)

TOP_LEVEL_FIELDS = frozenset(
    (
        "model_id",
        "name",
        "description",
        "status",
        *QUOTA_FIELDS,
        "metadata",
        "created_at",
        "updated_at",
    )
)
METADATA_FIELDS = frozenset(
    ("tags", *FLAG_FIELDS, *INT_METADATA_FIELDS, *TEXT_METADATA_FIELDS, *PRICE_FIELDS)
)
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class FlatModel:
    """The outcome for one raw object: a row (None when quarantined), tags and problems."""

    row: dict[str, Any] | None
    tags: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    quarantine_reason: str | None = None
    # the live shape's daily figures (never part of a version; see model_performance)
    performance: dict[str, float | None] | None = None


def usable_model_id(value: Any) -> str | None:
    """The canonical (lower-case) UUID, or None when the id cannot identify a model."""
    if not isinstance(value, str) or not value.strip():
        return None
    if _CANONICAL_UUID.fullmatch(value):
        return value
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        return None


def _quarantine_reason(raw: Any) -> str:
    if not isinstance(raw, dict):
        return f"row is a JSON {type(raw).__name__}, not an object"
    if "model_id" not in raw:
        return "model_id is missing"
    if raw["model_id"] is None or raw["model_id"] == "":
        return "model_id is empty"
    return f"model_id {raw_text(raw['model_id'])[:80]!r} is not a UUID"


def flatten_model(raw: Any) -> FlatModel:
    """One ModelData object → one flat row (model_id canonical, prices as text, tags as JSON)."""
    model_id = usable_model_id(raw.get("model_id")) if isinstance(raw, dict) else None
    if model_id is None:
        return FlatModel(row=None, quarantine_reason=_quarantine_reason(raw))
    f = FieldReader()
    meta = raw.get("metadata")
    if not isinstance(meta, dict):
        if meta is not None or "metadata" not in raw:
            f.flag("metadata", meta, "metadata is missing or not an object")
        meta = {}
    status = raw.get("status")
    if status not in STATUSES:
        f.flag("status", status, "unknown status; kept as sent")
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        f.flag("name", name, "name is missing")
    description = raw.get("description")
    # The checks inline the common, valid case (this runs once per model per load) and
    # leave everything else to the FieldReader, which normalises and reports.
    row: dict[str, Any] = {
        "model_id": model_id,
        "name": name if name is None or name.__class__ is str else f.text("name", name),
        "description": (
            description
            if description is None or description.__class__ is str
            else f.text("description", description)
        ),
        "status": status if status is None or status.__class__ is str else f.text("status", status),
    }
    for quota in QUOTA_FIELDS:
        value = raw.get(quota)
        row[quota] = (
            value
            if value.__class__ is int and 0 <= value <= INT64_MAX
            else f.integer(quota, value, required=True)
        )
    row["created_at"] = f.timestamp("created_at", raw.get("created_at"))
    row["updated_at"] = f.timestamp("updated_at", raw.get("updated_at"))
    for name_ in TEXT_METADATA_FIELDS:
        value = meta.get(name_)
        if value is None or value.__class__ is str:
            row[name_] = value
        else:  # license is free-form in the published spec (its reference is unresolved)
            row[name_] = raw_text(value) if name_ == "license" else f.text(name_, value)
    for flag in FLAG_FIELDS:
        value = meta.get(flag)
        row[flag] = value if value is None or value.__class__ is bool else f.flag_value(flag, value)
    for name_ in INT_METADATA_FIELDS:
        value = meta.get(name_)
        row[name_] = (
            value
            if value is None or (value.__class__ is int and 0 <= value <= INT64_MAX)
            else f.integer(name_, value)
        )
    if row["trendiness"] is not None and row["trendiness"] > 10:
        f.flag("trendiness", row["trendiness"], "outside the range 0-10; kept")
    for price in PRICE_FIELDS:
        value = meta.get(price)
        plain = value is None or (value.__class__ is str and value in PLAUSIBLE_PRICES)
        row[price] = value if plain else f.price(price, value)
    tags = f.tags(meta.get("tags"))
    row["tags"] = tags_json(tags)
    row["extra_fields"] = (
        None
        if raw.keys() <= TOP_LEVEL_FIELDS and meta.keys() <= METADATA_FIELDS
        else _extra_fields(raw, meta)
    )
    # the live shape's own fields: the documented shape lacks them (kept from a live load)
    row["max_model_len"] = row["supports_attestation"] = row["prices_as_sent"] = None
    row["source_shape"] = DOCUMENTED_SHAPE
    return FlatModel(row=row, tags=tags, problems=f.problems)


def tags_json(tags: list[str]) -> str:
    """`json.dumps(tags)` exactly (the stored text is hashed: it must stay exactly that), by
    the standard encoder's own C string escaper: several times cheaper than json.dumps."""
    return "[" + ", ".join(map(encode_basestring_ascii, tags)) + "]"


def _extra_fields(raw: dict[str, Any], meta: dict[str, Any]) -> str | None:
    """Fields the spec does not name (it allows additionalProperties), kept as a JSON object."""
    extra: dict[str, Any] = {k: v for k, v in raw.items() if k not in TOP_LEVEL_FIELDS}
    extra_meta = {k: v for k, v in meta.items() if k not in METADATA_FIELDS}
    if extra_meta:
        extra["metadata"] = extra_meta
    return json.dumps(extra, sort_keys=True, default=str) if extra else None
