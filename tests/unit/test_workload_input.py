"""Workload input as people write it: token counts with k, M, B, times as ISO 8601 or a
duration ago; bad input says why (UsageError, exit 2)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.errors import UsageError
from pipelines.present.workload import brief, human_count, parse_count, parse_time, workload


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("0", 0), ("2500000", 2_500_000), ("10M", 10_000_000), ("10m", 10_000_000),
        ("1.5M", 1_500_000), ("800k", 800_000), ("2K", 2_000), ("1B", 10**9),
        ("2.25b", 2_250_000_000), ("1_000_000", 10**6), ("1,500,000", 1_500_000),
        (" 7 ", 7), ("1.0", 1),
    ],
)  # fmt: skip
def test_counts_take_k_m_b_and_plain_integers(text: str, count: int) -> None:
    assert parse_count(text, "--input-tokens") == count


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-1", "must not be negative"), ("-2M", "must not be negative"),
        ("1x", "takes a token count"), ("", "takes a token count"), ("M", "takes a token count"),
        ("1e6", "takes a token count"), ("1,5M", "takes a token count"),
        ("1.5", "whole number"), ("1.0000001k", "whole number"), ("2000000000B", "too large"),
        ("nan", "takes a token count"),
    ],
)  # fmt: skip
def test_bad_counts_say_why(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_count(text, "--input-tokens")


def test_cached_tokens_are_part_of_the_input() -> None:
    assert workload("10M", "2M", "10M").cached_input_tokens == 10_000_000
    with pytest.raises(UsageError, match="cannot exceed --input-tokens"):
        workload("10M", "2M", "10000001")


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2026-11-23", datetime(2026, 11, 23, tzinfo=UTC)),
        ("2026-11-23T08:30:00Z", datetime(2026, 11, 23, 8, 30, tzinfo=UTC)),
        ("2026-11-23 10:30+02:00", datetime(2026, 11, 23, 8, 30, tzinfo=UTC)),
        ("2026-11-23T08:30:00.250000", datetime(2026, 11, 23, 8, 30, 0, 250000, tzinfo=UTC)),
        ("24h", datetime(2026, 11, 29, 12, tzinfo=UTC)),
        ("7d", datetime(2026, 11, 23, 12, tzinfo=UTC)),
        ("2w", datetime(2026, 11, 16, 12, tzinfo=UTC)),
        ("90m", datetime(2026, 11, 30, 10, 30, tzinfo=UTC)),
    ],
)
def test_times_are_iso_or_a_duration_ago_in_utc(text: str, moment: datetime) -> None:
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    assert parse_time(text, "--at", now=now) == moment


@pytest.mark.parametrize(
    ("count", "text"),
    [(0, "0"), (999, "999"), (1_000, "1k"), (2_500, "2.5k"), (10_000_000, "10M"),
     (1_234_000, "1.234M"), (123_456_789, "123,456,789"), (2_250_000_000, "2.25B")],
)  # fmt: skip
def test_counts_are_shown_short_and_exact(count: int, text: str) -> None:
    assert human_count(count) == text
    assert parse_count(text, "--input-tokens") == count


def test_a_workload_in_brief() -> None:
    assert brief(workload("10M", "2M")) == "10M input tokens, 2M output"
    assert brief(workload("10M", "2M", "2.5M")) == "10M input tokens (2.5M cached), 2M output"
