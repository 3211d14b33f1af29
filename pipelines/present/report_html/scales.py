"""Scales and ticks for the HTML report's charts: linear, log10 and time (UTC) axes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from pipelines.transform import numbers


@dataclass(frozen=True)
class Scale:
    """Maps a domain [lo, hi] onto the pixel range [start, end], linearly or in log10."""

    lo: float
    hi: float
    start: float
    end: float
    log: bool = False

    def __call__(self, value: float) -> float:
        lo, hi, v = self.lo, self.hi, value
        if self.log:
            lo, hi, v = math.log10(lo), math.log10(hi), math.log10(v)
        if hi == lo:
            return (self.start + self.end) / 2
        return self.start + (v - lo) / (hi - lo) * (self.end - self.start)


def nice_step(span: float, target: int = 5) -> float:
    raw = span / max(target, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def linear_ticks(hi: float, target: int = 5) -> tuple[float, list[float]]:
    """A nice top of the axis (≥ hi) and the ticks from 0 to it."""
    if hi <= 0:
        return 1.0, [0.0, 1.0]
    step = nice_step(hi, target)
    count = math.ceil(hi / step - 1e-9)
    return step * count, [step * i for i in range(count + 1)]


def log_domain(values: Sequence[float]) -> tuple[float, float]:
    """Whole decades around the positive values."""
    lo = 10 ** math.floor(math.log10(min(values)))
    hi = 10 ** math.ceil(math.log10(max(values)))
    return lo, hi if hi > lo else lo * 10


def log_ticks(lo: float, hi: float) -> list[float]:
    """1, 2 and 5 times each decade when the range is short; decades only when it is long."""
    decades = round(math.log10(hi / lo))
    factors = (1, 2, 5) if decades <= 4 else (1,)
    out = []
    for d in range(decades + 1):
        for f in factors:
            value = float(f"{f * lo * 10**d:.12g}")
            if value <= hi * (1 + 1e-9):
                out.append(value)
    return out


def tick_text(value: float, quota: bool = False) -> str:
    if quota:  # an axis position, not a figure: 5M rather than 5.0M
        return numbers.compact(round(value)).replace(".0", "")
    return numbers.price(f"{value:.10g}")


TIME_STEPS = (
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
    86400, 172800, 259200, 604800, 1209600, 2592000, 7776000, 15552000, 31536000,
)  # fmt: skip


def time_ticks(lo: float, hi: float, target: int = 4) -> tuple[list[tuple[float, str]], str]:
    """Epoch-second ticks at a round step between lo and hi, labelled for that step (UTC),
    and the axis title (with the day when every tick shows only a time of that day)."""
    span = max(hi - lo, 1)
    step = next((s for s in TIME_STEPS if span / s <= target), TIME_STEPS[-1])
    same_day = datetime.fromtimestamp(lo, UTC).date() == datetime.fromtimestamp(hi, UTC).date()
    if step < 60:
        pattern = "%H:%M:%S"
    elif step < 86400:
        pattern = "%H:%M" if same_day else "%m-%d %H:%M"
    else:
        pattern = "%Y-%m-%d"
    ticks: list[tuple[float, str]] = []
    t = float(math.ceil(lo / step) * step)
    while t <= hi + 1e-6:
        ticks.append((t, datetime.fromtimestamp(t, UTC).strftime(pattern)))
        t += step
    day = datetime.fromtimestamp(lo, UTC).strftime("%Y-%m-%d")
    title = f"observed on {day} (UTC)" if same_day and step < 86400 else "observed (UTC)"
    return ticks, title
