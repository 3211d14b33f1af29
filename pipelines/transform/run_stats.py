"""What one load did: counts, timings, and the load_runs row that records it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pipelines.extract.client import redact_url
from pipelines.settings import DOCUMENTED_SHAPE
from pipelines.transform.history import ADDED, CHANGED, REAPPEARED, REMOVED


@dataclass
class PassCounts:
    """What one pass over the pages saw and wrote; each pass starts from a fresh one."""

    pages: int = 0
    rows_seen: int = 0
    versions_written: int = 0
    changes: dict[str, int] = field(default_factory=dict)
    quarantined: int = 0
    quality_issues: int = 0
    response_shape: str = DOCUMENTED_SHAPE
    fields_lacking: tuple[str, ...] = ()  # what the response shape does not carry
    performance_rows: int = 0
    notes: list[str] = field(default_factory=list)  # what load_runs.message and the summary say


@dataclass
class RunStats:
    """The run as a whole: its identity, the counts of its last pass, and stage timings."""

    run_id: str
    started_at: datetime
    base_url: str
    query: str | None
    key_scope: str = "guest"  # key | guest: whether the load sent an API key
    counts: PassCounts = field(default_factory=PassCounts)
    pagination_attempts: int = 0
    # seconds per stage: fetch (waiting for pages), flatten (rows → Arrow), then load.py's
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def is_full(self) -> bool:
        return not self.query

    @property
    def listing_scope(self) -> str:
        """Which view of the catalogue this load had: the shape, and a key or none."""
        return f"{self.counts.response_shape}/{self.key_scope}"

    def load_run_row(self, outcome: str, message: str | None) -> dict[str, Any]:
        counts = self.counts
        return {
            "run_id": self.run_id,
            "started_at": self.started_at,
            "finished_at": datetime.now(UTC),
            "outcome": outcome,
            "message": message,
            "base_url": redact_url(self.base_url),
            "query": self.query,
            "is_full": self.is_full,
            "response_shape": counts.response_shape,
            "pages": counts.pages,
            "rows_seen": counts.rows_seen,
            "versions_written": counts.versions_written,
            "models_added": counts.changes.get(ADDED, 0),
            "models_changed": counts.changes.get(CHANGED, 0),
            "models_removed": counts.changes.get(REMOVED, 0),
            "models_reappeared": counts.changes.get(REAPPEARED, 0),
            "quarantined": counts.quarantined,
            "quality_issues": counts.quality_issues,
            "pagination_attempts": self.pagination_attempts,
            "key_scope": self.key_scope,
            "fields_lacking": ", ".join(counts.fields_lacking) or None,
        }
