"""The HTML report's workload cost chart: the cheapest models for one workload as stacked bars,
split into what the input, the cached input and the output cost (inline SVG)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pipelines.present.report_html.scales import Scale, linear_ticks, tick_text
from pipelines.present.report_html.svg import (
    GRID,
    INK,
    MUTED,
    document,
    esc,
    label,
    legend,
    num,
    text_width,
    x_axis,
)
from pipelines.transform import numbers

WIDTH = 1120
ROW = 26.0
# the parts of a total, as the macro names them, and how the chart shows them
PARTS = (
    ("input_cost", "input", "#4e79a7"),
    ("cached_input_cost", "cached input", "#76b7b2"),
    ("output_cost", "output", "#f28e2b"),
)


def cost_ranking(points: Sequence[Mapping[str, Any]], workload: str, priced: int) -> str:
    """Horizontal stacked bars of the total cost, cheapest first; `points` are rows of
    analytics.workload_cost in sort_order, already cut to the models to show."""
    parts = [p for p in PARTS if any(r[p[0]] for r in points)] or list(PARTS[:1])
    names = [f"{r['rank']}. {r['name']}" for r in points]
    label_w = min(max(text_width(n, 12) for n in names) + 12, 460)
    keys, keys_h = legend([(title, colour) for _, title, colour in parts], 16, 20, WIDTH - 32)
    top = 20 + keys_h + 8
    left, right = 16 + label_w, WIDTH - 90
    bottom = top + ROW * len(points)
    totals = [float(r["total_cost"]) for r in points]
    hi, ticks = linear_ticks(max(totals))
    scale = Scale(0, hi, left, right)
    body = keys + x_axis(
        scale, [(t, tick_text(t)) for t in ticks], top, bottom, f"Cost in USD of {workload}"
    )
    for i, (r, name) in enumerate(zip(points, names, strict=True)):
        y = top + i * ROW
        shown = (
            name
            if text_width(name, 12) <= label_w - 12
            else name[: int((label_w - 24) / 7.2)] + "…"
        )
        tip = (
            f"{name} ({r['developer'] or '(unknown)'}): total {numbers.usd(r['total_cost'])} USD; "
            + (", ".join(f"{title} {numbers.usd(r[key])}" for key, title, _ in parts))
        )
        body.append(f"<g><title>{esc(tip)}</title>")
        body.append(label(left - 10, y + ROW / 2 + 4, shown, 12, "end", INK))
        x = left
        for key, _, colour in parts:
            width = scale(float(r[key])) - left
            if width > 0:
                body.append(
                    f'<rect x="{num(x)}" y="{num(y + 5)}" width="{num(width)}" '
                    f'height="{num(ROW - 10)}" fill="{colour}"/>'
                )
                x += width
        end = max(x, left + 1)
        body.append(
            label(end + 6, y + ROW / 2 + 4, numbers.usd(r["total_cost"]), 11, fill=MUTED) + "</g>"
        )
    body.append(
        f'<line x1="{num(left)}" y1="{num(top)}" x2="{num(left)}" y2="{num(bottom)}" '
        f'stroke="{GRID}"/>'
    )
    desc = (
        f"The {len(points)} cheapest of {priced} priced models for {workload}: from "
        f"{numbers.usd(points[0]['total_cost'])} USD ({points[0]['name']}) to "
        f"{numbers.usd(points[-1]['total_cost'])} USD ({points[-1]['name']})."
    )
    return document("workload-cost", WIDTH, bottom + 52, "Workload cost ranking", desc, body)
