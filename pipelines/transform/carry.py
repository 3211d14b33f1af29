"""What a shape does not carry keeps its last known value: a switch of shape invents nothing.

A live-shape row has no status, quotas, tags or descriptions; a documented row has no
`max_model_len` or attestation flag. Before a row is hashed, the fields its shape lacks are
taken from the model's latest version, so a load in the other shape changes only what that
shape really says, and a model whose shared fields are unchanged gets no new version.
"""

from __future__ import annotations

import json
from typing import Any

from pipelines.settings import DOCUMENTED_SHAPE, LIVE_SHAPE
from pipelines.transform.history import Prior
from pipelines.transform.live_shape import LIVE_EXTRA_KEY, LIVE_LACKS

# what the documented shape lacks: the live shape's own columns
DOCUMENTED_LACKS = ("max_model_len", "supports_attestation")
# a model first seen in the live shape: listed there means it can be called
LIVE_DEFAULTS = {"status": "active", "tags": "[]"}


# what carry_forward reads of a model's latest version, per shape: a load reads only these
_LIVE_CARRIES = tuple(c for c in LIVE_LACKS if c not in ("source_shape", "prices_as_sent"))
CARRIED = {
    LIVE_SHAPE: (*_LIVE_CARRIES, "developer", "created_at", "extra_fields"),
    DOCUMENTED_SHAPE: (*DOCUMENTED_LACKS, "extra_fields"),
}


def carry_forward(row: dict[str, Any], prior: Prior, shape: str, derived_developer: bool) -> None:
    """Fill, in place, what `shape` lacks from the model's latest version (if it has one)."""
    model_id = row["model_id"]
    known = model_id in prior.versions and prior.carried is not None
    if not known:
        if shape == LIVE_SHAPE:
            row.update(LIVE_DEFAULTS)
        return
    live = shape == LIVE_SHAPE
    before = prior.latest_values(CARRIED[LIVE_SHAPE if live else DOCUMENTED_SHAPE])
    for column in _LIVE_CARRIES if live else DOCUMENTED_LACKS:
        row[column] = before[column].get(model_id)
    if row.get("status") is None and live:
        row["status"] = "active"  # a tombstone has no status to keep
    if live and derived_developer:
        # a developer guessed from the id never overrides one the API named
        row["developer"] = before["developer"].get(model_id) or row["developer"]
    if live and row["created_at"] is not None:
        # the live shape has whole seconds only: the same second is the same time
        created = before["created_at"].get(model_id)
        if created is not None and created.replace(microsecond=0) == row["created_at"]:
            row["created_at"] = created
    row["extra_fields"] = _merged_extra(
        row["extra_fields"], before["extra_fields"].get(model_id), shape
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
