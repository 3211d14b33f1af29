"""The report's "cost of a typical workload" section: the cheapest models for one workload.

The workload is the report's `--input-tokens`, `--output-tokens` and `--cached-input-tokens`
(settings.TYPICAL_WORKLOAD by default); the figures come from `analytics.workload_cost`.
"""

from __future__ import annotations

from pipelines.present.connect import Connection
from pipelines.present.report_columns import WORKLOAD_COST
from pipelines.present.report_data import Section
from pipelines.present.workload import Workload, brief, cheapest_costs

KEY = WORKLOAD_COST.key


def title(work: Workload) -> str:
    return f"{WORKLOAD_COST.title}: {brief(work)}"


def workload_section(
    con: Connection, work: Workload, limit: int = WORKLOAD_COST.limit or 0
) -> Section:
    """The `limit` cheapest models for `work` (ties by name); `total` counts every priced one.
    Without cached tokens the cached input column (all zeros) is left out."""
    cheapest = cheapest_costs(con, work, limit)
    columns = [
        c.key
        for c in WORKLOAD_COST.data()
        if work.cached_input_tokens or c.key != "cached_input_cost"
    ]
    rows = [tuple(r[c] for c in columns) for r in cheapest.rows]
    return Section(KEY, title(work), columns, rows, cheapest.total)
