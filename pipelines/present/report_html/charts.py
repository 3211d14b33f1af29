"""The price charts of the HTML report as inline SVG: input vs output scatter, blended ranking."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pipelines.present.report_data import short_name
from pipelines.present.report_html.density import density_marks
from pipelines.present.report_html.limits import (
    RANKED_BARS,
    SCATTER_POINTS,
    Colours,
    legend_entries,
    more,
)
from pipelines.present.report_html.scales import (
    Scale,
    linear_ticks,
    log_domain,
    log_ticks,
    tick_text,
)
from pipelines.present.report_html.scatter_data import ScatterSummary
from pipelines.present.report_html.svg import (
    GRID,
    INK,
    MUTED,
    TIMES,
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

WIDTH = 1120
PRICE_UNIT = "USD per million tokens"
Box = tuple[float, float, float, float]


def developer(record: Mapping[str, Any]) -> str:
    return str(record.get("developer") or "(unknown)")


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _distance(box: Box, x: float, y: float) -> float:
    """From a point to the nearest edge of a box (0 inside it)."""
    dx = max(box[0] - x, 0, x - box[2])
    dy = max(box[1] - y, 0, y - box[3])
    return float((dx * dx + dy * dy) ** 0.5)


def _place_label(
    x: float, y: float, text: str, taken: list[Box], points: list[tuple[float, float]], bounds: Box
) -> tuple[float, float, str] | None:
    """The first spot around a point where the label stays inside the plot, overlaps no label
    placed yet and is nearer its own point than any other (so it reads as no other's label);
    None when there is none: the point's tooltip still names it."""
    w, h = text_width(text, 11), 12.0
    spots = (
        (x + 9, y + 4, "start"),
        (x - 9, y + 4, "end"),
        (x, y - 10, "middle"),
        (x, y + 19, "middle"),
        (x + 7, y - 8, "start"),
        (x - 7, y - 8, "end"),
        (x + 7, y + 16, "start"),
        (x - 7, y + 16, "end"),
    )
    for lx, ly, anchor in spots:
        left = lx if anchor == "start" else lx - w if anchor == "end" else lx - w / 2
        box = (left, ly - h + 2, left + w, ly + 3)
        inside = box[0] >= bounds[0] and box[2] <= bounds[2] and box[1] >= bounds[1]
        own = _distance(box, x, y)
        crowded = any(_distance(box, px, py) < own + 4 for px, py in points if (px, py) != (x, y))
        clear = not any(_overlaps(box, t) for t in taken)
        if inside and box[3] <= bounds[3] and clear and not crowded:
            taken.append(box)
            return lx, ly, anchor
    return None


def _point_marks(
    groups: Mapping[tuple[float, float], list[Mapping[str, Any]]],
    x_scale: Scale,
    y_scale: Scale,
    colours: Mapping[str, str],
    bounds: Box,
) -> list[str]:
    """One circle per model (rings where prices coincide), labelled where there is room."""
    left, top, right, bottom = bounds
    centres = [(x_scale(x), y_scale(y)) for x, y in groups]
    taken: list[Box] = []
    marks, labels = [], []
    for (x, y), members in sorted(groups.items(), key=lambda g: (g[0][0] + g[0][1], g[0])):
        cx, cy = x_scale(x), y_scale(y)
        tip = "\n".join(
            f"{p['name']} ({developer(p)}): input {numbers.price(p['input_price'])}, output "
            f"{numbers.price(p['output_price'])}, blended {numbers.price(p['blended_price'])}"
            for p in members
        )
        for i, p in enumerate(members):
            r = 6.5 if len(members) == 1 else 6.5 + 3 * (len(members) - 1 - i)
            marks.append(
                f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(r)}" '
                f'fill="{colours[developer(p)]}" stroke="#fff" stroke-width="1.5">'
                f"<title>{esc(tip)}</title></circle>"
            )
        text = ", ".join(short_name(str(p["name"])) for p in members)
        spot = _place_label(cx, cy, text, taken, centres, (left + 2, top, right - 2, bottom - 2))
        if spot:
            labels.append(label(spot[0], spot[1], text, 11, spot[2], MUTED))
    return marks + labels


def legend_frame(
    devs: set[str] | list[str], colours: Colours, min_height: float
) -> tuple[list[tuple[str, str]], float, float, Box]:
    """A scatter coloured by developer: the legend's entries and width, the chart's height and
    the plot box left of the legend column (both scatters share the layout)."""
    entries = legend_entries(devs, colours)
    legend_w = max(150.0, max(text_width(d, 12) for d, _ in entries) + 40)
    height = max(min_height, 60 + 22 * len(entries))
    return entries, legend_w, height, (96.0, 24.0, WIDTH - legend_w - 24, height - 60)


def developer_legend(
    entries: list[tuple[str, str]], x: float, top: float, legend_w: float
) -> list[str]:
    """The "Developer" legend column at `x`, one entry a line."""
    marks = [label(x, top + 12, "Developer", 12, weight="600")]
    for i, entry in enumerate(entries, start=1):
        keys, _ = legend([entry], x, top + 12 + 22 * i, legend_w)
        marks += keys
    return marks


