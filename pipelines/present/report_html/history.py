"""The price history chart of the HTML report: per re-priced model, the step line of its input
and output price across its versions (analytics.model_history), up to the last load."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from pipelines.present.report_html.scales import Scale, linear_ticks, tick_text, time_ticks
from pipelines.present.report_html.svg import (
    document,
    esc,
    label,
    legend,
    num,
    text_width,
    x_axis,
    y_axis,
)
from pipelines.transform import numbers

SERIES = (("input_price", "input", "#4e79a7"), ("output_price", "output", "#e15759"))
Step = tuple[float, float, float]  # valid from, valid to (epoch seconds), price


def steps(versions: Sequence[Mapping[str, Any]], column: str, end: float) -> list[list[Step]]:
    """Runs of consecutive listed versions with a price; a removal or a NULL breaks the line."""
    runs: list[list[Step]] = [[]]
    for v in versions:
        start = _epoch(v["valid_from"])
        stop = _epoch(v["valid_to"]) if v["valid_to"] is not None else max(end, start)
        if not v["is_present"] or v[column] is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((start, stop, float(v[column])))
    return [r for r in runs if r]


def _epoch(value: Any) -> float:
    return value.timestamp() if isinstance(value, datetime) else float(value)


def history_panel(
    uid: str, name: str, versions: Sequence[Mapping[str, Any]], end: datetime | None, width: float
) -> str:
    """One model's input and output price over time as step lines with a marker per version."""
    last = max([_epoch(v["valid_from"]) for v in versions] + ([_epoch(end)] if end else []))
    lines = {key: steps(versions, key, last) for key, _, _ in SERIES}
    times = [t for runs in lines.values() for run in runs for s in run for t in s[:2]]
    prices = [s[2] for runs in lines.values() for run in runs for s in run]
    t0, t1 = min(times), max(max(times), min(times) + 1)
    height = 280.0
    keys, keys_h = legend(
        [(title, colour) for _, title, colour in SERIES], 16, 18, width, line=True
    )
    hi, ticks = linear_ticks(max(prices) if prices else 1, 4)
    widest = max(text_width(tick_text(t), 11) for t in ticks)
    left, right, top, bottom = widest + 40, width - 56, 18 + keys_h + 6, height - 48
    x_scale = Scale(t0, t1, left, right)
    y_scale = Scale(0, hi, bottom, top)
    t_ticks, t_title = time_ticks(t0, t1)
    body = keys + x_axis(x_scale, t_ticks, top, bottom, t_title)
    body += y_axis(
        y_scale, [(t, tick_text(t)) for t in ticks], left, right, "USD per million tokens"
    )
    ends: list[float] = []
    for key, title, colour in SERIES:
        for run in lines[key]:
            d = f"M{num(x_scale(run[0][0]))},{num(y_scale(run[0][2]))}"
            for i, (_, stop, price) in enumerate(run):
                if i:
                    d += f"V{num(y_scale(price))}"
                d += f"H{num(x_scale(stop))}"
            body.append(
                f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2.5" '
                f'stroke-linejoin="round"/>'
            )
            for start, _, price in run:
                tip = f"{name}: {title} price {numbers.price(price)} USD per million tokens"
                body.append(
                    f'<circle cx="{num(x_scale(start))}" cy="{num(y_scale(price))}" r="4" '
                    f'fill="#fff" stroke="{colour}" stroke-width="2"><title>{esc(tip)}</title>'
                    "</circle>"
                )
        if lines[key]:
            stop, price = lines[key][-1][-1][1:]
            y = y_scale(price) + 4
            if any(abs(y - e) < 13 for e in ends):
                y = max(ends) + 13 if y >= min(ends) else min(ends) - 13
            ends.append(y)
            body.append(
                label(x_scale(stop) + 6, y, numbers.price(price), 11, fill=colour, weight="600")
            )
    desc = "; ".join(
        f"{title} price " + " then ".join(numbers.price(s[2]) for run in lines[key] for s in run)
        for key, title, _ in SERIES
        if lines[key]
    )
    return document(uid, width, height, f"Price history of {name}", desc + ".", body)
