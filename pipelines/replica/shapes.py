"""Alternative shapes of served rows: schema drift and the OpenAI-style model list."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pipelines.replica.catalogue import Model

TOKENS_PER_PRICE_UNIT = 1_000_000
"""The spec's prices are USD per million tokens; OpenAI-style clients see USD per token."""


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
    if not isinstance(price_per_million, str | int | float) or isinstance(price_per_million, bool):
        return None
    try:
        value = Decimal(str(price_per_million))
    except InvalidOperation:
        return None
    return float(value / TOKENS_PER_PRICE_UNIT) if value.is_finite() else None


def _epoch_seconds(timestamp: object) -> int | None:
    if not isinstance(timestamp, str):
        return None
    try:
        return int(datetime.fromisoformat(timestamp).timestamp())
    except ValueError:
        return None


def as_openai_model(model: Model) -> dict[str, Any]:
    """`model` as an entry of an OpenAI-style `GET /models` list."""
    metadata = model.get("metadata")
    details: dict[str, Any] = metadata if isinstance(metadata, dict) else {}
    return {
        "id": model.get("name"),
        "object": "model",
        "created": _epoch_seconds(model.get("created_at")),
        "owned_by": details.get("developer"),
        "input_token_price": _price_per_token(details.get("input_token_price")),
        "output_token_price": _price_per_token(details.get("output_token_price")),
    }


def openai_model_list(models: list[Model]) -> dict[str, Any]:
    """The whole catalogue as one OpenAI-style list (no pagination object)."""
    return {"object": "list", "data": [as_openai_model(model) for model in models]}
