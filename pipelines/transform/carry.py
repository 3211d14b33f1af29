"""What a shape does not carry keeps its last known value: a switch of shape invents nothing.

A live-shape row has no status, quotas, tags or descriptions; a documented row has no
`max_model_len` or attestation flag. Before a row is hashed, the fields its shape lacks are
taken from the model's latest version, so a load in the other shape changes only what that
shape really says, and a model whose shared fields are unchanged gets no new version.
"""

from __future__ import annotations

import json
from typing import Any

from pipelines.settings import LIVE_SHAPE
from pipelines.transform.history import Prior
from pipelines.transform.live_shape import LIVE_EXTRA_KEY, LIVE_LACKS

# what the documented shape lacks: the live shape's own columns
DOCUMENTED_LACKS = ("max_model_len", "supports_attestation")
# a model first seen in the live shape: listed there means it can be called
LIVE_DEFAULTS = {"status": "active", "tags": "[]"}


def carry_forward(row: dict[str, Any], prior: Prior, shape: str, derived_developer: bool) -> None:
    """Fill, in place, what `shape` lacks from the model's latest version (if it has one)."""
    model_id = row["model_id"]
    known = model_id in prior.versions and prior.latest is not None
    if not known:
        if shape == LIVE_SHAPE:
            row.update(LIVE_DEFAULTS)
        return
    lacks = LIVE_LACKS if shape == LIVE_SHAPE else DOCUMENTED_LACKS
    for column in lacks:
        if column not in ("source_shape", "prices_as_sent"):
            row[column] = prior.value(model_id, column)
    if row.get("status") is None and shape == LIVE_SHAPE:
        row["status"] = "active"  # a tombstone has no status to keep
    if shape == LIVE_SHAPE and derived_developer:
        # a developer guessed from the id never overrides one the API named
        row["developer"] = prior.value(model_id, "developer") or row["developer"]
    if shape == LIVE_SHAPE and row["created_at"] is not None:
        # the live shape has whole seconds only: the same second is the same time
        before = prior.value(model_id, "created_at")
        if before is not None and before.replace(microsecond=0) == row["created_at"]:
            row["created_at"] = before
    row["extra_fields"] = _merged_extra(
        row["extra_fields"], prior.value(model_id, "extra_fields"), shape
    )


def _merged_extra(current: str | None, before: str | None, shape: str) -> str | None:
    """Each shape's unknown fields replace only its own: the live ones sit under "live"."""
    mine = json.loads(current) if current else {}
    theirs = json.loads(before) if before else {}
    if not isinstance(theirs, dict):
        theirs = {}
    if shape == LIVE_SHAPE:
        kept = {k: v for k, v in theirs.items() if k != LIVE_EXTRA_KEY}
    else:
        kept = {LIVE_EXTRA_KEY: theirs[LIVE_EXTRA_KEY]} if LIVE_EXTRA_KEY in theirs else {}
    merged = {**kept, **mine}
    return json.dumps(merged, sort_keys=True, default=str) if merged else None
