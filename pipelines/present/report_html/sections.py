"""The sections of the HTML report: charts, their captions and the tables under them."""

from __future__ import annotations

from typing import Any

from pipelines.present.ranked import Top
from pipelines.present.report_columns import (
    CATALOG_CHANGES,
    CHEAPEST_MODELS,
    MODEL_SPEED,
    PRICE_CHANGES,
    PRICING_SUMMARY,
    QUOTA_BY_CAPABILITY,
    QUOTA_SUMMARY,
    WORKLOAD_COST,
    Column,
    time_text,
)
from pipelines.present.report_html import page
from pipelines.present.report_html.charts import blended_ranking, price_scatter
from pipelines.present.report_html.cost_chart import cost_ranking
from pipelines.present.report_html.data import PriceHistory, Pricing
from pipelines.present.report_html.history import history_panel
from pipelines.present.report_html.limits import (
    DEVELOPER_ROWS,
    SCATTER_POINTS,
    TABLE_ROWS,
    more,
)
from pipelines.present.report_html.quota import UNITS, quota_panel
from pipelines.present.report_html.speed import speed_scatter
from pipelines.present.report_html.svg import TIMES, esc
from pipelines.transform import numbers

CATALOG_ROWS = TABLE_ROWS  # catalogue changes listed in the page, newest first
NAMED_LEFT_OUT = 10  # unplotted models named in the note; beyond, only counted

QUOTA_TABLE = QUOTA_SUMMARY.html()
CAPABILITY_TABLE = QUOTA_BY_CAPABILITY.html()
PRICING_TABLE = PRICING_SUMMARY.html()
MODELS_TABLE = CHEAPEST_MODELS.html()
COST_TABLE = WORKLOAD_COST.html()
SPEED_TABLE = MODEL_SPEED.html()
CHANGES_TABLE = PRICE_CHANGES.html()
CATALOG_TABLE = CATALOG_CHANGES.html()


def _limited_table(
    columns: list[Column],
    rows: list[dict[str, Any]],
    caption: str,
    limit: int,
    which: str,
    view: str,
    total: int | None = None,
) -> str:
    """A table of the first `limit` rows (of `total`, by default all given); the caption says
    how many there are and where."""
    total = len(rows) if total is None else total
    shown = rows[:limit]
    if total > len(shown):
        caption += f" ({which} {len(shown):,} of {total:,}; all in analytics.{view})"
    return page.table(columns, shown, caption)


def _by_size(rows: list[dict[str, Any]], column: str) -> list[dict[str, Any]]:
    """Developers with the most models first (ties by name): the top of a long list."""
    return sorted(rows, key=lambda r: (-int(r[column] or 0), str(r["developer"])))


def prices(pricing: Pricing, summary: list[dict[str, Any]], colours: Any) -> str:
    priced = pricing.cheapest.total
    if not priced:
        return page.empty("No priced models yet: none is active with an input and an output price.")
    scatter = pricing.scatter
    note = "Hover a point for the model and its prices. Both axes are logarithmic."
    if scatter is not None and scatter.points > SCATTER_POINTS:
        note = (
            f"{scatter.models:,} models, too many to draw one by one: each circle stands for the "
            "models in its area, its size for how many (hover it for the count, the developers "
            "and the cheapest). Both axes are logarithmic."
        )
    left_out = pricing.unplotted
    if left_out.total:
        named = ", ".join(str(r["name"]) for r in left_out.rows[:NAMED_LEFT_OUT])
        if left_out.total > NAMED_LEFT_OUT:
            named += f" and {left_out.total - NAMED_LEFT_OUT:,} more"
        note += f" Not shown (a zero price has no logarithm): {named}."
    chart = (
        price_scatter(scatter, colours, pricing.models, pricing.cells)
        if scatter is not None
        else page.empty("No model has both prices above zero.")
    )
    rows = pricing.cheapest.rows
    assert pricing.last is not None  # there are priced models
    return (
        page.figure("Input vs output price per model", chart, note)
        + page.figure(
            "Blended price ranking",
            blended_ranking(rows, priced, pricing.last, colours),
            f"Blended price = (3 {TIMES} input + output) / 4, the usual chat mix; "
            "ties share a rank.",
        )
        + _limited_table(
            PRICING_TABLE,
            _by_size(summary, "priced_models") if len(summary) > DEVELOPER_ROWS else summary,
            "Prices by developer, USD per million tokens",
            DEVELOPER_ROWS,
            "the largest",
            "pricing_summary",
        )
        + "<details><summary>Every priced model</summary>"
        + _limited_table(
            MODELS_TABLE,
            rows,
            "Priced models, USD per million tokens",
            TABLE_ROWS,
            "the cheapest",
            "model_pricing",
            priced,
        )
        + "</details>"
    )


def cost(records: list[dict[str, Any]], workload: str, top: int, total: int | None = None) -> str:
    """The cheapest `top` models for the workload: a stacked bar chart and their table.
    `records` are the cheapest first, of `total` priced models (by default, all of them)."""
    total = len(records) if total is None else total
    if not total:
        return page.empty("No priced models yet: none is active with an input and an output price.")
    shown = records[:top]
    columns = [
        c for c in COST_TABLE if c.key != "cached_input_cost" or any(r[c.key] for r in shown)
    ]
    median = numbers.usd(shown[0]["median_cost"])
    return (
        f'<p class="lead">What {esc(workload)} costs on each model, in USD, exact; cached input '
        "tokens at the cache-read price where a model has one, else the input price. "
        f"<code>iomodels cost</code> prices any workload, now or as of a time.</p>"
        + page.figure(
            f"The {len(shown)} cheapest of {total} priced models",
            cost_ranking(shown, workload, total),
            f"Hover a bar for its parts. Median model's total: {median} USD; equal totals "
            "share a rank.",
        )
        + page.table(columns, shown, f"Cheapest models for {workload}, USD")
    )


