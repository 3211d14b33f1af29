"""Pure transforms: one raw model object in, one flat row, its tags and its problems out.

No HTTP and no dlt here, so every rule is unit-tested with plain dicts. A malformed field never
sinks the row: it is left NULL or normalised, and the problem is reported as a `Problem`.
A row without a usable model_id cannot be versioned and is quarantined instead.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pipelines.schemas import MODEL_COLUMNS
from pipelines.settings import (
    FLAG_FIELDS,
    IMPLAUSIBLE_PRICE_BELOW,
    INT_METADATA_FIELDS,
    PRICE_FIELDS,
    QUOTA_FIELDS,
    STATUSES,
    TEXT_METADATA_FIELDS,
    VOLATILE_FIELDS,
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
_PLAIN_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")
_INTEGER_TEXT = re.compile(r"-?[0-9]+")
_INT64_MAX = 2**63 - 1
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_IMPLAUSIBLE = Decimal(IMPLAUSIBLE_PRICE_BELOW)


@dataclass(frozen=True)
class Problem:
    field: str
    raw_value: str | None
    problem: str


@dataclass
class FlatModel:
    """The outcome for one raw object: a row (None when quarantined), tags and problems."""

    row: dict[str, Any] | None
    tags: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    quarantine_reason: str | None = None


def _raw(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


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
    return f"model_id {_raw(raw['model_id'])[:80]!r} is not a UUID"


class _Flattener:
    """Collects problems while reading one object's fields; one instance per row."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def flag(self, name: str, value: Any, problem: str) -> None:
        self.problems.append(Problem(name, None if value is None else _raw(value), problem))

    def text(self, name: str, value: Any) -> str | None:
        if value is None or isinstance(value, str):
            return value
        self.flag(name, value, "expected text; kept as JSON text")
        return _raw(value)

    def integer(self, name: str, value: Any, *, required: bool = False) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif value is None:
            if required:
                self.flag(name, value, "required field is missing or null")
            return None
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str) and _INTEGER_TEXT.fullmatch(value.strip()):
            number = int(value)
            self.flag(name, value, "integer sent as text; converted")
        else:
            self.flag(name, value, "not an integer; left NULL")
            return None
        if number < 0:
            self.flag(name, value, "negative; left NULL")
            return None
        if number > _INT64_MAX:
            self.flag(name, value, "too large for a 64-bit integer; left NULL")
            return None
        return number

    def flag_value(self, name: str, value: Any) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        if value in (0, 1, "true", "false", "True", "False"):
            self.flag(name, value, "boolean sent as number or text; converted")
            return value in (1, "true", "True")
        self.flag(name, value, "not a boolean; left NULL")
        return None

    def timestamp(self, name: str, value: Any) -> datetime | None:
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                # A timestamp without offset is taken as UTC, as the API's examples are.
                return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        self.flag(name, value, "not an ISO 8601 timestamp; left NULL")
        return None

    def price(self, name: str, value: Any) -> str | None:
        """The API's text when it is a plain non-negative decimal; otherwise normalised or NULL."""
        if value is None:
            return None
        if isinstance(value, str) and _PLAIN_DECIMAL.fullmatch(value):
            text = value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            text = _decimal_text(Decimal(repr(value)))
            self.flag(name, value, "price sent as a number, not text; converted")
        else:
            try:
                number = Decimal(str(value).strip())
            except InvalidOperation:
                self.flag(name, value, "price is not a number; left NULL")
                return None
            if not number.is_finite() or number < 0:
                self.flag(name, value, "price is negative or not finite; left NULL")
                return None
            text = _decimal_text(number)
            self.flag(name, value, "price in an unusual notation; normalised")
        if 0 < Decimal(text) < _IMPLAUSIBLE:
            self.flag(name, value, "implausible unit: looks like USD per token, not per million")
        return text

    def tags(self, value: Any) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            self.flag("tags", value, "tags given as a string; split on commas")
            return [t.strip() for t in value.split(",") if t.strip()]
        if not isinstance(value, list):
            self.flag("tags", value, "tags are not a list; ignored")
            return []
        tags = [t for t in value if isinstance(t, str)]
        if len(tags) != len(value):
            self.flag("tags", value, "non-text tags dropped from the list")
        return tags


