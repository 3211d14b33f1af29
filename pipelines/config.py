"""The one reader of configuration: options, environment variables and dlt's secrets.

Everything is checked before any request is made (exit 2 if wrong). Environment variables fill
the options left unset, checked by the option's own type (options.ENV_OPTIONS). The API key is
read here only: from IOINTELLIGENCE_API_KEY, or from dlt's secrets (.dlt/secrets.toml) when the
variable is unset; whichever it is, it is registered with `errors.scrub`. The Postgres
credentials likewise: DESTINATION__POSTGRES__CREDENTIALS or .dlt/secrets.toml (read without dlt,
so that `query` and `report` never import it); the password is registered with `scrub`.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipelines import options
from pipelines.errors import UsageError, register_secret
from pipelines.settings import (
    API_KEY_ENV,
    API_KEY_SECRET_PATH,
    DEFAULT_BACKOFF_S,
    DUCKDB_MEMORY_ENV,
    DUCKDB_MEMORY_LIMIT,
    NOTIFY_ENV,
    NOTIFY_TIMEOUT_S,
    POSTGRES_CREDENTIALS_ENV,
)

if TYPE_CHECKING:  # imported when a load needs them: `query` and `report` start light
    from pipelines.extract.client import ApiKey
    from pipelines.store.load_start import LoadConfig
    from pipelines.store.webhook import WebhookUrl


# dlt settings that make a load quiet, offline and give Arrow rows their load id (for the
# Parquet views' completed-load filter). dlt reads its configuration from the environment, so
# they are set there, before dlt is first imported; a value the user set is kept.
DLT_ENVIRONMENT = {
    "RUNTIME__DLTHUB_TELEMETRY": "false",
    "RUNTIME__LOG_LEVEL": "WARNING",
    "NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_LOAD_ID": "true",
}


def resolve_environment(args: argparse.Namespace) -> argparse.Namespace:
    """Fill every option left unset from its environment variable, or its default."""
    for dest, (env, default) in options.ENV_OPTIONS.items():
        if not hasattr(args, dest) or getattr(args, dest) is not None:
            continue
        raw = os.environ.get(env, "")
        setattr(args, dest, _from_env(env, raw, _TYPES.get(dest)) if raw else default)
    return args


def _from_env(env: str, raw: str, parse: Callable[[str], Any] | None) -> Any:
    if parse is None:
        return raw
    try:
        return parse(raw)
    except argparse.ArgumentTypeError as exc:
        raise UsageError(f"{env} {exc}") from None


_TYPES: dict[str, Callable[[str], Any]] = {
    "destination": options.destination,
    "data_dir": Path,
    "base_url": options.http_url,
    "workers": options.workers,
}


def prepare_dlt() -> None:
    for key, value in DLT_ENVIRONMENT.items():
        os.environ.setdefault(key, value)


def _checked_key(value: str, where: str) -> ApiKey:
    """A key must be one line of visible ASCII: anything else cannot go in a header, and the
    HTTP library's error for it would quote the header, key and all."""
    if not all("!" <= c <= "~" for c in value):
        raise UsageError(
            f"the API key in {where} contains spaces, line breaks or non-ASCII characters"
        )
    from pipelines.extract.client import ApiKey

    register_secret(value)
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


def _backoff_s() -> float:
    """IOMODELS_BACKOFF_S: the first retry delay; tests and demos make it short."""
    raw = os.environ.get("IOMODELS_BACKOFF_S", "")
    return _from_env("IOMODELS_BACKOFF_S", raw, options.seconds) if raw else DEFAULT_BACKOFF_S


# DuckDB's size syntax: a number and its unit (KB...TB for 1000^i, KiB...TiB for 1024^i)
_DUCKDB_SIZE = re.compile(r"\s*\d+(\.\d+)?\s*[kmgt]i?b\s*", re.IGNORECASE)


def _duckdb_memory() -> str:
    """IOMODELS_DUCKDB_MEMORY: DuckDB's memory limit while it loads (a size like 512MB)."""
    raw = os.environ.get(DUCKDB_MEMORY_ENV, "").strip()
    if not raw:
        return DUCKDB_MEMORY_LIMIT
    if not _DUCKDB_SIZE.fullmatch(raw):
        raise UsageError(f"{DUCKDB_MEMORY_ENV} must be a size like 512MB or 2GB, not {raw!r}")
    return raw


