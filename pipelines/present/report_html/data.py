"""What the HTML report reads: the rows each part of the page shows, and counts of the rest.

At 50,000 models, fetching every priced model, workload cost and catalogue change into Python
took most of the report's time, while the page only ever shows a top N and says how many more
there are. So each query here is limited in SQL and carries its count (`count(*) over ()` is
taken before the limit); the price scatter is summarised in SQL, and binned there when it is
drawn as a density plot (density.py). SQL in the subset DuckDB and PostgreSQL share.
Never imports dlt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pipelines.present.connect import Connection
from pipelines.present.ranked import TOTAL, Record, Top, records, top, top_rows
from pipelines.present.report_columns import (
    CATALOG_CHANGES,
    CHEAPEST_MODELS,
    MODEL_SPEED,
    PRICE_CHANGES,
)
from pipelines.present.report_html.density import CELL
from pipelines.present.report_html.scales import Scale

PRICING_COLUMNS = CHEAPEST_MODELS.select(CHEAPEST_MODELS.html())
PRICING_ORDER = CHEAPEST_MODELS.order
# drawn in the price scatter: both prices above zero (zero has no logarithm)
PLOTTED = "input_price > 0 and output_price > 0"
# how the charts name a developer (charts.developer): a missing or empty one is "(unknown)"
DEVELOPER = "coalesce(nullif(developer, ''), '(unknown)')"
PRICE_PLOTTED = ("input", "output")  # the prices drawn in the history panels


# The priced models the page lists, in one scan of model_pricing (every scan recomputes the
# view: ~0.2 s at 50,000 models on DuckDB, more on PostgreSQL): part 1, the first rows by rank;
# 2, the most expensive; 3, the first of those the scatter leaves out (a price of zero). `total`
# counts part 1's and 2's rows (every priced model), or part 3's.
PRICED_SQL = f"""
with priced as (
    select
        {PRICING_COLUMNS},
        row_number() over (order by {PRICING_ORDER}) as place,
        count(*) over () as priced
    from analytics.model_pricing
),

unplotted as (
    select
        {PRICING_COLUMNS},
        place,
        row_number() over (order by place) as unplotted_place,
        count(*) over () as unplotted
    from priced
    where not ({PLOTTED})
)

select 1 as part, {PRICING_COLUMNS}, place, priced as total from priced where place <= {{rows}}
union all
select 2 as part, {PRICING_COLUMNS}, place, priced as total from priced where place = priced
union all
select 3 as part, {PRICING_COLUMNS}, place, unplotted as total
from unplotted where unplotted_place <= {{named}}
order by 1, place
"""


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


# --- price history: the most recently re-priced models ---


def recent_repriced(con: Connection, limit: int) -> Top:
    """The models whose input or output price changed, most recently first (as they come
    first in price_changes' order: newest, then by name and price)."""
    sql = f"""
with ordered as (
    select model_id, row_number() over (order by {PRICE_CHANGES.order}) as place
    from analytics.price_changes
    where price in ('input', 'output')
)
select model_id, min(place) as place, count(*) over () as {TOTAL}
from ordered
group by model_id
order by 2
limit {int(limit)}
"""
    _, rows, total = top_rows(con, sql)
    return Top([{"model_id": row[0]} for row in rows], total)


def _marks(ids: list[Any]) -> str:
    return ", ".join("?" for _ in ids)


def versions_of(con: Connection, ids: list[Any]) -> list[Record]:
    if not ids:
        return []
    return records(
        con,
        "select model_id, name, valid_from, valid_to, is_present, input_price, output_price "
        f"from analytics.model_history where model_id in ({_marks(ids)}) "
        "order by name, model_id, valid_from",
        ids,
    )


def changes_of(con: Connection, ids: list[Any]) -> list[Record]:
    """The input and output price changes of these models, newest first."""
    if not ids:
        return []
    return records(
        con,
        f"select * from analytics.price_changes where model_id in ({_marks(ids)}) "
        f"and price in ('input', 'output') order by {PRICE_CHANGES.order}",
        ids,
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


# --- what each section of the page reads ---


@dataclass(frozen=True)
class Pricing:
    """The Prices section: the cheapest rows, the most expensive, the scatter's summary, the
    models left out of it; `models` and `cells` read the scatter's marks when it is drawn."""

    con: Connection
    cheapest: Top  # the first rows by price rank; total: every priced model
    last: Record | None
    scatter: ScatterSummary | None
    unplotted: Top

    def models(self) -> list[Record]:
        return plotted_models(self.con)

    def cells(self, x_scale: Scale, y_scale: Scale) -> list[Record]:
        return density_cells(self.con, x_scale, y_scale, CELL)


def pricing(con: Connection, rows: int, named: int) -> Pricing:
    """The `rows` cheapest models, and `named` of those the scatter leaves out."""
    parts: dict[int, list[Record]] = {1: [], 2: [], 3: []}
    for r in records(con, PRICED_SQL.format(rows=int(rows), named=int(named))):
        parts[int(r.pop("part"))].append(r)
        del r["place"]
    totals = {part: int(found[0].pop("total")) if found else 0 for part, found in parts.items()}
    for found in parts.values():
        for r in found:
            r.pop("total", None)
    return Pricing(
        con,
        Top(parts[1], totals[1]),
        parts[2][0] if parts[2] else None,
        scatter_summary(con),
        Top(parts[3], totals[3]),
    )


@dataclass(frozen=True)
class PriceHistory:
    changes: Top  # the latest price changes; total: every change
    repriced: Top  # the most recently re-priced models (input or output); total: all of them
    versions: list[Record]  # the versions of those models
    seen: list[Record]  # their input and output price changes


def price_history(con: Connection, rows: int, panels: int) -> PriceHistory:
    changes = top(con, "*", "analytics.price_changes", PRICE_CHANGES.order, rows)
    repriced = recent_repriced(con, panels)
    ids = [r["model_id"] for r in repriced.rows]
    return PriceHistory(changes, repriced, versions_of(con, ids), changes_of(con, ids))


SPEED_COLUMNS = MODEL_SPEED.select()
SPEED_ORDER = MODEL_SPEED.order


def speed(con: Connection, rows: int, plotted: int) -> tuple[Top, list[Record]]:
    """The `rows` fastest models (and how many have figures), and the `plotted` fastest with
    a blended price above zero and a latency (the speed chart's points)."""
    table = top(con, SPEED_COLUMNS, "analytics.model_speed", SPEED_ORDER, rows)
    where = "blended_price > 0 and avg_latency_ms_per_day is not null"
    chart = top(con, SPEED_COLUMNS, "analytics.model_speed", SPEED_ORDER, plotted, where)
    return table, chart.rows


def catalogue_changes(con: Connection, rows: int) -> Top:
    """The latest `rows` catalogue changes, newest first, and how many there are."""
    spec = CATALOG_CHANGES
    return top(con, spec.select(), f"analytics.{spec.view}", spec.order, rows)
