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
