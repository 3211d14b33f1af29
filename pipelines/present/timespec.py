"""Times and durations as users type them: `24h`, `7d`, `90m`, or an ISO 8601 time."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from pipelines.errors import UsageError

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str, option: str) -> timedelta:
    """`90m`, `2h`, `7d`, `1w` (or seconds: `30s`); exit 2 on anything else."""
    match = _DURATION.fullmatch(text.strip().lower())
    if not match:
        raise UsageError(f"{option} must be a duration like 30m, 24h or 7d, not {text!r}")
    return timedelta(seconds=float(match[1]) * _UNIT_SECONDS[match[2]])


def parse_since(text: str, now: datetime) -> datetime:
    """A duration back from `now`, or an ISO time (UTC unless it names its offset)."""
    if _DURATION.fullmatch(text.strip().lower()):
        return now - parse_duration(text, "--since")
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"--since must be an ISO time (2026-11-23T00:00Z) or a duration (24h, 7d), not {text!r}"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def ago(delta: timedelta) -> str:
    """A rounded age: "45s", "12m", "3h 5m", "2d 4h"."""
    seconds = int(delta.total_seconds())
    if seconds < 60:
        return f"{max(seconds, 0)}s"
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if hours < 1:
        return f"{minutes}m"
    if days < 1:
        return f"{hours}h {minutes % 60}m" if minutes % 60 else f"{hours}h"
    return f"{days}d {hours % 24}h" if hours % 24 else f"{days}d"
