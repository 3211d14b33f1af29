"""Recognise a response body: the spec's paginated page, or an OpenAI-style model list.

Pure: a parsed JSON body in, a `Page` out, or an ApiError naming what was unexpected.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pipelines.errors import ApiError, PaginationInconsistent

PAGINATED = "paginated"
OPENAI_LIST = "openai_list"
# model_ids for OpenAI-style rows, derived from the name so they are stable across loads
OPENAI_ID_NAMESPACE = uuid.UUID("8f4b7c1e-4d0a-5b7e-9a51-10c0a1f0e001")


@dataclass(frozen=True)
class Page:
    number: int
    rows: list[Any]
    total: int
    page_size: int
    total_pages: int
    has_next: bool
    shape: str = PAGINATED


def parse_page(body: Any, requested: int, shown_url: str) -> Page:
    """The page in `body`; an OpenAI-style list becomes one complete page of mapped rows."""
    if isinstance(body, dict) and isinstance(body.get("pagination"), dict):
        data, pagination = body.get("data"), body["pagination"]
        fields = ("total", "page", "page_size", "total_pages")
        if not isinstance(data, list) or not all(
            isinstance(pagination.get(k), int) for k in fields
        ):
            raise ApiError(f"GET {shown_url}: the pagination object is malformed: {pagination}")
        if pagination["page"] != requested:  # a repeating page: the gate's business
            raise PaginationInconsistent(
                f"asked for page {requested}, got page {pagination['page']}"
            )
        return Page(
            number=requested,
            rows=data,
            total=pagination["total"],
            page_size=pagination["page_size"],
            total_pages=pagination["total_pages"],
            has_next=bool(pagination.get("has_next")),
        )
    if (
        isinstance(body, dict)
        and body.get("object") == "list"
        and isinstance(body.get("data"), list)
    ):
        rows = [openai_row_to_model(item) for item in body["data"]]
        return Page(1, rows, len(rows), max(len(rows), 1), 1, False, shape=OPENAI_LIST)
    keys = sorted(body)[:6] if isinstance(body, dict) else type(body).__name__
    raise ApiError(
        f"GET {shown_url}: unrecognised response shape (expected 'data' and 'pagination', "
        f"got {keys}); is --base-url the IO Intelligence API?"
    )


def openai_row_to_model(item: Any) -> Any:
    """Map an OpenAI-style entry ({"id": name, "owned_by": ...}) onto the spec's ModelData.

    Fields the list does not carry stay absent, so the data-quality table shows them missing.
    Rows without a text id are passed through unchanged and end in quarantine.
    """
    if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
        return item
    name = item["id"]
    known = {"id", "object", "created", "owned_by"}
    metadata: dict[str, Any] = {k: v for k, v in item.items() if k not in known}
    if "owned_by" in item:
        metadata["developer"] = item["owned_by"]
    model: dict[str, Any] = {
        "model_id": str(uuid.uuid5(OPENAI_ID_NAMESPACE, name)),
        "name": name,
        "status": "active",  # listed by an OpenAI-style endpoint means it can be called
        "metadata": metadata,
    }
    if isinstance(item.get("created"), int):
        created = datetime.fromtimestamp(item["created"], UTC).isoformat()
        model["created_at"] = model["updated_at"] = created
    return model
