"""Is the data stale? Said at the top of both reports, since a cron job can fail quietly.

Stale when the latest successful load is older than a day (or there is none), or when the
latest loads failed: a report that looks fine over a week-old catalogue misleads.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pipelines.present.connect import Connection
from pipelines.present.query import run_query

STALE_AFTER = timedelta(days=1)
RECENT_LOADS = 10  # how far back consecutive failures are counted

LATEST_LOADS_SQL = f"""
select outcome, started_at, message
from analytics.load_runs
order by started_at desc
limit {RECENT_LOADS}
"""
LAST_OK_SQL = "select max(finished_at) from analytics.load_runs where outcome = 'ok'"


def _ago(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.0f} hours" if hours < 48 else f"{hours / 24:.0f} days"


def staleness_warnings(con: Connection, now: datetime | None = None) -> list[str]:
    """One line per reason the data may be stale; empty when it is fresh."""
    now = now or datetime.now(UTC)
    warnings = []
    last_ok = run_query(con, LAST_OK_SQL)[1][0][0]
    if last_ok is None:
        warnings.append("no load has succeeded yet: the data may be incomplete")
    elif now - last_ok > STALE_AFTER:
        warnings.append(
            f"stale: the last successful load was {_ago(now - last_ok)} ago "
            f"({last_ok.astimezone(UTC):%Y-%m-%d %H:%M} UTC)"
        )
    recent = run_query(con, LATEST_LOADS_SQL)[1]
    failed = 0
    for outcome, _, _ in recent:
        if outcome == "ok":
            break
        failed += 1
    if failed:
        outcome, started_at, message = recent[0]
        count = f"{failed}+" if failed == len(recent) == RECENT_LOADS else str(failed)
        which = "the latest load" if failed == 1 else f"the latest {count} loads"
        why = f": {message[:160]}" if message else ""
        warnings.append(
            f"{which} failed (last: {outcome} at "
            f"{started_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC{why})"
        )
    return warnings
