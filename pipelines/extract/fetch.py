"""Fetch every page of one pagination: page 1 first, then the rest concurrently, in order."""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any

from pipelines.extract.client import CatalogueClient
from pipelines.extract.pages import Page, parse_page


def fetch_page(client: CatalogueClient, number: int, page_size: int, q: str | None) -> Page:
    body = client.get_page(number, page_size, q)
    return parse_page(body, number, client.page_url(number, page_size, q))


class _Workers:
    """`count` daemon threads that run the calls given them, in order of submission.

    Not a ThreadPoolExecutor: its threads are joined when the interpreter exits, so a load
    stopped by a signal while a request hangs would wait for that request (up to its timeout)
    before it could exit. These are left behind instead; the client they call is closed, so
    any retry gives up (CatalogueClient.close)."""

    def __init__(self, count: int, name: str) -> None:
        self._calls: queue.SimpleQueue[tuple[Future[Page], Callable[[], Page]] | None]
        self._calls = queue.SimpleQueue()
        self._count = count
        for number in range(count):
            threading.Thread(target=self._run, name=f"{name}_{number}", daemon=True).start()

    def submit(self, call: Callable[[], Page]) -> Future[Page]:
        future: Future[Page] = Future()
        self._calls.put((future, call))
        return future

    def stop(self) -> None:
        """Each thread ends after its current call; calls not started are dropped."""
        for _ in range(self._count):
            self._calls.put(None)

    def _run(self) -> None:
        while (item := self._calls.get()) is not None:
            future, call = item
            if not future.set_running_or_notify_cancel():
                continue  # cancelled while it waited
            try:
                future.set_result(call())
            except BaseException as exc:  # the reader raises it where it reads the page
                future.set_exception(exc)


class Pagination:
    """The pages of one pagination, in page order, read by `workers` threads from the moment
    it is made: a load starts one before it imports most of dlt and reads its history, so the
    first pages are in when it is ready for them.

    Page 1 comes first; once it tells `total_pages`, the other pages are independent requests,
    at most `ahead` of them submitted ahead of the reader, so memory holds a few pages (about
    0.4 MB each when parsed), never the catalogue. Iterate it once; `close()` stops it.
    """

    def __init__(
        self,
        client: CatalogueClient,
        page_size: int,
        q: str | None,
        workers: int,
        *,
        ahead: int | None = None,
    ) -> None:
        self._client, self._page_size, self._q = client, page_size, q
        # many pages ahead while nobody reads (the set-up), a few once the reader is there: a
        # reader slower than the API would otherwise hold `ahead` parsed pages all along
        self._reading_ahead = max(2 * workers, 2)
        self._ahead = max(self._reading_ahead, ahead or 0)
        self._pool = _Workers(workers, "page")
        self._lock = threading.Lock()
        self._pending: deque[Future[Page]] = deque()
        self._next_page = 2
        self._last_page: int | None = None  # known once page 1 is in
        self._closed = False
        self._first = self._request(1)
        self._first.add_done_callback(self._on_first)

    def __enter__(self) -> Pagination:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[Page]:
        first = self._first.result()  # raises page 1's error, as any page's
        self._plan(first.total_pages)
        with self._lock:
            self._ahead = self._reading_ahead
        yield first
        while True:
            with self._lock:
                if not self._pending:
                    return
                future = self._pending.popleft()
                self._submit()
            yield future.result()

    def close(self) -> None:
        """Cancel the pages not yet requested; a request in flight is not waited for."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for future in self._pending:
                future.cancel()
            self._pending.clear()
        self._first.cancel()
        self._pool.stop()

    def _on_first(self, first: Future[Page]) -> None:
        # in a worker thread, as soon as page 1 is in (the reader may not be there yet)
        if not first.cancelled() and first.exception() is None:
            self._plan(first.result().total_pages)

    def _plan(self, last_page: int) -> None:
        with self._lock:
            if self._last_page is None:
                self._last_page = last_page
                self._submit()

    def _submit(self) -> None:
        """Top the requests ahead up to `ahead` (the caller holds the lock)."""
        last = self._last_page or 0
        while not self._closed and self._next_page <= last and len(self._pending) < self._ahead:
            self._pending.append(self._request(self._next_page))
            self._next_page += 1

    def _request(self, number: int) -> Future[Page]:
        return self._pool.submit(
            partial(fetch_page, self._client, number, self._page_size, self._q)
        )


def iter_pages(
    client: CatalogueClient, page_size: int, q: str | None, workers: int
) -> Iterator[Page]:
    """Yield the pages of one pagination in page order."""
    with Pagination(client, page_size, q, workers) as pages:
        yield from pages


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
