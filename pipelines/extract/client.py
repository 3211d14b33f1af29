"""The HTTP client for GET /api/v1/models: auth, timeouts and retries over one connection pool.

Retries are ours rather than dlt's requests helper because concurrent page workers must share
one backoff: a 429 slows every worker, not only the one that received it. The transport (the
pool and what the environment says about proxies, CA bundles and netrc) is transport.py.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode, urlsplit

import orjson
import urllib3

from pipelines import __version__
from pipelines.errors import ApiError
from pipelines.extract.retry import RetryPolicy, SharedBackoff, retry_after
from pipelines.extract.transport import (
    TRANSIENT_ERRORS,
    TRANSIENT_WORDS,
    ProxySchemeError,
    http_settings,
    pool_for,
    unwrapped,
)
from pipelines.settings import (
    MODELS_PATH,
)

log = logging.getLogger("iomodels")

# 408 timeout, 425 too early, 429 too many requests, and every 5xx (Cloudflare's 52x too)
RETRYABLE_4XX = frozenset({408, 425, 429})


class ApiKey:
    """The API key; its str and repr are masked so it cannot leak into logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "ApiKey('***')"

    __str__ = __repr__


def redact_url(url: str) -> str:
    """The URL without user:password: for messages and the load_runs table, and for the
    requests themselves (the credentials go in a header, never in the request line)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


class CatalogueClient:
    """Fetches pages of the model catalogue; safe to share between threads."""

    def __init__(
        self,
        base_url: str,
        api_key: ApiKey | None = None,
        guest_session_id: str | None = None,
        policy: RetryPolicy | None = None,
        pool_size: int = 4,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.policy = policy or RetryPolicy()
        self.requests_made = 0
        self._backoff = SharedBackoff()
        # set by close(): a request still retrying in a worker thread gives up at once, so an
        # interrupted load never waits out a retry budget
        self._stopped = threading.Event()
        headers = {
            "User-Agent": f"iomodels/{__version__}",
            "Accept": "application/json",
            "Accept-Encoding": "gzip, deflate",  # as requests asks; urllib3 decodes it
        }
        if guest_session_id:
            headers["X-Guest-Session-ID"] = guest_session_id
        try:
            settings = http_settings(self.base_url)
        except ProxySchemeError as exc:
            raise ApiError(f"cannot reach {redact_url(self.base_url)}: {exc}") from None
        if api_key is not None:  # the key wins over basic auth from the URL or ~/.netrc
            settings = replace(settings, basic_auth=None)
            headers["Authorization"] = f"Bearer {api_key.reveal()}"
        self._pool = pool_for(settings, pool_size, headers)
        self._url = redact_url(self.base_url) + MODELS_PATH

    def close(self) -> None:
        self._stopped.set()
        self._pool.clear()

    def page_url(self, page: int, page_size: int, q: str | None) -> str:
        params = _page_params(page, page_size, q)
        return f"{self._url}?{urlencode(params)}"

    def get_page(self, page: int, page_size: int, q: str | None = None) -> Any:
        """One page as parsed JSON, retried on transient failures; raises ApiError at the end."""
        params = _page_params(page, page_size, q)
        url = self._url
        shown = self.page_url(page, page_size, q)
        started = time.monotonic()
        attempt = 0
        while True:
            self._backoff.wait(self._stopped)
            if self._stopped.is_set():
                raise ApiError(f"GET {shown}: not sent, the load has stopped")
            # no attempt may run past the budget: the last one gets what is left of it
            left = self.policy.budget_s - (time.monotonic() - started)
            timeout = max(min(self.policy.timeout_s, left), 0.1)
            problem, retry_after = self._attempt(url, params, shown, timeout)
            if not isinstance(problem, str):
                return problem.value
            elapsed = time.monotonic() - started
            delay = retry_after if retry_after is not None else self.policy.delay(attempt)
            if attempt >= self.policy.retries or elapsed + delay > self.policy.budget_s:
                tries = f"{attempt + 1} attempt" + ("s" if attempt else "")
                raise ApiError(f"GET {shown} failed after {tries} in {elapsed:.1f}s: {problem}")
            attempt += 1
            log.warning(
                "GET %s: %s; retry %d/%d in %.1fs",
                shown,
                problem,
                attempt,
                self.policy.retries,
                delay,
            )
            if retry_after is not None:
                self._backoff.push(delay)  # every worker waits, not just this one
            else:
                self._stopped.wait(delay)

    def _attempt(
        self, url: str, params: dict[str, Any], shown: str, timeout: float
    ) -> tuple[_Parsed | str, float | None]:
        """One request: the parsed body, or a retryable problem and an optional Retry-After."""
        self.requests_made += 1
        try:
            response = self._pool.request(
                "GET", url, fields=params, timeout=urllib3.Timeout(connect=timeout, read=timeout)
            )
        except urllib3.exceptions.HTTPError as exc:
            error = unwrapped(exc)
            if isinstance(error, TRANSIENT_ERRORS):
                name = type(error).__name__
                words = TRANSIENT_WORDS.get(name)
                return (f"{words} ({name})" if words else name), None
            # only the type: some messages quote request headers, and so the key
            raise ApiError(f"GET {shown}: the request failed ({type(error).__name__})") from None
        body = response.data
        status = response.status
        if status >= 500 or status in RETRYABLE_4XX:
            return f"HTTP {status}", retry_after(response.headers) if status in (429, 503) else None
        if status in (401, 403):
            raise ApiError(
                f"GET {shown}: HTTP {status}, the API refused the request; check the key in "
                "IOINTELLIGENCE_API_KEY (or [sources.io_intelligence] api_key in "
                ".dlt/secrets.toml)"
            )
        if status >= 400:
            raise ApiError(f"GET {shown}: HTTP {status}{_detail(body)}")
        try:
            return _Parsed(orjson.loads(body)), None
        except orjson.JSONDecodeError:
            pass
        try:  # orjson refuses integers beyond 64 bits; the standard parser does not
            return _Parsed(json.loads(body)), None
        except ValueError:
            pass
        if _is_html(response.headers.get("Content-Type", ""), body):
            # a web page, not a flaky API: retrying will not make it JSON
            raise ApiError(
                f"GET {shown}: HTTP {status} answered an HTML page, not JSON; is --base-url the "
                "API root (e.g. https://api.intelligence.io.solutions)?"
            )
        return f"HTTP {status} with a body that is not JSON ({len(body)} bytes)", None


def _is_html(content_type: str, body: bytes) -> bool:
    start = body[:256].lstrip().lower()
    return "html" in content_type.lower() or start.startswith((b"<!doctype html", b"<html"))


def _page_params(page: int, page_size: int, q: str | None) -> dict[str, Any]:
    params: dict[str, Any] = {"page": page, "page_size": page_size}
    if q:
        params["q"] = q
    return params


@dataclass(frozen=True)
class _Parsed:
    value: Any


def _detail(body: bytes) -> str:
    """The first validation message of a 4xx body, to make the one-line error useful."""
    try:
        detail = orjson.loads(body).get("detail")
    except (orjson.JSONDecodeError, AttributeError):
        return ""
    if isinstance(detail, list) and detail and isinstance(detail[0], dict):
        loc = ".".join(str(p) for p in detail[0].get("loc", []))
        return f" ({loc}: {detail[0].get('msg', '')})"
    if isinstance(detail, str):
        return f" ({detail[:200]})"
    return ""