def speed(table_rows: Top, plotted: list[dict[str, Any]], colours: Any) -> str:
    """Price against latency: which cheap models are fast (the live shape's daily figures).
    `table_rows`: the fastest models; `plotted`: the fastest with a blended price and a latency."""
    if not table_rows.total:
        return page.empty(
            "No performance figures: the live endpoint publishes a daily average latency and "
            "throughput per model; the documented shape does not."
        )
    chart = (
        speed_scatter(plotted, colours)
        if plotted
        else page.empty("No model has both a blended price and a latency.")
    )
    note = (
        "Lower left: cheap and fast. Hover a point for the model and its figures; the price "
        "axis is logarithmic. Latency and throughput are the day's averages."
    )
    caption = "Daily performance of the models in the catalogue now, fastest first"
    if table_rows.left_out:
        caption += (
            f" ({more(table_rows.left_out, 'models')}; the chart shows the {SCATTER_POINTS} "
            "fastest)"
        )
    return page.figure("Blended price vs latency per model", chart, note) + page.table(
        SPEED_TABLE, table_rows.rows, caption
    )


def quotas(by_dev: list[dict[str, Any]], by_cap: list[dict[str, Any]], colours: Any) -> str:
    panels = []
    for unit in UNITS:
        width = 1120 if unit == "tokens" else 540
        svg = quota_panel(unit, by_cap, by_dev, colours, width)
        title = f"Daily quota in {unit}"
        unknown = all(c["total_daily_quota"] is None for c in by_cap if c["unit"] == unit)
        none = (
            f"Unknown: the response shape of the load publishes no daily quotas in {unit}."
            if unknown
            else f"No active model has a daily quota in {unit}."
        )
        panels.append(
            f'<div class="panel"><h4>{esc(title)}</h4>' + (svg or page.empty(none)) + "</div>"
        )
    return (
        '<p class="lead">Summed daily quotas (tier 1) of active models, per capability, '
        "split by developer; one panel per unit.</p>"
        + panels[0]
        + '<div class="grid">'
        + "".join(panels[1:])
        + "</div>"
        + _limited_table(
            QUOTA_TABLE,
            _by_size(by_dev, "models") if len(by_dev) > DEVELOPER_ROWS else by_dev,
            "Daily quotas of active models, by developer",
            DEVELOPER_ROWS,
            "the largest",
            "quota_summary",
        )
        + page.table(
            CAPABILITY_TABLE, by_cap, "Daily quotas by capability (active models with a quota)"
        )
    )


def history(data: PriceHistory, end: Any) -> str:
    changes = data.changes
    if not changes.total:
        return page.empty(
            "No price changes yet: they show here once a later load sees a new price."
        )
    models: dict[str, list[dict[str, Any]]] = {}
    for v in data.versions:
        models.setdefault(str(v["model_id"]), []).append(v)
    width = 540 if data.repriced.total <= 2 else 360
    # the most recently re-priced models (changes come newest first)
    drawn = [models[m] for m in (str(r["model_id"]) for r in data.repriced.rows) if m in models]
    undrawn = data.repriced.total - len(drawn)
    panels = []
    for i, versions in enumerate(drawn):
        name = str(versions[-1]["name"])
        model_id = versions[-1]["model_id"]
        seen = [c for c in data.seen if c["model_id"] == model_id]
        notes = "; ".join(
            f"{c['price']} {numbers.price(c['old_price'])} → {numbers.price(c['new_price'])} "
            f"({numbers.percent(c['relative_change'], signed=True)}) "
            f"at {time_text(c['observed_at'])}"
            for c in seen
        )
        panels.append(
            f'<div class="panel"><h4>{esc(name)}</h4><p class="note">{esc(notes)}</p>'
            + history_panel(f"history-{i}", name, versions, end, width)
            + "</div>"
        )
    if not panels:
        panels.append(page.empty("No input or output price has changed yet."))
    lead = (
        "Input and output price of every model whose price changed, across its recorded "
        "versions up to the last load (USD per million tokens, times in UTC)."
    )
    if undrawn:
        lead = (
            f"Input and output price of the {len(drawn)} most recently re-priced models (and "
            f"{undrawn:,} more in the table), across their recorded versions up to the last "
            "load (USD per million tokens, times in UTC)."
        )
    return (
        f'<p class="lead">{esc(lead)}</p>'
        + f'<div class="grid">{"".join(panels)}</div>'
        + _limited_table(
            CHANGES_TABLE,
            changes.rows,
            "Every observed price change, USD per million tokens",
            TABLE_ROWS,
            "the latest",
            "price_changes",
            changes.total,
        )
    )


def catalogue(catalog: Top) -> str:
    if not catalog.total:
        return page.empty("No catalogue changes yet.")
    caption = f"Catalogue changes, newest first ({len(catalog.rows):,} of {catalog.total:,})"
    return page.table(CATALOG_TABLE, catalog.rows, caption)
