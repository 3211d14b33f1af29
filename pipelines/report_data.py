"""The figures every report shows, read from the analytics views (no dlt, read-only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from pipelines.query import run_query

RECENT_CHANGES = 15
CHEAPEST = 10


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    columns: list[str]
    rows: list[tuple[Any, ...]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


SECTIONS: list[tuple[str, str, str]] = [
    (
        "quota_summary",
        "Daily quotas of active models, by developer",
        "select * from analytics.quota_summary",
    ),
    (
        "quota_by_capability",
        "Daily quotas by capability (active models with quota > 0)",
        "select capability, models, total_daily_quota, largest_daily_quota, largest_quota_model, "
        "unit from analytics.quota_by_capability",
    ),
    (
        "pricing_summary",
        "Prices by developer (USD per million tokens)",
        "select developer, priced_models, min_input_price, median_input_price, max_input_price, "
        "min_output_price, median_output_price, max_output_price, cheapest_model "
        "from analytics.pricing_summary",
    ),
    (
        "cheapest_models",
        f"The {CHEAPEST} cheapest models by blended price (3 input : 1 output)",
        "select price_rank, name, developer, input_price, output_price, blended_price, "
        f"cache_read_discount from analytics.model_pricing order by price_rank, name limit {CHEAPEST}",
    ),
    (
        "price_changes",
        "Recent price changes",
        "select observed_at, name, price, old_price, new_price, relative_change from "
        f"analytics.price_changes order by observed_at desc, name, price limit {RECENT_CHANGES}",
    ),
    (
        "catalog_changes",
        "Recent catalogue changes",
        "select observed_at, name, change, old_status, new_status from analytics.catalog_changes "
        f"order by observed_at desc, name limit {RECENT_CHANGES}",
    ),
]

HEADLINE_SQL = """
select
    (select count(*) from analytics.models) as models,
    (select count(*) from analytics.models where is_active) as active_models,
    (select count(distinct developer) from analytics.models) as developers,
    (select max(finished_at) from analytics.load_runs where outcome = 'ok') as last_load_at,
    (select arg_max(base_url, finished_at) from analytics.load_runs where outcome = 'ok')
        as source_url
"""


def headline(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    columns, rows = run_query(con, HEADLINE_SQL)
    return dict(zip(columns, rows[0], strict=True))


def sections(con: duckdb.DuckDBPyConnection) -> list[Section]:
    out = []
    for key, title, sql in SECTIONS:
        columns, rows = run_query(con, sql)
        out.append(Section(key, title, columns, rows))
    return out
