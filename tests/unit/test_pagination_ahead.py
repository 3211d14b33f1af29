"""A pagination reads ahead from the moment it is made (a load starts one before its set-up),
in page order, never more than `ahead` pages beyond its reader, and stops when closed."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from pipelines.errors import ApiError
from pipelines.extract.fetch import Pagination
from pipelines.replica.pagination import page_window

MODELS = [{"id": f"model-{i:03d}"} for i in range(95)]  # 10 pages of 10


class RecordingClient:
    """Serves MODELS as the API pages them, and records which pages were asked for."""

    def __init__(self, *, fail_page: int | None = None) -> None:
        self.asked: list[int] = []
        self.fail_page = fail_page
        self._lock = threading.Lock()
        self.asked_for = threading.Condition(self._lock)

    def page_url(self, page: int, page_size: int, q: str | None) -> str:
        return f"memory://models?page={page}"

    def get_page(self, page: int, page_size: int, q: str | None = None) -> Any:
        with self.asked_for:
            self.asked.append(page)
            self.asked_for.notify_all()
        if page == self.fail_page:
            raise ApiError(f"GET page {page}: HTTP 500")
        window = page_window(len(MODELS), page, page_size)
        return {"data": MODELS[window.start : window.stop], "pagination": window.pagination()}

    def wait_for(self, count: int) -> list[int]:
        with self.asked_for:
            assert self.asked_for.wait_for(lambda: len(self.asked) >= count, timeout=10)
            return sorted(self.asked)


def test_pages_are_read_before_anyone_iterates() -> None:
    client = RecordingClient()
    with Pagination(client, 10, None, workers=2, ahead=6) as pages:  # type: ignore[arg-type]
        # page 1, then the `ahead` pages after it, with nobody reading yet
        assert client.wait_for(7) == [1, 2, 3, 4, 5, 6, 7]
        read = list(pages)
    assert [p.number for p in read] == list(range(1, 11))
    assert [row["id"] for p in read for row in p.rows] == [m["id"] for m in MODELS]
    assert sorted(client.asked) == list(range(1, 11))  # each page once


def test_reading_ahead_stops_at_its_window() -> None:
    client = RecordingClient()
    with Pagination(client, 10, None, workers=2, ahead=4) as pages:  # type: ignore[arg-type]
        assert client.wait_for(5) == [1, 2, 3, 4, 5]  # page 1 and 4 ahead
        reader = iter(pages)
        assert [next(reader).number, next(reader).number] == [1, 2]
        assert client.wait_for(6) == [1, 2, 3, 4, 5, 6]  # page 2 read: one more asked for
    assert sorted(client.asked) == [1, 2, 3, 4, 5, 6]  # closed: nothing more


def test_a_failed_page_is_raised_where_it_is_read() -> None:
    client = RecordingClient(fail_page=3)
    with Pagination(client, 10, None, workers=2) as pages:  # type: ignore[arg-type]
        reader = iter(pages)
        assert [next(reader).number, next(reader).number] == [1, 2]
        with pytest.raises(ApiError, match="page 3: HTTP 500"):
            next(reader)


def test_a_failed_first_page_asks_for_no_other() -> None:
    client = RecordingClient(fail_page=1)
    pages = Pagination(client, 10, None, workers=2, ahead=6)  # type: ignore[arg-type]
    with pytest.raises(ApiError, match="page 1"):
        list(pages)
    pages.close()
    assert client.asked == [1]


def test_once_read_it_keeps_only_a_few_pages_ahead() -> None:
    client = RecordingClient()
    with Pagination(client, 10, None, workers=1, ahead=6) as pages:  # type: ignore[arg-type]
        assert client.wait_for(7) == [1, 2, 3, 4, 5, 6, 7]  # 6 ahead while nobody reads
        reader = iter(pages)
        assert [next(reader).number for _ in range(4)] == [1, 2, 3, 4]
        # 3 still ahead (5, 6, 7): more than the reader's 2, so nothing more is asked for
        assert sorted(client.asked) == [1, 2, 3, 4, 5, 6, 7]
        assert [p.number for p in reader] == list(range(5, 11))


class HangingClient(RecordingClient):
    """Page 2 hangs until released, as a request to an API that does not answer."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_page(self, page: int, page_size: int, q: str | None = None) -> Any:
        if page == 2:
            with self.asked_for:
                self.asked.append(page)
                self.asked_for.notify_all()
            self.release.wait(timeout=30)
        return super().get_page(page, page_size, q)


def test_closing_does_not_wait_for_a_hanging_request() -> None:
    client = HangingClient()
    pages = Pagination(client, 10, None, workers=1)  # type: ignore[arg-type]
    client.wait_for(2)
    closing = threading.Thread(target=pages.close)
    closing.start()
    closing.join(timeout=10)
    try:
        assert not closing.is_alive(), "close() waited for the hanging request"
    finally:
        client.release.set()
