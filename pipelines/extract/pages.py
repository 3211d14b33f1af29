"""Recognise a response body: the documented paginated page, or the live endpoint's list.

Pure: a parsed JSON body in, a `Page` out, or an ApiError naming what was unexpected. The
rows are passed on as sent; each shape is read by its own transform (`flatten.py` for the
documented shape, `live_shape.py` for the live one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipelines.errors import ApiError, PaginationInconsistent
from pipelines.settings import DOCUMENTED_SHAPE, LIVE_SHAPE


@dataclass(frozen=True)
class Page:
    number: int
    rows: list[Any]
    total: int
    page_size: int
    total_pages: int
    has_next: bool
    shape: str = DOCUMENTED_SHAPE


def parse_page(body: Any, requested: int, shown_url: str) -> Page:
    """The page in `body`; the live OpenAI/vLLM-style list is one complete page of its own."""
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
        rows = body["data"]
        return Page(1, rows, len(rows), max(len(rows), 1), 1, False, shape=LIVE_SHAPE)
    keys = sorted(body)[:6] if isinstance(body, dict) else type(body).__name__
    raise ApiError(
        f"GET {shown_url}: unrecognised response shape (expected 'data' and 'pagination', "
        f"got {keys}); is --base-url the IO Intelligence API?"
    )
