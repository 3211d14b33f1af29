"""POST one JSON document to a webhook: bounded retries and timeout, a secret URL never shown.

Incoming-webhook URLs carry their token in the path (Slack, Discord) or the query, so the URL
is held in a `WebhookUrl` whose str is `scheme://host/…`, and error texts are never taken from
the HTTP library (requests quotes the path in its connection errors).
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from pipelines import __version__
from pipelines.errors import UsageError

log = logging.getLogger("iomodels")

RETRYABLE = frozenset({408, 425, 429})  # and every 5xx


class WebhookUrl:
    """A webhook URL; str and repr show only its scheme and host."""

    __slots__ = ("_value", "shown")

    def __init__(self, value: str) -> None:
        parts = urlsplit(value)
        try:
            port = parts.port
        except ValueError:
            port = None
            parts = parts._replace(scheme="")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError("--notify takes an http(s) URL; one given is not (it is not shown)")
        host = parts.hostname + (f":{port}" if port else "")
        self._value = value
        self.shown = f"{parts.scheme}://{host}/…"

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"WebhookUrl({self.shown!r})"

    def __str__(self) -> str:
        return self.shown

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WebhookUrl) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class Delivery:
    """What came of one POST: sent or failed, the last HTTP status, attempts, and why."""

    url: str  # as shown, never the secret
    sent: bool
    status: int | None
    attempts: int
    message: str


def post_json(
    url: WebhookUrl, document: dict[str, Any], *, attempts: int, timeout_s: float, backoff_s: float
) -> Delivery:
    """POST `document`; retry 5xx, 408/425/429, timeouts and connection errors. Never raises."""
    body = json.dumps(document, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", "User-Agent": f"iomodels/{__version__}"}
    status: int | None = None
    why = ""
    for attempt in range(1, attempts + 1):
        try:
            response = requests.post(
                url.reveal(), data=body, headers=headers, timeout=timeout_s, allow_redirects=False
            )
            status = response.status_code
            response.close()
            if 200 <= status < 300:
                return Delivery(url.shown, True, status, attempt, f"HTTP {status}")
            why = f"HTTP {status}"
            if status < 500 and status not in RETRYABLE:
                break  # refused (a bad token, a moved hook): trying again will not help
        except requests.Timeout:
            status, why = None, f"no answer within {timeout_s:g}s"
        except requests.ConnectionError:
            status, why = None, "could not connect"
        except Exception as exc:
            status, why = None, type(exc).__name__
        if attempt < attempts:
            log.info("webhook %s: %s; trying again", url.shown, why)
            time.sleep(backoff_s * 2 ** (attempt - 1))
    return Delivery(url.shown, False, status, attempt, why)