def price_scatter(
    summary: ScatterSummary,
    colours: Colours,
    models: Callable[[], Sequence[Mapping[str, Any]]],
    cells: Callable[[Scale, Scale], Sequence[Mapping[str, Any]]],
) -> str:
    """Output vs input price of each priced model, log10 on both axes, coloured by developer.

    `summary` describes the models with both prices > 0 (zero has no log); `models()` reads
    them when they are few enough to draw one by one, else `cells(x, y)` bins them (in SQL)
    for a density plot on those scales.
    """
    devs = set(summary.developers)
    entries, legend_w, height, (left, top, right, bottom) = legend_frame(devs, colours, 460.0)
    x_scale = Scale(*log_domain([summary.min_x, summary.max_x]), left, right, log=True)
    y_scale = Scale(*log_domain([summary.min_y, summary.max_y]), bottom, top, log=True)
    body = x_axis(
        x_scale,
        [(t, tick_text(t)) for t in log_ticks(x_scale.lo, x_scale.hi)],
        top,
        bottom,
        f"Input price ({PRICE_UNIT}, log scale)",
    )
    body += y_axis(
        y_scale,
        [(t, tick_text(t)) for t in log_ticks(y_scale.lo, y_scale.hi)],
        left,
        right,
        f"Output price ({PRICE_UNIT}, log scale)",
    )
    drawn = ""
    if summary.points > SCATTER_POINTS:
        binned = cells(x_scale, y_scale)
        body += density_marks(binned, colours)
        drawn = f" Each of the {len(binned):,} circles stands for the models in its area."
    else:
        groups: dict[tuple[float, float], list[Mapping[str, Any]]] = {}
        for p in models():
            groups.setdefault((float(p["input_price"]), float(p["output_price"])), []).append(p)
        body += _point_marks(groups, x_scale, y_scale, colours, (left, top, right, bottom))
    body += developer_legend(entries, right + 24, top, legend_w)
    desc = (
        f"{summary.models} priced models from {len(devs)} developers; input price from "
        f"{numbers.price(summary.min_x)} to {numbers.price(summary.max_x)} and output price "
        f"from {numbers.price(summary.min_y)} to {numbers.price(summary.max_y)} {PRICE_UNIT}. "
        f"Cheapest by blended price: {summary.cheapest}.{drawn}"
    )
    return document("scatter", WIDTH, height, "Input vs output price per model", desc, body)


def blended_ranking(
    ranked: Sequence[Mapping[str, Any]], priced: int, last: Mapping[str, Any], colours: Colours
) -> str:
    """Horizontal bars of the blended price of the cheapest RANKED_BARS models, cheapest first
    (`ranked`: the first rows by price_rank), and how many more of the `priced` there are;
    `last` is the most expensive."""
    points = list(ranked[:RANKED_BARS])
    rest = max(priced - len(points), 0)
    names = [f"{p['price_rank']}. {p['name']}" for p in points]
    label_w = min(max(text_width(n, 12) for n in names) + 12, 460)
    keys, keys_h = legend(
        legend_entries({developer(p) for p in points}, colours), 16, 20, WIDTH - 32
    )
    row, top_y = 26.0, 20 + keys_h + 8
    left, right = 16 + label_w, WIDTH - 80
    bottom = top_y + row * len(points)
    values = [float(p["blended_price"]) for p in points]
    hi, ticks = linear_ticks(max(values))
    scale = Scale(0, hi, left, right)
    body = keys + x_axis(
        scale,
        [(t, tick_text(t)) for t in ticks],
        top_y,
        bottom,
        f"Blended price ({PRICE_UNIT}): (3 {TIMES} input + output) / 4",
    )
    for i, (p, name, value) in enumerate(zip(points, names, values, strict=True)):
        y = top_y + i * row
        shown = (
            name
            if text_width(name, 12) <= label_w - 12
            else name[: int((label_w - 24) / 7.2)] + "…"
        )
        tip = f"{name} ({developer(p)}): blended {numbers.price(p['blended_price'])} {PRICE_UNIT}"
        body.append(f"<g><title>{esc(tip)}</title>")
        body.append(label(left - 10, y + row / 2 + 4, shown, 12, "end", INK))
        body.append(
            f'<rect x="{num(left)}" y="{num(y + 5)}" width="{num(max(scale(value) - left, 1))}" '
            f'height="{num(row - 10)}" rx="3" fill="{colours[developer(p)]}"/>'
        )
        body.append(
            label(
                scale(value) + 6, y + row / 2 + 4, numbers.price(p["blended_price"]), 11, fill=MUTED
            )
            + "</g>"
        )
    body.append(
        f'<line x1="{num(left)}" y1="{num(top_y)}" x2="{num(left)}" y2="{num(bottom)}" '
        f'stroke="{GRID}"/>'
    )
    height = bottom + 52
    if rest:
        body.append(
            label(
                left, bottom + 60, more(rest, "priced models: see the table below"), 12, fill=MUTED
            )
        )
        height += 22
    desc = (
        f"The {len(points)} cheapest of {priced:,} priced models by blended price, from "
        f"{numbers.price(points[0]['blended_price'])} ({points[0]['name']}); the most expensive is "
        f"{numbers.price(last['blended_price'])} ({last['name']}) {PRICE_UNIT}."
    )
    return document("ranking", WIDTH, height, "Blended price ranking", desc, body)
