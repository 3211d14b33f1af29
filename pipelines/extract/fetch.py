"""Fetch every page of one pagination: page 1 first, then the rest concurrently, in order.

Once page 1 tells `total_pages`, the remaining pages are independent requests. A bounded
window of them is in flight at a time, so memory holds a few pages, never the catalogue.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from pipelines.extract.client import CatalogueClient
from pipelines.extract.pages import Page, parse_page


def fetch_page(client: CatalogueClient, number: int, page_size: int, q: str | None) -> Page:
    body = client.get_page(number, page_size, q)
    return parse_page(body, number, client.page_url(number, page_size, q))


def iter_pages(
    client: CatalogueClient, page_size: int, q: str | None, workers: int
) -> Iterator[Page]:
    """Yield the pages of one pagination in page order."""
    first = fetch_page(client, 1, page_size, q)
    yield first
    last = first.total_pages
    if last <= 1:
        return
    window = max(2 * workers, 2)
    pending: deque[Future[Page]] = deque()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="page") as pool:
        next_page = 2
        try:
            while next_page <= last or pending:
                while next_page <= last and len(pending) < window:
                    pending.append(pool.submit(fetch_page, client, next_page, page_size, q))
                    next_page += 1
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


def rows_named(
    client: CatalogueClient, names: list[str], page_size: int, workers: int
) -> dict[str, list[Any]]:
    """The raw rows that a search by name (`q`) returns, for each of `names`.

    Page-number pagination can miss a row that moved across a page boundary while we read
    (one model deleted, another added: the total stays the same), so the run confirms an
    absence with a search before it retires a model. Cheap: absences are few.
    """

    def search(name: str) -> list[Any]:
        return [row for page in iter_pages(client, page_size, name, 1) for row in page.rows]

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="confirm") as pool:
        return dict(zip(names, pool.map(search, names), strict=True))
