"""The figures every report shows, read from the analytics views (no dlt, read-only).

Which columns each section reads, and how they are headed and written, is declared once in
`pipelines.present.report_columns`; number formats are `pipelines.transform.numbers`'.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipelines.present.connect import Connection
from pipelines.present.query import run_query
from pipelines.present.ranked import TOTAL, top_rows
from pipelines.present.report_columns import VIEW_SECTIONS

__all__ = ["Section", "headline", "sections", "short_name"]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    columns: list[str]
    rows: list[tuple[Any, ...]]
    total: int | None = None  # rows in the view when `rows` is a limited selection

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


# one scan of analytics.models (each scan recomputes the view: ~0.07 s at 50,000 models)
HEADLINE_SQL = """
select
    count(*) as models,
    count(*) filter (where is_active) as active_models,
    count(distinct coalesce(developer, '(unknown)')) as developers,
    (select max(finished_at) from analytics.load_runs where outcome = 'ok') as last_load_at,
    (select base_url from analytics.load_runs where outcome = 'ok'
        order by finished_at desc limit 1) as source_url
from analytics.models
"""


def headline(con: Connection) -> dict[str, Any]:
    columns, rows = run_query(con, HEADLINE_SQL)
    return dict(zip(columns, rows[0], strict=True))


def sections(con: Connection, keys: tuple[str, ...] | None = None) -> list[Section]:
    """The views' sections (those of `keys`, by default all); a top-N one is limited in SQL
    and counts the view's rows in the same query."""
    out = []
    for spec in VIEW_SECTIONS:
        if keys is not None and spec.key not in keys:
            continue
        source = f"from {spec.source()} order by {spec.order}"
        if spec.limit is None:
            names, rows = run_query(con, f"select {spec.select()} {source}")
            out.append(Section(spec.key, spec.title, names, rows))
            continue
        sql = f"select {spec.select()}, count(*) over () as {TOTAL} {source} limit {spec.limit}"
        names, rows, total = top_rows(con, sql)
        out.append(Section(spec.key, spec.title, names, rows, total))
    return out


def short_name(name: str) -> str:
    """The model name without its organisation prefix: meta-llama/Llama-3.3 → Llama-3.3."""
    return name.split("/", 1)[1] if "/" in name.strip("/") else name
