"""ASGI middleware that injects transport-level faults in front of the app.

It works below FastAPI on purpose: these faults (latency, rate limiting, authentication,
server errors, truncated bodies) happen before the real API even validates a request, and a
truncated body must keep a Content-Length that matches what is actually sent.

Order per request: latency, rate limit, authentication, injected failure, then the app.
"""

from __future__ import annotations

import asyncio
import collections
import hmac
import json
import random
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pipelines.replica.faults import Faults


class SlidingWindowLimiter:
    """Admits at most `limit` requests within any window of `window_seconds`.

    Only admitted requests count, so a client that waits for `Retry-After` is admitted again.
    """

    def __init__(self, limit: int, window_seconds: float = 1.0) -> None:
        self._limit = limit
        self._window = window_seconds
        self._admitted: collections.deque[float] = collections.deque()

    def admit(self) -> bool:
        now = time.monotonic()
        while self._admitted and now - self._admitted[0] >= self._window:
            self._admitted.popleft()
        if len(self._admitted) >= self._limit:
            return False
        self._admitted.append(now)
        return True


class FailurePlan:
    """Decides which requests get an injected failure: the first N, then a seeded random P."""

    def __init__(self, fail_first: int, fail_rate: float, seed: int) -> None:
        self._remaining_first = fail_first
        self._rate = fail_rate
        self._rng = random.Random(seed)

    def next_request_fails(self) -> bool:
        if self._remaining_first > 0:
            self._remaining_first -= 1
            return True
        # Draw only when a rate is set, so the sequence depends on the seed alone.
        return self._rate > 0 and self._rng.random() < self._rate


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return bytes(value)
    return None


async def _send_json(
    send: Send, status: int, payload: object, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class FaultInjectionMiddleware:
    """Applies `faults` to every HTTP request before it reaches `app`."""

    def __init__(self, app: ASGIApp, faults: Faults) -> None:
        self.app = app
        self.faults = faults
        self._limiter = SlidingWindowLimiter(faults.rate_limit) if faults.rate_limit else None
        self._failures = FailurePlan(faults.fail_first, faults.fail_rate, faults.seed)
        self._truncations_left = faults.truncate_first
        self._expected_authorization = (
            b"bearer " + faults.require_key.encode() if faults.require_key is not None else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.faults.latency_seconds > 0:
            await asyncio.sleep(self.faults.latency_seconds)
        if self._limiter is not None and not self._limiter.admit():
            await _send_json(send, 429, {"detail": "Rate limit exceeded"}, [(b"retry-after", b"1")])
            return
        if self._expected_authorization is not None and not await self._authorized(scope, send):
            return
        if self._failures.next_request_fails():
            await _send_json(send, self.faults.fail_status, {"detail": "Injected failure"})
            return
        if self._truncations_left > 0:
            await self.app(scope, receive, self._truncating(send))
            return
        await self.app(scope, receive, send)

    async def _authorized(self, scope: Scope, send: Send) -> bool:
        """Check the bearer key; on failure answer 401/403. Never echo what was sent."""
        assert self._expected_authorization is not None
        sent = _header(scope, b"authorization")
        if sent is None or not sent.lower().startswith(b"bearer "):
            await _send_json(
                send, 401, {"detail": "Not authenticated"}, [(b"www-authenticate", b"Bearer")]
            )
            return False
        # The scheme is case-insensitive, the key is not; compare in constant time.
        sent_normalised = b"bearer " + sent[len(b"bearer ") :].strip()
        if not hmac.compare_digest(sent_normalised, self._expected_authorization):
            await _send_json(send, 403, {"detail": "Invalid API key"})
            return False
        return True

    def _truncating(self, send: Send) -> Send:
        """Wrap `send` so that the next successful response loses the second half of its body."""
        held_start: Message | None = None
        chunks: list[bytes] = []

        async def truncating_send(message: Message) -> None:
            nonlocal held_start
            if message["type"] == "http.response.start":
                # Decide here, not at request time, so that only successful responses count.
                if message["status"] == 200 and self._truncations_left > 0:
                    self._truncations_left -= 1
                    held_start = message
                    return
                await send(message)
            elif message["type"] == "http.response.body" and held_start is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = b"".join(chunks)
                cut = body[: len(body) // 2]
                headers = [
                    (key, value)
                    for key, value in held_start["headers"]
                    if key.lower() != b"content-length"
                ]
                headers.append((b"content-length", str(len(cut)).encode()))
                await send({**held_start, "headers": headers})
                await send({"type": "http.response.body", "body": cut})
            else:
                await send(message)

        return truncating_send
