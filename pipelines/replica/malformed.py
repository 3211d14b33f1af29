"""The `--bad-rows` fault: rows that break the spec the way real feeds break.

Each row breaks exactly one thing and is named after it, so a loader's quarantine and
data-quality tables can be checked row by row. All rows except the two without a usable id have
unique, valid uuids and are otherwise valid.
"""

from __future__ import annotations

import uuid

from pipelines.replica.catalogue import Model
from pipelines.replica.template import valid_model

MALFORMED_NAMESPACE = uuid.UUID("9b2e4d71-5c3a-4f0e-b8d6-7a1c2e3f4b55")


def _row(name: str, model_id: str | None = None) -> Model:
    return valid_model(
        model_id or str(uuid.uuid5(MALFORMED_NAMESPACE, name)),
        name,
        description="A row that breaks the spec on purpose.",
        created_at="2025-10-01T00:00:00Z",
        tags=["Test"],
        developer="Bad Rows Inc",
        short_description="Malformed on purpose",
        input_token_price="0.40",
        output_token_price="1.20",
    )


def _priced(name: str, input_price: object, output_price: object) -> Model:
    row = _row(name)
    row["metadata"]["input_token_price"] = input_price
    row["metadata"]["output_token_price"] = output_price
    return row


def malformed_rows() -> list[Model]:
    """The malformed rows, in a fixed order."""
    missing_id = _row("bad/missing-id")
    del missing_id["model_id"]

    null_id = _row("bad/null-id")
    null_id["model_id"] = None

    price_na = _priced("bad/price-na", "N/A", "1.20")

    tags_string = _row("bad/tags-string")
    tags_string["metadata"]["tags"] = "New"  # as once shown in the API's documentation

    negative_quota = _row("bad/negative-quota")
    negative_quota["chat_daily_quota_tier_1"] = -1000

    numeric_prices = _priced("bad/numeric-prices", 0.4, 1.2)

    status_deprecated = _row("bad/status-deprecated")
    status_deprecated["status"] = "deprecated"

    # USD per token instead of per million tokens: 0.40 / 1e6 and 1.20 / 1e6.
    per_token_prices = _priced("bad/per-token-prices", "0.0000004", "0.0000012")

    return [
        missing_id,
        null_id,
        _row("bad/not-a-uuid", model_id="not-a-uuid"),
        price_na,
        tags_string,
        negative_quota,
        numeric_prices,
        status_deprecated,
        per_token_prices,
    ]
