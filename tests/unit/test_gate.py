"""The completeness gate and response-shape recognition, on plain values."""

from __future__ import annotations

import pytest

from pipelines.errors import ApiError, PaginationInconsistent
from pipelines.extract.gate import CompletenessGate
from pipelines.extract.pages import Page, parse_page
from pipelines.settings import LIVE_SHAPE


def page(
    number: int, rows: int, total: int = 5, size: int = 2, has_next: bool | None = None
) -> Page:
    pages = -(-total // size)
    return Page(
        number, [{}] * rows, total, size, pages, number < pages if has_next is None else has_next
    )


def test_consistent_pages_pass() -> None:
    gate = CompletenessGate()
    for number, rows in ((1, 2), (2, 2), (3, 1)):
        gate.check_page(page(number, rows))
    for i in range(5):
        gate.check_id(f"id{i}", 1)
    gate.finish()
    assert (gate.rows_seen, gate.pages_seen) == (5, 3)


def test_total_moving_between_pages_is_inconsistent() -> None:
    gate = CompletenessGate()
    gate.check_page(page(1, 2))
    with pytest.raises(PaginationInconsistent, match="total was 5 on page 1 and 6 on page 2"):
        gate.check_page(page(2, 2, total=6))


def test_duplicate_id_is_inconsistent() -> None:
    gate = CompletenessGate()
    gate.check_id("a", 1)
    with pytest.raises(PaginationInconsistent, match="seen twice"):
        gate.check_id("a", 2)


def test_short_page_and_missing_rows_are_inconsistent() -> None:
    gate = CompletenessGate()
    gate.check_page(page(1, 2))
    with pytest.raises(PaginationInconsistent, match="page 2 has 1 rows; expected 2"):
        gate.check_page(page(2, 1))
    gate = CompletenessGate()
    gate.check_page(page(1, 2))
    with pytest.raises(PaginationInconsistent, match=r"saw 2 rows but pagination\.total is 5"):
        gate.finish()


def test_has_next_on_the_last_page_is_inconsistent() -> None:
    gate = CompletenessGate()
    gate.check_page(page(1, 2))
    gate.check_page(page(2, 2))
    with pytest.raises(PaginationInconsistent, match="more pages after the last one"):
        gate.check_page(page(3, 1, has_next=True))


def test_total_pages_must_match_total() -> None:
    with pytest.raises(PaginationInconsistent, match="says 9 pages for 5 rows"):
        CompletenessGate().check_page(Page(1, [{}, {}], 5, 2, 9, True))


def test_empty_catalogue_passes() -> None:
    gate = CompletenessGate()
    gate.check_page(Page(1, [], 0, 100, 0, False))
    gate.finish()


def test_parse_page_reads_the_spec_shape() -> None:
    body = {
        "data": [{"a": 1}],
        "pagination": {
            "total": 1,
            "page": 1,
            "page_size": 100,
            "total_pages": 1,
            "has_next": False,
            "has_previous": False,
        },
    }
    assert parse_page(body, 1, "u") == Page(1, [{"a": 1}], 1, 100, 1, False)
    with pytest.raises(PaginationInconsistent, match="asked for page 2, got page 1"):
        parse_page(body, 2, "u")


def test_parse_page_recognises_the_live_list() -> None:
    body = {
        "object": "list",
        "data": [
            {"id": "openai/gpt-oss-120b", "owned_by": "vllm", "input_token_price": 4e-08},
            {"object": "model"},
        ],
    }
    parsed = parse_page(body, 1, "u")
    assert parsed.shape == LIVE_SHAPE and parsed.total == 2 and not parsed.has_next
    assert parsed.rows == body["data"]  # as sent: the live shape is read by its own transform


def test_unrecognised_shape_is_a_clear_error() -> None:
    with pytest.raises(ApiError, match="unrecognised response shape"):
        parse_page({"models": []}, 1, "http://x/api/v1/models")
