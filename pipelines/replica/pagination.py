"""Page-number pagination as the API does it, plus the endless and repeating-page faults."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PageWindow:
    """Which rows (by position in the filtered catalogue) a page serves, and its metadata."""

    start: int
    stop: int
    total: int
    page: int
    page_size: int
    total_pages: int
    has_next: bool
    has_previous: bool

    def pagination(self) -> dict[str, Any]:
        """The spec's `PaginationResponse` object."""
        return {
            "total": self.total,
            "page": self.page,
            "page_size": self.page_size,
            "total_pages": self.total_pages,
            "has_next": self.has_next,
            "has_previous": self.has_previous,
        }


def page_window(
    total: int, page: int, page_size: int, *, endless: bool = False, repeat_page: bool = False
) -> PageWindow:
    """The window of `page` (1-based) over `total` rows.

    Pages past the end are empty with `has_next` false. With `endless`, `has_next` is always true
    and pages past the end serve the last page's rows again; with `repeat_page`, page 2 serves
    page 1's rows. Both leave the rest of the pagination object truthful.
    """
    total_pages = math.ceil(total / page_size)
    rows_page = page
    if repeat_page and page == 2:
        rows_page = 1
    if endless and total_pages > 0 and page > total_pages:
        rows_page = total_pages
    start = min((rows_page - 1) * page_size, total)
    stop = min(start + page_size, total)
    return PageWindow(
        start=start,
        stop=stop,
        total=total,
        page=page,
        page_size=page_size,
        total_pages=total_pages,
        has_next=endless or page < total_pages,
        has_previous=page > 1,
    )