def load_config(args: argparse.Namespace) -> LoadConfig:
    """The load's settings, every value checked (options by their types, the rest here)."""
    from pipelines.extract.retry import RetryPolicy
    from pipelines.store.load_start import LoadConfig

    prepare_dlt()
    q = args.q.strip() if args.q else None
    urls = notify_urls(args.notify)
    return LoadConfig(
        base_url=args.base_url,
        destination=args.destination,
        data_dir=args.data_dir,
        page_size=args.page_size,
        q=q or None,
        workers=args.workers,
        lock_wait_s=args.lock_wait,
        retry=RetryPolicy(retries=args.retries, timeout_s=args.timeout, backoff_s=_backoff_s()),
        api_key=api_key_from_environment(),
        guest_session_id=args.guest_session_id,
        postgres_dsn=postgres_dsn() if args.destination == "postgres" else None,
        notify_urls=urls,
        notify_timeout_s=_notify_timeout_s(),
        duckdb_memory=_duckdb_memory(),
    )


def notify_urls(flags: list[str] | None) -> tuple[WebhookUrl, ...]:
    """--notify URLs, else those in IOMODELS_NOTIFY_URL (separated by spaces); each checked,
    and registered as a secret: a webhook URL usually holds its token."""
    from pipelines.store.webhook import WebhookUrl

    given = [text.strip() for text in flags or os.environ.get(NOTIFY_ENV, "").split()]
    for text in given:
        register_secret(text)
    return tuple(dict.fromkeys(WebhookUrl(text) for text in given if text))


def _notify_timeout_s() -> float:
    """IOMODELS_NOTIFY_TIMEOUT_S: seconds a webhook may take per attempt; tests make it short."""
    raw = os.environ.get("IOMODELS_NOTIFY_TIMEOUT_S", "")
    return _from_env("IOMODELS_NOTIFY_TIMEOUT_S", raw, options.timeout) if raw else NOTIFY_TIMEOUT_S


def _secrets_toml() -> dict[str, Any]:
    """dlt's project secrets (.dlt/secrets.toml in the working directory), read without dlt:
    `query` and `report` never import it."""
    import tomllib

    path = Path(os.environ.get("DLT_PROJECT_DIR", ".")) / ".dlt" / "secrets.toml"
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text())
    except (OSError, ValueError):  # the message could quote the file: say only where
        raise UsageError(f"could not read {path}; check its TOML syntax") from None


def _dsn_from_table(table: dict[str, Any]) -> str:
    """dlt's credentials as a table (database, username, password, host, port) → a URL."""
    from urllib.parse import quote

    user = quote(str(table.get("username", "")), safe="")
    password = table.get("password")
    auth = f"{user}:{quote(str(password), safe='')}@" if password else (f"{user}@" if user else "")
    host = table.get("host", "localhost")
    port = table.get("port", 5432)
    return f"postgresql://{auth}{host}:{port}/{quote(str(table.get('database', '')), safe='')}"


def postgres_dsn() -> str:
    """The Postgres credentials, the dlt way: DESTINATION__POSTGRES__CREDENTIALS, else
    `[destination.postgres] credentials` in .dlt/secrets.toml (a URL or a table). The password
    is registered with `errors.scrub`, like the API key."""
    dsn = os.environ.get(POSTGRES_CREDENTIALS_ENV, "").strip()
    if not dsn:
        found = _secrets_toml().get("destination", {}).get("postgres", {}).get("credentials")
        dsn = _dsn_from_table(found) if isinstance(found, dict) else str(found or "").strip()
    if not dsn:
        raise UsageError(
            f"--destination postgres needs credentials: set {POSTGRES_CREDENTIALS_ENV}="
            "postgresql://user:password@host:port/db, or [destination.postgres] credentials "
            "in .dlt/secrets.toml"
        )
    from psycopg2.extensions import parse_dsn

    try:
        parts = parse_dsn(dsn)
    except Exception:  # its message may quote the DSN, password and all
        raise UsageError(
            f"the Postgres credentials are not a connection URL (postgresql://user:password@"
            f"host:port/db); check {POSTGRES_CREDENTIALS_ENV} or .dlt/secrets.toml"
        ) from None
    if parts.get("password"):
        register_secret(parts["password"])
    return dsn
