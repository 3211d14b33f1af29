"""The price scatter when there are too many models to draw one by one: a density plot.

Points are binned on a grid over the log-scaled plot; each occupied cell is one circle whose
area grows with the number of models in it, coloured by the developer with most models there
(grey when that is one of the uncoloured many). The page says how many models each circle
stands for; a tooltip names the count, the developers and the cheapest model of the cell.
The binning runs in SQL (scatter_data.density_cells): the models never come into Python.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from pipelines.present.report_html.limits import Colours
from pipelines.present.report_html.svg import esc, num
from pipelines.transform import numbers

CELL = 14.0  # px: the grid's cell size


def density_marks(cells: Sequence[Mapping[str, Any]], colours: Colours) -> list[str]:
    """SVG circles, one per occupied cell, largest first: rows of scatter_data.density_cells (the
    models binned in SQL on the plot's log scales)."""
    biggest = max(int(c["models"]) for c in cells)
    marks = []
    for c in cells:
        models, top_dev = int(c["models"]), str(c["top_developer"])
        radius = 2.5 + (CELL * 0.9 - 2.5) * math.sqrt(models / biggest)
        tip = (
            f"{models:,} models, input {numbers.price(float(c['min_x']))} to "
            f"{numbers.price(float(c['max_x']))}, output "
            f"{numbers.price(float(c['min_y']))} to {numbers.price(float(c['max_y']))}"
            f"; {int(c['developers']):,} developers, most from {top_dev}; cheapest: "
            f"{c['cheapest']}"
        )
        cx, cy = int(c["cx"]), int(c["cy"])
        marks.append(
            f'<circle cx="{num((cx + 0.5) * CELL)}" cy="{num((cy + 0.5) * CELL)}" '
            f'r="{num(radius)}" fill="{colours[top_dev]}" fill-opacity="0.8" stroke="#fff" '
            f'stroke-width="0.8"><title>{esc(tip)}</title></circle>'
        )
    return marks
