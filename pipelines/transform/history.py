"""Change detection: compare what a load sees with the latest recorded version of each model.

History grows with changes, not with runs: a model gets a new version only when its row hash
(everything but the volatile fields) differs, when it is new, or when it comes back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from pipelines.errors import GateError
from pipelines.settings import PRICE_FIELDS, VOLATILE_FIELDS
from pipelines.transform.fields import decimal_text
from pipelines.transform.schemas import MODEL_COLUMNS

ADDED, CHANGED, REMOVED, REAPPEARED = "added", "changed", "removed", "reappeared"

# The latest version of every model ever seen; run by the destination before a load.
LATEST_VERSIONS_SQL = """
select model_id, row_hash, is_present, name, status
from io_intelligence.model_versions
qualify row_number() over (partition by model_id order by observed_at desc) = 1
"""


@dataclass(frozen=True)
class PriorVersion:
    row_hash: str
    is_present: bool
    name: str | None
    status: str | None


@dataclass
class Prior:
    """What the destination already holds: latest versions and which raw tables exist."""

    versions: dict[str, PriorVersion]
    tables: set[str]

    @classmethod
    def empty(cls) -> Prior:
        return cls({}, set())

    @classmethod
    def from_rows(cls, rows: list[tuple[Any, ...]], tables: set[str]) -> Prior:
        return cls({r[0]: PriorVersion(r[1], bool(r[2]), r[3], r[4]) for r in rows}, tables)

    def present_ids(self) -> set[str]:
        return {model_id for model_id, v in self.versions.items() if v.is_present}


def classify(prior: PriorVersion | None, new_hash: str) -> str | None:
    """The kind of version this observation makes, or None when nothing changed."""
    if prior is None:
        return ADDED
    if not prior.is_present:
        return REAPPEARED
    if prior.row_hash != new_hash:
        return CHANGED
    return None


@dataclass(frozen=True)
class Absences:
    """What a complete, full read means for the present models it did not list."""

    retire: list[str]  # to retire, once the named ones are confirmed gone by a search
    to_confirm: dict[str, str]  # id → name: search by name before retiring
    kept: list[str]  # not retired: a quarantined row may be one of them with a broken id


def absences(prior: Prior, seen: set[str], quarantined_names: set[str | None]) -> Absences:
    """Which absent models to retire. Pure: the search that confirms them is the caller's."""
    gone = sorted(prior.present_ids() - seen)
    if gone and not seen:
        raise GateError(
            f"the API returned an empty catalogue; refusing to retire all {len(gone)} models"
        )
    if None in quarantined_names:  # a row without a name could be any of them
        return Absences([], {}, gone)
    kept = [m for m in gone if prior.versions[m].name in quarantined_names]
    retire = [m for m in gone if m not in kept]
    named = {m: name for m in retire if (name := prior.versions[m].name)}
    return Absences(retire, named, kept)


def tombstone(
    model_id: str, prior: PriorVersion, observed_at: datetime, run_id: str
) -> dict[str, Any]:
    """The version that records a model leaving the catalogue (its fields NULL but name)."""
    row: dict[str, Any] = dict.fromkeys(name for name, _ in MODEL_COLUMNS)
    row.update(
        model_id=model_id,
        name=prior.name,
        status=prior.status,
        change=REMOVED,
        is_present=False,
        row_hash=prior.row_hash,
        observed_at=observed_at,
        run_id=run_id,
    )
    return row


# Hashed in a fixed order; repr of str, int, bool, None and datetime is stable, and it is
# several times cheaper than canonical JSON (this runs once per model per load).
HASHED_FIELDS = tuple(sorted(name for name, _ in MODEL_COLUMNS if name not in VOLATILE_FIELDS))


def _price_value(text: str | None) -> str | None:
    """ "0.10" and "0.1" are one price: a change of notation alone is no change."""
    return None if text is None else decimal_text(Decimal(text))


def row_hash(row: dict[str, Any]) -> str:
    """A digest of everything a user cares about: all fields but the volatile ones."""
    values = [
        _price_value(row[name]) if name in PRICE_FIELDS else row[name] for name in HASHED_FIELDS
    ]
    stable = repr(values)
    return hashlib.sha256(stable.encode()).hexdigest()[:32]
