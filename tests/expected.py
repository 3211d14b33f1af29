"""Figures computed straight from a catalogue's JSON, independently of the pipeline's code.

The end-to-end tests compare the views with these, so a view that sums, filters or ranks
wrongly fails even when it returns the right number of rows.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from decimal import Decimal
from typing import Any

QUOTAS = {
    "chat_daily_quota": "chat_daily_quota_tier_1",
    "api_completions_daily_quota": "api_completions_daily_quota_tier_1",
    "embeddings_daily_quota": "embeddings_daily_quota_tier_1",
    "audio_transcriptions_daily_seconds": "audio_transcriptions_daily_quota_tier_1",
    "audio_speech_daily_characters": "audio_speech_daily_quota_tier_1",
}


def developer(model: dict[str, Any]) -> str:
    return model["metadata"].get("developer") or "(unknown)"


def price(model: dict[str, Any], field: str) -> Decimal | None:
    value = model["metadata"].get(field)
    return Decimal(value) if value is not None else None


def quota_summary(models: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for m in models:
        row = out[developer(m)]
        row["models"] += 1
        if m["status"] == "active":
            row["active_models"] += 1
            for column, field in QUOTAS.items():
                row[column] += m[field]
        else:
            for column in QUOTAS:
                row[column] += 0
    return {k: dict(v) for k, v in out.items()}


def priced(models: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Active models with an input and an output price, with their blended price."""
    out = []
    for m in models:
        inp, outp = price(m, "input_token_price"), price(m, "output_token_price")
        if m["status"] == "active" and inp is not None and outp is not None:
            out.append(
                {
                    "name": m["name"],
                    "developer": developer(m),
                    "input": inp,
                    "output": outp,
                    "blended": (3 * inp + outp) / 4,
                }
            )
    return out


def pricing_summary(models: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    by_dev: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in priced(models):
        by_dev[p["developer"]].append(p)
    out = {}
    for dev, ps in by_dev.items():
        inputs = [p["input"] for p in ps]
        outputs = [p["output"] for p in ps]
        cheapest = min(ps, key=lambda p: (p["blended"], p["name"]))
        out[dev] = {
            "priced_models": len(ps),
            "min_input_price": min(inputs),
            "median_input_price": statistics.median(inputs),
            "max_input_price": max(inputs),
            "min_output_price": min(outputs),
            "median_output_price": statistics.median(outputs),
            "max_output_price": max(outputs),
            "cheapest_model": cheapest["name"],
        }
    return out


CAPABILITIES = {
    "chat": ("chat_daily_quota_tier_1", "tokens"),
    "api_completions": ("api_completions_daily_quota_tier_1", "tokens"),
    "embeddings": ("embeddings_daily_quota_tier_1", "tokens"),
    "audio_transcriptions": ("audio_transcriptions_daily_quota_tier_1", "seconds"),
    "audio_speech": ("audio_speech_daily_quota_tier_1", "characters"),
}


def quota_by_capability(models: list[dict[str, Any]]) -> dict[str, tuple[int, int, int, str]]:
    """capability → (models, total, largest, unit) over active models with quota > 0."""
    out = {}
    for capability, (field, unit) in CAPABILITIES.items():
        quotas = [m[field] for m in models if m["status"] == "active" and m[field] > 0]
        out[capability] = (len(quotas), sum(quotas), max(quotas, default=0), unit)
    return out


def workload_cost(
    models: list[dict[str, Any]], input_tokens: int, output_tokens: int, cached: int = 0
) -> list[dict[str, Any]]:
    """Every active model with an input and an output price and what the workload costs on it
    (USD, exact), cheapest first (ties by name, then model_id), with the rank (equal totals
    share one) and the median of all totals. Cached tokens are part of the input tokens and
    cost the cache-read price where there is one."""
    rows = []
    for m in models:
        inp, outp = price(m, "input_token_price"), price(m, "output_token_price")
        if m["status"] != "active" or inp is None or outp is None:
            continue
        cache_read = price(m, "cache_read_token_price")
        cached_price = cache_read if cache_read is not None else inp
        parts = {
            "input_cost": ((input_tokens - cached) * inp).scaleb(-6),
            "cached_input_cost": (cached * cached_price).scaleb(-6),
            "output_cost": (output_tokens * outp).scaleb(-6),
        }
        rows.append(
            {"model_id": m["model_id"], "name": m["name"], "developer": developer(m), **parts}
            | {"total_cost": sum(parts.values(), Decimal(0))}
        )
    rows.sort(key=lambda r: (r["total_cost"], r["name"], r["model_id"]))
    totals = [r["total_cost"] for r in rows]
    median = statistics.median(totals) if totals else None
    for r in rows:
        r["rank"] = 1 + sum(1 for t in totals if t < r["total_cost"])
        r["median_cost"] = median
        r["saving_vs_median"] = median - r["total_cost"] if median is not None else None
    return rows
