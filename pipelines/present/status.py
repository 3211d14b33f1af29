"""`iomodels status`: is the data fresh and did the last load succeed? For monitors and cron.

Healthy (exit 0) when the latest load succeeded and the latest successful load finished
within --max-age; otherwise exit 1. One line says why; `--json` gives the figures.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb

from pipelines.present.report_columns import time_text
from pipelines.present.timespec import ago

STATUS_SQL = """
with latest as (
    select started_at, finished_at, outcome, message
    from analytics.load_runs order by started_at desc limit 1
),

latest_ok as (
    select max(finished_at) as finished_at from analytics.load_runs where outcome = 'ok'
)

select
    latest.started_at,
    latest.finished_at,
    latest.outcome,
    latest.message,
    latest_ok.finished_at as last_ok_at,
    (select count(*) from analytics.models) as models,
    (select count(*) from analytics.model_history) as versions
from latest
cross join latest_ok
"""


@dataclass(frozen=True)
class Status:
    healthy: bool
    reason: str
    last_load_at: datetime | None
    outcome: str | None
    message: str | None
    last_ok_at: datetime | None
    age_s: float | None
    max_age_s: float
    models: int
    versions: int


def read_status(con: duckdb.DuckDBPyConnection, max_age: timedelta, now: datetime) -> Status:
    row = con.execute(STATUS_SQL).fetchone()
    if row is None:
        return Status(False, "no load has been recorded yet", None, None, None, None, None,
                      max_age.total_seconds(), 0, 0)  # fmt: skip
    started, finished, outcome, message, last_ok, models, versions = row
    age = now - last_ok if last_ok else None
    counts = f"{models} models, {versions} versions"
    if outcome != "ok":
        why = f": {message}" if message and message != outcome else ""
        reason = f"the last load, at {time_text(finished or started)} UTC, failed ({outcome}){why}"
        healthy = False
    elif age is None or age > max_age:
        reason = (
            f"stale: the last successful load finished {ago(age or timedelta())} ago, "
            f"more than --max-age {ago(max_age)}; {counts}"
        )
        healthy = False
    else:
        reason = f"ok: last load {time_text(last_ok)} UTC ({ago(age)} ago) succeeded; {counts}"
        healthy = True
    return Status(
        healthy=healthy,
        reason=reason,
        last_load_at=finished or started,
        outcome=outcome,
        message=message,
        last_ok_at=last_ok,
        age_s=None if age is None else round(age.total_seconds(), 3),
        max_age_s=max_age.total_seconds(),
        models=int(models),
        versions=int(versions),
    )


def status_json(status: Status) -> str:
    doc: dict[str, Any] = asdict(status)
    for key in ("last_load_at", "last_ok_at"):
        if doc[key] is not None:
            doc[key] = doc[key].astimezone(UTC).isoformat()
    return json.dumps(doc, indent=2)
