"""Alternative shapes of served rows: schema drift and the live endpoint's model list."""

from __future__ import annotations

import hashlib
import time
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pipelines.replica.catalogue import Model
from pipelines.transform.units import per_token_float

SERVING_STACK = "vllm"
"""What the live list's `owned_by` says for every model: the serving stack, not the maker."""


def with_drift(model: Model) -> Model:
    """A copy of `model` with fields the spec does not list, as a newer API version might add.

    The spec allows them (`ModelMetadata.additionalProperties: true`; `ModelData` does not
    forbid them), so a client must keep them rather than fail.
    """
    metadata = model.get("metadata")
    drifted_metadata = dict(metadata) if isinstance(metadata, dict) else {}
    drifted_metadata["modalities"] = ["text"]
    drifted_metadata["max_output_tokens"] = 8192
    return {**model, "region": "eu-west", "metadata": drifted_metadata}


def _price_per_token(price_per_million: object) -> float | None:
    """USD per million (text) → USD per token as the live endpoint sends it: a float, with
    the noise a float has (0.95 → 9.499999999999999e-07)."""
    if not isinstance(price_per_million, str | int | float) or isinstance(price_per_million, bool):
        return None
    try:
        value = Decimal(str(price_per_million))
    except InvalidOperation:
        return None
    return per_token_float(value) if value.is_finite() else None


def _epoch_seconds(timestamp: object) -> int | None:
    if not isinstance(timestamp, str):
        return None
    try:
        return int(datetime.fromisoformat(timestamp).timestamp())
    except ValueError:
        return None


def _draw(name: str, salt: str) -> float:
    """A number in [0, 1) fixed by the model name and `salt`."""
    digest = hashlib.sha256(f"{name}|{salt}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def performance(name: str, perf_seed: int | None, day: date) -> dict[str, float]:
    """Daily average latency (ms) and throughput (tokens/s): they move with the day and the seed."""
    salt = f"{day.isoformat()}|{perf_seed}"
    return {
        "avg_latency_ms_per_day": round(150 + 2850 * _draw(name, "latency|" + salt), 2),
        "avg_throughput_per_day": round(8 + 140 * _draw(name, "throughput|" + salt), 2),
    }


def as_live_model(model: Model, perf_seed: int | None, day: date) -> dict[str, Any]:
    """`model` as an entry of the live endpoint's OpenAI/vLLM-style list."""
    metadata = model.get("metadata")
    details: dict[str, Any] = metadata if isinstance(metadata, dict) else {}
    name = model.get("name")
    created = _epoch_seconds(model.get("created_at"))
    cache = details.get("supports_prompt_cache") is True
    prices = {
        field: _price_per_token(details.get(field))
        for field in (
            "input_token_price",
            "output_token_price",
            "cache_write_token_price",
            "cache_read_token_price",
        )
    }
    if not cache:  # the live list says 0 where a model offers no prompt cache
        prices["cache_write_token_price"] = prices["cache_read_token_price"] = 0.0
    key = str(name)
    entry: dict[str, Any] = {
        "id": name,
        "object": "model",
        "created": created,
        "owned_by": SERVING_STACK,
        "root": name,
        "parent": None,
        "max_model_len": details.get("context_window"),
        "permission": [
            {
                # vLLM's server makes these anew for every response
                "id": f"modelperm-{uuid.uuid4().hex}",
                "object": "model_permission",
                "created": int(time.time()),
                "allow_create_engine": False,
                "allow_sampling": True,
                "allow_logprobs": True,
                "allow_search_indices": False,
                "allow_view": True,
                "allow_fine_tuning": False,
                "organization": "*",
                "group": None,
                "is_blocking": False,
            }
        ],
        "max_tokens": details.get("max_tokens"),
        "context_window": details.get("context_window"),
        "supports_images_input": details.get("supports_images_input"),
        "supports_prompt_cache": details.get("supports_prompt_cache"),
        **prices,
        "precision": details.get("precision"),
        **performance(key, perf_seed, day),
        "supports_attestation": _draw(key, "attestation") < 0.5,
    }
    return entry


def is_listed_live(model: Model) -> bool:
    """The live list shows the models one can call: active ones."""
    return model.get("status") == "active"


def live_model_list(models: list[Model], perf_seed: int | None) -> dict[str, Any]:
    """The whole catalogue as the live endpoint lists it (no pagination object)."""
    day = datetime.now(UTC).date()
    listed = [as_live_model(model, perf_seed, day) for model in models if is_listed_live(model)]
    return {"object": "list", "data": listed}
