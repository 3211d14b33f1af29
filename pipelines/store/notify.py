"""After a load that changed something: POST its changes to the webhooks, record the outcome.

Runs before the load is published, on the staged data, so the outcome lands in the same
publication (analytics.notifications, and load_runs.notification). Never raises: a webhook
that fails or hangs costs one warning line, never the load.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pipelines.store.changes import ChangeFilter, read_changes, summary_text
from pipelines.store.webhook import Delivery, WebhookUrl, post_json
from pipelines.transform.batches import TableBatch, arrow

if TYPE_CHECKING:
    from pipelines.store.targets import Target
    from pipelines.transform.run_stats import RunStats

log = logging.getLogger("iomodels")


def notify_changes(
    pipeline: Any,
    target: Target,
    stats: RunStats,
    urls: tuple[WebhookUrl, ...],
    *,
    attempts: int,
    timeout_s: float,
    backoff_s: float,
) -> list[Delivery]:
    """POST this load's changes to each URL (nothing when it changed nothing)."""
    if not urls or stats.counts.versions_written == 0:
        return []
    try:
        with target.staged_views() as con:
            records = read_changes(con, ChangeFilter(run_ids=(stats.run_id,)))
    except Exception as exc:
        log.warning("warning: could not read this load's changes to notify: %s", type(exc).__name__)
        return []
    if not records:
        return []
    document = {"text": summary_text(records), "run_id": stats.run_id, "changes": records}
    deliveries = [
        post_json(url, document, attempts=attempts, timeout_s=timeout_s, backoff_s=backoff_s)
        for url in urls
    ]
    for failed in (d for d in deliveries if not d.sent):
        log.warning(
            "warning: webhook %s failed after %d attempt%s (%s); the load itself succeeded",
            failed.url,
            failed.attempts,
            "" if failed.attempts == 1 else "s",
            failed.message,
        )
    try:
        _record(pipeline, stats.run_id, deliveries)
    except Exception as exc:
        log.warning("warning: could not record the webhook outcome: %s", type(exc).__name__)
    return deliveries


def _record(pipeline: Any, run_id: str, deliveries: list[Delivery]) -> None:
    from pipelines.store.source import io_intelligence

    now = datetime.now(UTC)
    rows = [
        {
            "run_id": run_id,
            "notified_at": now,
            "url": d.url,
            "outcome": "sent" if d.sent else "failed",
            "http_status": d.status,
            "attempts": d.attempts,
            "message": d.message,
        }
        for d in deliveries
    ]

    def batches() -> Iterator[TableBatch]:
        yield "notifications", arrow("notifications", rows)

    pipeline.run(io_intelligence(batches))
