"""Turn command-line options and the environment into a checked LoadConfig (exit 2 if wrong).

Everything is checked before any request is made, and the API key is read here only: from
IOINTELLIGENCE_API_KEY, or from dlt's secrets (.dlt/secrets.toml) when the variable is unset.
"""

from __future__ import annotations

import argparse
import os
from urllib.parse import urlsplit

from pipelines.errors import UsageError
from pipelines.extract.client import ApiKey
from pipelines.extract.retry import RetryPolicy
from pipelines.settings import (
    API_KEY_ENV,
    API_KEY_SECRET_PATH,
    DEFAULT_BACKOFF_S,
    MAX_PAGE_SIZE,
    MAX_WORKERS,
)
from pipelines.store.load import LoadConfig


def _checked_key(value: str, where: str) -> ApiKey:
    """A key must be one line of visible ASCII: anything else cannot go in a header, and the
    HTTP library's error for it would quote the header, key and all."""
    if not all("!" <= c <= "~" for c in value):
        raise UsageError(
            f"the API key in {where} contains spaces, line breaks or non-ASCII characters"
        )
    return ApiKey(value)


def api_key_from_environment() -> ApiKey | None:
    value = os.environ.get(API_KEY_ENV, "").strip()
    if value:
        return _checked_key(value, API_KEY_ENV)
    import dlt

    try:
        secret: object = dlt.secrets.get(API_KEY_SECRET_PATH)
    except Exception:  # a malformed secrets.toml must not leak its content in a traceback
        raise UsageError(
            f"could not read {API_KEY_SECRET_PATH} from dlt's secrets; check .dlt/secrets.toml"
        ) from None
    return _checked_key(str(secret).strip(), ".dlt/secrets.toml") if secret else None


def _float_env(name: str, default: float) -> float:
    raw = os.environ.get(name)
    try:
        return float(raw) if raw else default
    except ValueError:
        raise UsageError(f"{name} must be a number of seconds, not {raw!r}") from None


def _is_http_url(text: str) -> bool:
    url = urlsplit(text)
    try:
        url.port  # noqa: B018 (raises on a port out of range)
    except ValueError:
        return False
    return url.scheme in ("http", "https") and bool(url.hostname)


def load_config(args: argparse.Namespace) -> LoadConfig:
    if not 1 <= args.page_size <= MAX_PAGE_SIZE:
        raise UsageError(f"--page-size must be between 1 and {MAX_PAGE_SIZE}, not {args.page_size}")
    if not 1 <= args.workers <= MAX_WORKERS:
        raise UsageError(f"--workers must be between 1 and {MAX_WORKERS}, not {args.workers}")
    if args.retries < 0 or args.timeout <= 0 or args.lock_wait < 0:
        raise UsageError("--retries, --timeout and --lock-wait must not be negative")
    if not _is_http_url(args.base_url):
        raise UsageError(f"--base-url must be an http(s) URL, not {args.base_url!r}")
    q = args.q.strip() if args.q else None
    return LoadConfig(
        base_url=args.base_url,
        destination=args.destination,
        data_dir=args.data_dir,
        page_size=args.page_size,
        q=q or None,
        workers=args.workers,
        lock_wait_s=args.lock_wait,
        retry=RetryPolicy(
            retries=args.retries,
            timeout_s=args.timeout,
            # IOMODELS_BACKOFF_S: the first retry delay; tests and demos make it short
            backoff_s=_float_env("IOMODELS_BACKOFF_S", DEFAULT_BACKOFF_S),
        ),
        api_key=api_key_from_environment(),
        guest_session_id=args.guest_session_id,
    )
