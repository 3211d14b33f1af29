"""The price scatter's data, in SQL: its models summarised, and binned for a density plot.

At 50,000 models the scatter is a density plot: the models are binned on the plot's grid in
SQL with the same float operations as the chart's log scales, so no model row comes into
Python; only the occupied cells do (a unit test compares with the binning in Python). SQL in
the subset DuckDB and PostgreSQL share. Never imports dlt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pipelines.present.connect import Connection
from pipelines.present.ranked import Record, records
from pipelines.present.report_columns import CHEAPEST_MODELS
from pipelines.present.report_html.scales import Scale

PRICING_COLUMNS = CHEAPEST_MODELS.select(CHEAPEST_MODELS.html())
PRICING_ORDER = CHEAPEST_MODELS.order
# drawn in the price scatter: both prices above zero (zero has no logarithm)
PLOTTED = "input_price > 0 and output_price > 0"
# how the charts name a developer (charts.developer): a missing or empty one is "(unknown)"
DEVELOPER = "coalesce(nullif(developer, ''), '(unknown)')"


@dataclass(frozen=True)
class ScatterSummary:
    """The price scatter's models (both prices above zero) in figures, without their rows."""

    models: int
    points: int  # distinct (input, output) pairs
    min_x: float
    max_x: float
    min_y: float
    max_y: float
    developers: list[str]
    cheapest: str  # by blended price, ties by name


# the scatter's models: prices as the charts compute with them, in rank order
PLOTTED_CTE = f"""with plotted as (
    select
        {DEVELOPER} as developer,
        name,
        cast(input_price as double precision) as x,
        cast(output_price as double precision) as y,
        row_number() over (order by {PRICING_ORDER}) as place
    from analytics.model_pricing
    where {PLOTTED}
),
"""

# one row per developer in the scatter, each with the same figures (none: nothing to draw)
SCATTER_SQL = f"""
{PLOTTED_CTE}
figures as (
    select count(*) as models, min(x) as min_x, max(x) as max_x, min(y) as min_y, max(y) as max_y
    from plotted
),

pairs as (
    select count(*) as points from (select x, y from plotted group by x, y) as distinct_pairs
),

cheapest as (select name as cheapest from plotted where place = 1),

developers as (select developer from plotted group by developer)

select
    figures.models,
    pairs.points,
    figures.min_x,
    figures.max_x,
    figures.min_y,
    figures.max_y,
    cheapest.cheapest,
    developers.developer
from figures
cross join pairs
cross join cheapest
cross join developers
"""


def scatter_summary(con: Connection) -> ScatterSummary | None:
    """None when no model has both prices above zero."""
    rows = records(con, SCATTER_SQL)
    if not rows:
        return None
    head = rows[0]
    return ScatterSummary(
        models=int(head["models"]),
        points=int(head["points"]),
        min_x=float(head["min_x"]),
        max_x=float(head["max_x"]),
        min_y=float(head["min_y"]),
        max_y=float(head["max_y"]),
        developers=[str(r["developer"]) for r in rows],
        cheapest=str(head["cheapest"]),
    )


def plotted_models(con: Connection) -> list[Record]:
    """Every model of the price scatter (few enough to draw one by one), in rank order."""
    return records(
        con,
        f"select {PRICING_COLUMNS} from analytics.model_pricing where {PLOTTED} "
        f"order by {PRICING_ORDER}",
    )


# --- the density plot's cells, binned in SQL ---


def _pixel(column: str) -> str:
    """SQL for Scale.__call__ on a log scale, in the same float operations and order, so a
    model falls in the cell the Python scale would put it in; its four parameters come from
    `_scale_params`."""
    return (
        f"cast(? as double precision) + (log10({column}) - cast(? as double precision)) "
        "/ cast(? as double precision) * cast(? as double precision)"
    )


def _scale_params(scale: Scale) -> list[float]:
    lo, hi = math.log10(scale.lo), math.log10(scale.hi)
    return [float(scale.start), lo, hi - lo, float(scale.end - scale.start)]


def density_cells(con: Connection, x_scale: Scale, y_scale: Scale, cell: float) -> list[Record]:
    """One row per occupied grid cell of the price scatter: where (cx, cy), how many models,
    their price ranges, how many developers, the developer with most models there (ties: the
    one with the cheaper model) and the cheapest model; largest cells first (ties: the cell of
    the cheaper model)."""
    sql = f"""
{PLOTTED_CTE}
placed as (
    select
        name,
        developer,
        x,
        y,
        place,
        floor(({_pixel("x")}) / cast(? as double precision)) as cx,
        floor(({_pixel("y")}) / cast(? as double precision)) as cy
    from plotted
),

developers as (
    select
        cx,
        cy,
        developer,
        row_number() over (partition by cx, cy order by count(*) desc, min(place)) as pick
    from placed
    group by cx, cy, developer
),

cells as (
    select
        cx,
        cy,
        count(*) as models,
        min(x) as min_x,
        max(x) as max_x,
        min(y) as min_y,
        max(y) as max_y,
        count(distinct developer) as developers,
        min(place) as first_place
    from placed
    group by cx, cy
)

select
    cells.cx,
    cells.cy,
    cells.models,
    cells.min_x,
    cells.max_x,
    cells.min_y,
    cells.max_y,
    cells.developers,
    developers.developer as top_developer,
    placed.name as cheapest
from cells
inner join developers
    on cells.cx = developers.cx and cells.cy = developers.cy and developers.pick = 1
inner join placed on cells.first_place = placed.place
order by cells.models desc, cells.first_place
"""
    params = [*_scale_params(x_scale), float(cell), *_scale_params(y_scale), float(cell)]
    return records(con, sql, params)
