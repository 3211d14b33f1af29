"""The price scatter when there are too many models to draw one by one: a density plot.

Points are binned on a grid over the log-scaled plot; each occupied cell is one circle whose
area grows with the number of models in it, coloured by the developer with most models there
(grey when that is one of the uncoloured many). The page says how many models each circle
stands for; a tooltip names the count, the developers and the cheapest model of the cell.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from pipelines.present.report_data import fmt_price
from pipelines.present.report_html.limits import Colours
from pipelines.present.report_html.scales import Scale
from pipelines.present.report_html.svg import esc, num

CELL = 14.0  # px: the grid's cell size


def density_marks(
    points: Sequence[Mapping[str, Any]],
    xs: Sequence[float],
    ys: Sequence[float],
    x_scale: Scale,
    y_scale: Scale,
    colours: Colours,
    developer: Any,
) -> tuple[list[str], int]:
    """SVG circles, one per occupied cell; and the number of cells."""
    cells: dict[tuple[int, int], list[int]] = {}
    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        key = (int(x_scale(x) // CELL), int(y_scale(y) // CELL))
        cells.setdefault(key, []).append(i)
    biggest = max(len(members) for members in cells.values())
    marks = []
    for (cx, cy), members in sorted(cells.items(), key=lambda c: -len(c[1])):
        devs = Counter(developer(points[i]) for i in members)
        top_dev, _ = devs.most_common(1)[0]
        cheapest = min(members, key=lambda i: float(points[i]["blended_price"]))
        radius = 2.5 + (CELL * 0.9 - 2.5) * math.sqrt(len(members) / biggest)
        tip = (
            f"{len(members):,} models, input {fmt_price(min(xs[i] for i in members))} to "
            f"{fmt_price(max(xs[i] for i in members))}, output "
            f"{fmt_price(min(ys[i] for i in members))} to {fmt_price(max(ys[i] for i in members))}"
            f"; {len(devs):,} developers, most from {top_dev}; cheapest: "
            f"{points[cheapest]['name']}"
        )
        marks.append(
            f'<circle cx="{num((cx + 0.5) * CELL)}" cy="{num((cy + 0.5) * CELL)}" '
            f'r="{num(radius)}" fill="{colours[top_dev]}" fill-opacity="0.8" stroke="#fff" '
            f'stroke-width="0.8"><title>{esc(tip)}</title></circle>'
        )
    return marks, len(cells)
