"""A page's rows, each read by its shape's own transform, and the performance rows they make."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from pipelines.extract.pages import Page
from pipelines.settings import LIVE_SHAPE
from pipelines.transform.developers import live_developer, serving_stack_owners
from pipelines.transform.flatten import FlatModel, flatten_model
from pipelines.transform.history import Prior
from pipelines.transform.live_shape import flatten_live, live_model_id, live_name, quarantine_reason


def flattened(page: Page, prior: Prior) -> Iterator[tuple[Any, FlatModel, bool]]:
    """(row as sent, flat model, whether its developer was derived from the id)."""
    if page.shape != LIVE_SHAPE:
        for raw in page.rows:
            yield raw, flatten_model(raw), False
        return
    # The live list has no model_id: a known name keeps its recorded id, so a switch
    # between the two shapes is not read as every model replaced.
    ids_by_name = {v.name: m for m, v in prior.versions.items() if v.name}
    stacks = serving_stack_owners(page.rows)
    for item in page.rows:
        name = live_name(item)
        if name is None:
            yield item, FlatModel(row=None, quarantine_reason=quarantine_reason(item)), False
            continue
        developer, derived = live_developer(item, stacks)
        model_id = ids_by_name.get(name) or live_model_id(name)
        yield item, flatten_live(item, model_id, developer), derived


def performance_rows(
    row: dict[str, Any],
    figures: dict[str, float | None],
    prior: Prior,
    observed_at: datetime,
    run_id: str,
) -> list[dict[str, Any]]:
    """A model_performance row when the model's figures for the day are new or moved since
    its last one: the figures change daily and never make a version."""
    day = observed_at.date()
    latency, throughput = figures["avg_latency_ms_per_day"], figures["avg_throughput_per_day"]
    if prior.performance.get(row["model_id"]) == (day, latency, throughput):
        return []
    return [
        {
            "model_id": row["model_id"],
            "name": row["name"],
            "day": day,
            "avg_latency_ms_per_day": latency,
            "avg_throughput_per_day": throughput,
            "observed_at": observed_at,
            "run_id": run_id,
        }
    ]
