"""What the HTML report reads: the rows each part of the page shows, and counts of the rest.

At 50,000 models, fetching every priced model, workload cost and catalogue change into Python
took most of the report's time, while the page only ever shows a top N and says how many more
there are. So each query here is limited in SQL and carries its count (`count(*) over ()` is
taken before the limit); the price scatter's data: scatter_data.py. SQL in the subset DuckDB
and PostgreSQL share.
Never imports dlt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipelines.present.connect import Connection
from pipelines.present.ranked import TOTAL, Record, Top, records, top, top_rows
from pipelines.present.report_columns import (
    CATALOG_CHANGES,
    MODEL_SPEED,
    PRICE_CHANGES,
)
from pipelines.present.report_html.density import CELL
from pipelines.present.report_html.scales import Scale
from pipelines.present.report_html.scatter_data import (
    PLOTTED,
    PRICING_COLUMNS,
    PRICING_ORDER,
    ScatterSummary,
    density_cells,
    plotted_models,
    scatter_summary,
)

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

# --- price history: the most recently re-priced models ---


# the input and output price changes of analytics.model_changes (the panels draw those two)
DRAWN_PRICES = f"{PRICE_CHANGES.where} and field in ('input_price', 'output_price')"


def recent_repriced(con: Connection, limit: int) -> Top:
    """The models whose input or output price changed, most recently first (as they come
    first in the price changes' order: newest, then by name)."""
    sql = f"""
with ordered as (
    select model_id, row_number() over (order by {PRICE_CHANGES.order}) as place
    from analytics.model_changes
    where {DRAWN_PRICES}
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
        f"select model_id, {PRICE_CHANGES.select()} from analytics.model_changes "
        f"where {DRAWN_PRICES} and model_id in ({_marks(ids)}) order by {PRICE_CHANGES.order}",
        ids,
    )


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
    spec = PRICE_CHANGES
    changes = top(con, spec.select(), f"analytics.{spec.view}", spec.order, rows, spec.where)
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
    return top(con, spec.select(), f"analytics.{spec.view}", spec.order, rows, spec.where)
