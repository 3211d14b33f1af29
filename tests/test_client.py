"""The HTTP client's pure parts: Retry-After parsing and URL redaction."""

from __future__ import annotations

import time
from email.utils import formatdate

import pytest
from urllib3 import HTTPHeaderDict

from pipelines.extract.client import redact_url
from pipelines.extract.retry import RetryPolicy, retry_after


def response_with(retry_after: str | None) -> HTTPHeaderDict:
    """A response's headers, as urllib3 gives them (names case-insensitive)."""
    headers = HTTPHeaderDict()
    if retry_after is not None:
        headers["retry-after"] = retry_after
    return headers


@pytest.mark.parametrize(
    ("header", "expected"),
    [("2", 2.0), ("0", 0.0), ("-3", 0.0), (None, None), ("soon", None), ("", None)],
)
def test_retry_after_seconds_and_garbage(header: str | None, expected: float | None) -> None:
    assert retry_after(response_with(header)) == expected


def test_retry_after_http_date() -> None:
    value = retry_after(response_with(formatdate(time.time() + 30, usegmt=True)))
    assert value is not None and 27 <= value <= 31


def test_backoff_doubles_with_jitter_and_a_ceiling() -> None:
    policy = RetryPolicy(backoff_s=1.0, max_backoff_s=5.0)
    for attempt, ceiling in ((0, 1.0), (1, 2.0), (2, 4.0), (5, 5.0)):
        delays = [policy.delay(attempt) for _ in range(50)]
        assert all(ceiling * 0.5 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jitter: workers do not retry in lockstep


def test_redact_url_drops_credentials() -> None:
    assert redact_url("https://user:secret@api.example.com:8443/x?q=1") == (
        "https://api.example.com:8443/x?q=1"
    )


@pytest.mark.slow
def test_no_request_runs_past_the_retry_budget() -> None:
    """Each attempt times out (the replica answers after 2 s); the last gets what is left."""
    from pipelines.errors import ApiError
    from pipelines.extract.client import CatalogueClient
    from tests.replica_process import running_replica

    policy = RetryPolicy(retries=10, backoff_s=0.01, budget_s=1.5, timeout_s=1.0)
    with running_replica("--latency", "2") as url:
        client = CatalogueClient(url, policy=policy)
        started = time.monotonic()
        with pytest.raises(ApiError, match="failed after 2 attempts"):
            client.get_page(1, 100)
        elapsed = time.monotonic() - started
        client.close()
    assert 1.4 <= elapsed < 1.8  # without the cap: two full 1 s timeouts, over 2 s
