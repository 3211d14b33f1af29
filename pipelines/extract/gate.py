"""The completeness gate: the pages of one pagination must agree with each other.

Page-number pagination over a catalogue that changes while we read it shifts rows between
pages: a row is then seen twice or not at all, and `pagination.total` moves. Any such sign
raises PaginationInconsistent, and the caller paginates again from page 1.
"""

from __future__ import annotations

from pipelines.errors import PaginationInconsistent
from pipelines.extract.pages import Page


class CompletenessGate:
    def __init__(self) -> None:
        self.total: int | None = None
        self.total_pages = 0
        self.page_size = 0
        self.rows_seen = 0
        self.pages_seen = 0
        self._ids: set[str] = set()

    def check_page(self, page: Page) -> None:
        """Called for every page, in page order, before its rows are used."""
        if self.total is None:
            self.total, self.total_pages, self.page_size = (
                page.total,
                page.total_pages,
                page.page_size,
            )
            expected_pages = -(-page.total // page.page_size) if page.page_size else 0
            if page.total_pages != expected_pages and not (
                page.total == 0 and page.total_pages == 1
            ):
                raise PaginationInconsistent(
                    f"pagination says {page.total_pages} pages for {page.total} rows of "
                    f"{page.page_size}; expected {expected_pages}"
                )
        elif page.total != self.total:
            raise PaginationInconsistent(
                f"the catalogue changed during pagination: total was {self.total} on page 1 "
                f"and {page.total} on page {page.number}"
            )
        is_last = page.number >= self.total_pages
        expected_rows = (
            self.total - self.page_size * (page.number - 1) if is_last else self.page_size
        )
        if len(page.rows) != max(expected_rows, 0):
            raise PaginationInconsistent(
                f"page {page.number} has {len(page.rows)} rows; expected {expected_rows}"
            )
        if is_last and page.has_next:
            raise PaginationInconsistent(
                f"the API says there are more pages after the last one ({self.total_pages})"
            )
        self.rows_seen += len(page.rows)
        self.pages_seen += 1

    def check_id(self, model_id: str, page: int) -> None:
        if model_id in self._ids:
            raise PaginationInconsistent(
                f"model {model_id} was seen twice (again on page {page}): rows shifted "
                "between pages or a page repeated"
            )
        self._ids.add(model_id)

    @property
    def seen_ids(self) -> set[str]:
        return self._ids

    def finish(self) -> None:
        if self.total is None or self.rows_seen != self.total:
            raise PaginationInconsistent(
                f"saw {self.rows_seen} rows but pagination.total is {self.total}"
            )
