"""Errors that end a command with one line and a documented exit code (DESIGN.md)."""

from __future__ import annotations

import os

from pipelines.settings import API_KEY_ENV, EXIT_API, EXIT_BUSY, EXIT_GATE, EXIT_USAGE

# Every secret in use (the API key from either source, passwords, tokens in URLs), registered
# by whoever reads it, so that `scrub` masks it whatever its source.
_SECRETS: set[str] = set()


def register_secret(value: str) -> None:
    if len(value) >= 4:  # masking a shorter string would garble ordinary text
        _SECRETS.add(value)


def scrub(text: str) -> str:
    """The text with every secret masked: a last line of defence for unexpected messages."""
    env_key = os.environ.get(API_KEY_ENV, "").strip()
    for secret in sorted(_SECRETS | ({env_key} if len(env_key) >= 4 else set()), key=len)[::-1]:
        text = text.replace(secret, "***")
    return text


def one_line(exc: BaseException) -> str:
    """The innermost cause's type and first line, scrubbed: dlt wraps errors several deep and
    their messages run over pages; a user (or cron mail) gets one line."""
    inner = exc
    while inner.__cause__ is not None:
        inner = inner.__cause__
    lines = str(inner).strip().splitlines()
    text = f"{type(inner).__name__}: {lines[0]}" if lines else type(inner).__name__
    return scrub(text)


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM: the load stops, keeps the previous data, exits 128 + signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class IomodelsError(Exception):
    """The message is the one line the user sees; exit_code is what the process returns."""

    exit_code = 1


class UsageError(IomodelsError):
    """Bad options or configuration, found before any request is made."""

    exit_code = EXIT_USAGE


class ApiError(IomodelsError):
    """The API failed after retries, or refused us (401/403)."""

    exit_code = EXIT_API


class GateError(IomodelsError):
    """The data failed a completeness or validation gate; nothing was written."""

    exit_code = EXIT_GATE


class PaginationInconsistent(GateError):
    """Pages disagree (total moved, duplicate ids, missing rows): worth paginating again."""


class BusyError(IomodelsError):
    """Another load or a writer holds the destination."""

    exit_code = EXIT_BUSY