def _decimal_text(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def flatten_model(raw: Any) -> FlatModel:
    """One ModelData object → one flat row (model_id canonical, prices as text, tags as JSON)."""
    model_id = usable_model_id(raw.get("model_id")) if isinstance(raw, dict) else None
    if model_id is None:
        return FlatModel(row=None, quarantine_reason=_quarantine_reason(raw))
    f = _Flattener()
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
    row: dict[str, Any] = {
        "model_id": model_id,
        "name": f.text("name", name),
        "description": f.text("description", raw.get("description")),
        "status": f.text("status", status),
    }
    # The checks inline the common, valid case (this runs once per model per load) and
    # leave everything else to the _Flattener, which normalises and reports.
    for quota in QUOTA_FIELDS:
        value = raw.get(quota)
        row[quota] = (
            value
            if value.__class__ is int and 0 <= value <= _INT64_MAX
            else f.integer(quota, value, required=True)
        )
    row["created_at"] = f.timestamp("created_at", raw.get("created_at"))
    row["updated_at"] = f.timestamp("updated_at", raw.get("updated_at"))
    for name_ in TEXT_METADATA_FIELDS:
        value = meta.get(name_)
        # license is free-form in the published spec (its reference is unresolved)
        row[name_] = (
            _raw(value) if name_ == "license" and value is not None else f.text(name_, value)
        )
    for flag in FLAG_FIELDS:
        value = meta.get(flag)
        row[flag] = value if value is None or value.__class__ is bool else f.flag_value(flag, value)
    for name_ in INT_METADATA_FIELDS:
        value = meta.get(name_)
        row[name_] = (
            value
            if value is None or (value.__class__ is int and 0 <= value <= _INT64_MAX)
            else f.integer(name_, value)
        )
    if row["trendiness"] is not None and row["trendiness"] > 10:
        f.flag("trendiness", row["trendiness"], "outside the range 0-10; kept")
    for price in PRICE_FIELDS:
        row[price] = f.price(price, meta.get(price))
    tags = f.tags(meta.get("tags"))
    row["tags"] = json.dumps(tags)
    row["extra_fields"] = _extra_fields(raw, meta)
    return FlatModel(row=row, tags=tags, problems=f.problems)


def _extra_fields(raw: dict[str, Any], meta: dict[str, Any]) -> str | None:
    """Fields the spec does not name (it allows additionalProperties), kept as a JSON object."""
    extra: dict[str, Any] = {k: v for k, v in raw.items() if k not in TOP_LEVEL_FIELDS}
    extra_meta = {k: v for k, v in meta.items() if k not in METADATA_FIELDS}
    if extra_meta:
        extra["metadata"] = extra_meta
    return json.dumps(extra, sort_keys=True, default=str) if extra else None


# Hashed in a fixed order; repr of str, int, bool, None and datetime is stable, and it is
# several times cheaper than canonical JSON (this runs once per model per load).
HASHED_FIELDS = tuple(sorted(name for name, _ in MODEL_COLUMNS if name not in VOLATILE_FIELDS))


def _price_value(text: str | None) -> str | None:
    """ "0.10" and "0.1" are one price: a change of notation alone is no change."""
    return None if text is None else _decimal_text(Decimal(text))


def row_hash(row: dict[str, Any]) -> str:
    """A digest of everything a user cares about: all fields but the volatile ones."""
    values = [
        _price_value(row[name]) if name in PRICE_FIELDS else row[name] for name in HASHED_FIELDS
    ]
    stable = repr(values)
    return hashlib.sha256(stable.encode()).hexdigest()[:32]
