"""Change detection: compare what a load sees with the latest recorded version of each model.

History grows with changes, not with runs: a model gets a new version only when its row hash
(everything but the volatile fields) differs, when it is new, or when it comes back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

from pipelines.errors import GateError
from pipelines.settings import PRICE_FIELDS, VOLATILE_FIELDS
from pipelines.transform.fields import remember
from pipelines.transform.numbers import plain as decimal_text
from pipelines.transform.schemas import MODEL_COLUMNS

ADDED, CHANGED, REMOVED, REAPPEARED = "added", "changed", "removed", "reappeared"
_MODEL_COLUMN_NAMES = [name for name, _ in MODEL_COLUMNS]


# Per model ever seen: its latest version's hash, presence, name and status. Only these narrow
# columns are read for every model (they decide what changed); the model columns carried into
# a shape that lacks them are read later, and only those (`carried_sql`). Run by the destination
# before a load, in SQL that DuckDB and PostgreSQL share.
LATEST_VERSIONS_SQL = """
select model_id, row_hash, is_present, name, status
from (
    select
        model_id, row_hash, is_present, name, status,
        row_number() over (partition by model_id order by observed_at desc) as by_time
    from io_intelligence.model_versions
) as ranked
where by_time = 1
"""


def carried_sql(columns: list[str]) -> str:
    """`columns` of each model's latest listed version: what a shape that lacks them keeps."""
    picked = ", ".join(f'"{c}"' for c in columns)
    return f"""
select model_id, {picked}
from (
    select
        model_id, {picked},
        row_number() over (
            partition by model_id order by is_present desc, observed_at desc
        ) as by_listed
    from io_intelligence.model_versions
) as listed
where by_listed = 1
"""


# The latest performance figures of every model, and which models each listing scope lists
# (SQL that DuckDB and PostgreSQL share: no qualify).
LATEST_PERFORMANCE_SQL = """
select model_id, day, avg_latency_ms_per_day, avg_throughput_per_day
from (
    select
        model_id, day, avg_latency_ms_per_day, avg_throughput_per_day,
        row_number() over (partition by model_id order by observed_at desc) as newest
    from io_intelligence.model_performance
) as figures
where newest = 1
"""
LISTED_SQL = """
select scope, model_id
from (
    select
        scope, model_id, listed,
        row_number() over (partition by scope, model_id order by observed_at desc) as newest
    from io_intelligence.model_listings
) as listings
where newest = 1 and listed
"""


@dataclass(frozen=True, slots=True)
class PriorVersion:
    row_hash: str
    is_present: bool
    name: str | None
    status: str | None


# Reads `columns` of every model's latest listed version: column → {model_id: value}, the
# non-NULL values only (a column the destination does not have yet may be left out).
CarriedReader = Callable[[tuple[str, ...]], dict[str, dict[str, Any]]]


@dataclass
class Prior:
    """The history a destination already holds: each model's latest version."""

    versions: dict[str, PriorVersion]
    # reads the latest listed versions' model columns that a shape lacks, once per set of
    # columns, when a load first needs them: a load holds only what its shape carries
    carried: CarriedReader | None = None
    # model_id → (day, latency, throughput) of its latest performance row
    performance: dict[str, tuple[Any, float | None, float | None]] = field(default_factory=dict)
    # listing scope → the models it listed at its last full load; None: never recorded
    listed: dict[str, set[str]] | None = None
    _read: dict[tuple[str, ...], dict[str, dict[str, Any]]] = field(
        default_factory=dict, repr=False
    )

    @classmethod
    def empty(cls) -> Prior:
        return cls({})

    @classmethod
    def from_rows(cls, columns: list[str], rows: list[tuple[Any, ...]]) -> Prior:
        """From rows in memory: row_hash, is_present, latest_name, latest_status and the model
        columns of the latest listed version (`columns` names their fields)."""
        at = {name: i for i, name in enumerate(columns)}
        hash_, present, name, status, model_id = (
            at[c] for c in ("row_hash", "is_present", "latest_name", "latest_status", "model_id")
        )
        versions = {
            r[model_id]: PriorVersion(r[hash_], bool(r[present]), r[name], r[status]) for r in rows
        }

        def carried(wanted: tuple[str, ...]) -> dict[str, dict[str, Any]]:
            return {
                c: {r[model_id]: r[at[c]] for r in rows if r[at[c]] is not None} for c in wanted
            }

        return cls(versions, carried)

    def present_ids(self) -> set[str]:
        return {model_id for model_id, v in self.versions.items() if v.is_present}

    def latest_values(self, columns: tuple[str, ...]) -> dict[str, dict[str, Any]]:
        """`columns` of every known model's latest listed version: column → {model_id: value}
        (a missing model_id is NULL). Read once per load for each set of columns."""
        values = self._read.get(columns)
        if values is None:
            assert self.carried is not None
            read = self.carried(columns)
            # the destination's time zone object differs from the one flattening uses: the
            # hash repr()s values, so a time read back must be the same kind as a time parsed
            values = {
                c: {
                    m: v.astimezone(UTC) if isinstance(v, datetime) else v
                    for m, v in read.get(c, {}).items()
                }
                for c in columns
            }
            self._read[columns] = values
        return values


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


def absences(
    prior: Prior,
    seen: set[str],
    quarantined_names: set[str | None],
    candidates: set[str] | None = None,
) -> Absences:
    """Which absent models to retire. Pure: the search that confirms them is the caller's.

    `candidates`: the present models this read may retire (its listing scope's, retire.py);
    every present model when None."""
    gone = sorted((prior.present_ids() if candidates is None else candidates) - seen)
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


# Kept with a version but never a reason for one: where the values came from, and the prices
# in the unit and notation they were sent in (a switch of shape is not a change).
UNHASHED_FIELDS = ("source_shape", "prices_as_sent")
# Added with the live shape: hashed only when known, so that versions recorded before these
# columns existed keep their hash (an upgrade is not a change of every model).
LATER_FIELDS = ("max_model_len", "supports_attestation")
# Hashed in a fixed order; repr of str, int, bool, None and datetime is stable, and it is
# several times cheaper than canonical JSON (this runs once per model per load).
HASHED_FIELDS = tuple(
    sorted(
        name
        for name, _ in MODEL_COLUMNS
        if name not in VOLATILE_FIELDS and name not in UNHASHED_FIELDS and name not in LATER_FIELDS
    )
)


_hashed_values = itemgetter(*HASHED_FIELDS)
_PRICE_POSITIONS = tuple(i for i, name in enumerate(HASHED_FIELDS) if name in PRICE_FIELDS)
# A catalogue has few distinct prices: each notation's canonical form is computed once.
_CANONICAL_PRICES: dict[str, str] = {}


def _price_value(text: str | None) -> str | None:
    """ "0.10" and "0.1" are one price: a change of notation alone is no change."""
    if text is None:
        return None
    canonical = _CANONICAL_PRICES.get(text)
    if canonical is None:
        canonical = decimal_text(Decimal(text))
        remember(_CANONICAL_PRICES, text, canonical)
    return canonical


def row_hash(row: dict[str, Any]) -> str:
    """A digest of everything a user cares about: all fields but the volatile ones."""
    values = list(_hashed_values(row))  # a list: its repr is what every stored hash digested
    for i in _PRICE_POSITIONS:
        values[i] = _price_value(values[i])
    values += [(name, row[name]) for name in LATER_FIELDS if row[name] is not None]
    stable = repr(values)
    return hashlib.sha256(stable.encode()).hexdigest()[:32]
