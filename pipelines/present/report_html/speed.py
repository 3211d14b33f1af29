"""The HTML report's speed chart: blended price against daily latency ("which cheap models are
fast"). Cheap and fast models sit in the lower left."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pipelines.present.report_columns import MODEL_SPEED
from pipelines.present.report_data import short_name
from pipelines.present.report_html.charts import (
    PRICE_UNIT,
    WIDTH,
    Box,
    _place_label,
    developer,
    developer_legend,
    legend_frame,
)
from pipelines.present.report_html.limits import Colours
from pipelines.present.report_html.scales import (
    Scale,
    linear_ticks,
    log_domain,
    log_ticks,
    tick_text,
)
from pipelines.present.report_html.svg import (
    MUTED,
    document,
    esc,
    label,
    num,
    x_axis,
    y_axis,
)
from pipelines.transform import numbers

LATENCY = MODEL_SPEED.column("avg_latency_ms_per_day")
THROUGHPUT = MODEL_SPEED.column("avg_throughput_per_day")


def speed_scatter(points: Sequence[Mapping[str, Any]], colours: Colours) -> str:
    """Latency (linear, ms) against blended price (log10) of each priced model with figures.

    `points` are rows of analytics.model_speed with a blended price > 0 and a latency.
    """
    devs = sorted({developer(p) for p in points})
    entries, legend_w, height, (left, top, right, bottom) = legend_frame(devs, colours, 420.0)
    xs = [float(p["blended_price"]) for p in points]
    ys = [float(p["avg_latency_ms_per_day"]) for p in points]
    x_scale = Scale(*log_domain(xs), left, right, log=True)
    y_top, y_ticks = linear_ticks(max(ys))
    y_scale = Scale(0.0, y_top, bottom, top)
    body = x_axis(
        x_scale,
        [(t, tick_text(t)) for t in log_ticks(x_scale.lo, x_scale.hi)],
        top,
        bottom,
        f"Blended price ({PRICE_UNIT}, log scale)",
    )
    body += y_axis(
        y_scale,
        [(t, f"{t:,.0f}") for t in y_ticks],
        left,
        right,
        "Average latency of the day (ms)",
    )
    centres = [(x_scale(x), y_scale(y)) for x, y in zip(xs, ys, strict=True)]
    taken: list[Box] = []
    marks, labels = [], []
    ordered = sorted(zip(points, centres, strict=True), key=lambda pc: (pc[1][0], -pc[1][1]))
    for p, (cx, cy) in ordered:
        tip = (
            f"{p['name']} ({developer(p)}): blended {numbers.price(p['blended_price'])} USD/M, "
            f"latency {LATENCY.text(p['avg_latency_ms_per_day'])} ms, "
            f"throughput {THROUGHPUT.text(p['avg_throughput_per_day'])} tok/s"
        )
        marks.append(
            f'<circle cx="{num(cx)}" cy="{num(cy)}" r="6.5" fill="{colours[developer(p)]}" '
            f'stroke="#fff" stroke-width="1.5"><title>{esc(tip)}</title></circle>'
        )
        text = short_name(str(p["name"]))
        spot = _place_label(cx, cy, text, taken, centres, (left + 2, top, right - 2, bottom - 2))
        if spot:
            labels.append(label(spot[0], spot[1], text, 11, spot[2], MUTED))
    body += marks + labels
    body += developer_legend(entries, right + 24, top, legend_w)
    fastest = min(points, key=lambda p: float(p["avg_latency_ms_per_day"]))
    desc = (
        f"{len(points)} priced models with performance figures; latency from "
        f"{min(ys):,.1f} to {max(ys):,.1f} ms. Fastest: {fastest['name']}."
    )
    return document("speed", WIDTH, height, "Blended price vs latency per model", desc, body)
