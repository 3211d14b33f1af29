"""The command line's options: every command, its flags, and the type that checks each value.

Reads no environment: a flag left unset stays None, and `config.py` fills it from the
environment variable named in ENV_OPTIONS, checked by the same type function.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

from pipelines import __version__
from pipelines.settings import (
    CHANGE_KINDS,
    DEFAULT_BASE_URL,
    DEFAULT_LOCK_WAIT_S,
    DEFAULT_MAX_AGE,
    DEFAULT_PAGE_SIZE,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT_S,
    DEFAULT_WORKERS,
    FEED_DAYS,
    MAX_PAGE_SIZE,
    MAX_WORKERS,
    MODELS_PATH,
    NOTIFY_ENV,
    TYPICAL_WORKLOAD,
)

EPILOG = """examples:
  iomodels load                                  # the real API, into data/io_models.duckdb
  iomodels load --base-url http://127.0.0.1:8765 --destination parquet
  iomodels query "select name, input_price from analytics.models order by 2" --format csv
  iomodels report
  iomodels cost --input-tokens 10M --output-tokens 2M --cached-input-tokens 4M --top 5
  iomodels changes --exit-code                   # what the latest load changed; exit 1 if any
  iomodels changes --since 7d --format markdown
  iomodels status --max-age 2h                   # exit 0 healthy, 1 stale or failed
  iomodels replica --port 8765                   # a local copy of the API, for demos and tests

The API key is read from IOINTELLIGENCE_API_KEY (or dlt's .dlt/secrets.toml,
[sources.io_intelligence] api_key); it is never a flag and never printed.
exit codes: 0 ok, 2 usage or configuration, 3 API failed, 4 data failed a gate,
75 another load or a writer holds the destination."""


DESTINATIONS = ("duckdb", "parquet", "postgres")


def _bounded_int(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"must be a whole number between {low} and {high}, not {text!r}"
            ) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}, not {value}")
        return value

    return parse


def _seconds(*, zero_ok: bool) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a number of seconds, not {text!r}") from None
        if value < 0 or (value == 0 and not zero_ok) or value != value:
            bound = "0 or more" if zero_ok else "more than 0"
            raise argparse.ArgumentTypeError(f"must be {bound} seconds, not {text}")
        return value

    return parse


def _shown_url(text: str) -> str:
    """`text` for an error message: a user:password in it is masked."""
    url = urlsplit(text)
    if "@" not in url.netloc:
        return text
    return url._replace(netloc="***@" + url.netloc.rpartition("@")[2]).geturl()


def http_url(text: str) -> str:
    url = urlsplit(text)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise argparse.ArgumentTypeError(f"must be an http(s) URL, not {_shown_url(text)!r}")
    try:
        url.port  # noqa: B018 (raises on a port out of range)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"has a port out of range (1-65535): {_shown_url(text)!r}"
        ) from None
    # the API root, nothing more: a wrong one would otherwise be retried for a while
    path = url.path.rstrip("/")
    netloc = url.hostname + (f":{url.port}" if url.port else "")  # never user:password
    if url.query or url.fragment:
        raise argparse.ArgumentTypeError(
            "must not carry a query string or fragment (the load adds page, page_size and q "
            f"itself): use {url.scheme}://{netloc}{path}"
        )
    if path.endswith(MODELS_PATH):
        root = f"{url.scheme}://{netloc}{path.removesuffix(MODELS_PATH)}"
        raise argparse.ArgumentTypeError(f"is the API root, without {MODELS_PATH}: use {root}")
    return text


def destination(text: str) -> str:
    if text not in DESTINATIONS:
        listed = ", ".join(DESTINATIONS[:-1]) + f" or {DESTINATIONS[-1]}"
        raise argparse.ArgumentTypeError(f"must be {listed}, not {text!r}")
    return text


page_size = _bounded_int(1, MAX_PAGE_SIZE)
workers = _bounded_int(1, MAX_WORKERS)
retries = _bounded_int(0, 100)
timeout = _seconds(zero_ok=False)
seconds = _seconds(zero_ok=True)

# dest → (environment variable, default): the options a deployment sets once, in cron or a
# unit file. config.py reads these variables, nothing else does.
ENV_OPTIONS: dict[str, tuple[str, Any]] = {
    "destination": ("IOMODELS_DESTINATION", "duckdb"),
    "data_dir": ("IOMODELS_DATA_DIR", Path("data")),
    "base_url": ("IOMODELS_BASE_URL", DEFAULT_BASE_URL),
    "workers": ("IOMODELS_WORKERS", DEFAULT_WORKERS),
    "guest_session_id": ("IOMODELS_GUEST_SESSION_ID", None),
}


class Parser(argparse.ArgumentParser):
    """argparse with DESIGN's one-line errors: `iomodels: error: --workers must be ...`."""

    # set by the command line for a load whose stderr is a log file: its error lines carry
    # their UTC time like every other line of a load
    stamp_errors = False

    # arguments added on first use (parse or help), for a command whose own module costs an
    # import that every other command would pay for nothing (the replica's)
    deferred: Callable[[argparse.ArgumentParser], None] | None = None

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        self._add_deferred()
        return super().parse_known_args(args, namespace)

    def format_help(self) -> str:
        self._add_deferred()
        return super().format_help()

    def _add_deferred(self) -> None:
        add, self.deferred = self.deferred, None
        if add is not None:
            add(self)

    def error(self, message: str) -> NoReturn:
        message = re.sub(r"^argument ([^:]+): ", r"\1 ", message)
        line = f"iomodels: error: {message}"
        if Parser.stamp_errors:
            from pipelines.present.console import stamped

            line = stamped(line, sys.stderr)
        print(line, file=sys.stderr)
        raise SystemExit(2)


def _common(parser: argparse.ArgumentParser) -> None:
    # -v after the command too (`iomodels load -v`); SUPPRESS keeps the top-level value
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="log progress to stderr: pages fetched, stage timings (retries are always shown)",
    )
    parser.add_argument(
        "--destination",
        type=destination,
        metavar="|".join(DESTINATIONS),
        help="where the data lives (env IOMODELS_DESTINATION; default duckdb)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="folder of the DuckDB file, Parquet files and dlt state (env IOMODELS_DATA_DIR)",
    )


def _workload(parser: argparse.ArgumentParser, required: bool) -> None:
    """The token counts of a workload; parsed by the command, so bad input is one line."""
    parser.add_argument(
        "--input-tokens",
        required=required,
        default=None if required else TYPICAL_WORKLOAD[0],
        metavar="N",
        help="input tokens, cached ones included: 2500000, 2.5M, 800k, 1B"
        + ("" if required else f" (default {TYPICAL_WORKLOAD[0]})"),
    )
    parser.add_argument(
        "--output-tokens",
        required=required,
        default=None if required else TYPICAL_WORKLOAD[1],
        metavar="N",
        help="output tokens" + ("" if required else f" (default {TYPICAL_WORKLOAD[1]})"),
    )
    parser.add_argument(
        "--cached-input-tokens",
        default="0" if required else TYPICAL_WORKLOAD[2],
        metavar="N",
        help="of the input tokens, those read from the prompt cache: they cost the cache-read "
        "price where a model has one, else the input price"
        + (" (default 0)" if required else f" (default {TYPICAL_WORKLOAD[2]})"),
    )


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="iomodels",
        description="Load the IO Intelligence model catalogue with dlt into DuckDB, Parquet or "
        "PostgreSQL, "
        "keep the history of every change, and summarise quotas and prices in SQL views.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"iomodels {__version__}")
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="log progress to stderr: pages fetched, stage timings (retries are always shown)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    load = sub.add_parser(
        "load",
        help="read the catalogue and load it (one run)",
        description="Read the whole catalogue (or the part --q matches), check it is complete, "
        "load it with dlt, record what changed, and refresh the analytics views. The API key "
        "is read from IOINTELLIGENCE_API_KEY or dlt's .dlt/secrets.toml, never from a flag.",
    )
    _common(load)
    load.add_argument(
        "--base-url",
        type=http_url,
        metavar="URL",
        help=f"API root (env IOMODELS_BASE_URL; default {DEFAULT_BASE_URL})",
    )
    load.add_argument(
        "--page-size",
        type=page_size,
        default=DEFAULT_PAGE_SIZE,
        metavar="N",
        help=f"models per page, 1..{MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE})",
    )
    load.add_argument(
        "--q",
        default=None,
        metavar="TEXT",
        help="only models whose name matches; a filtered load retires nothing",
    )
    load.add_argument(
        "--workers",
        type=workers,
        metavar="N",
        help=f"pages fetched at once, 1..{MAX_WORKERS} (env IOMODELS_WORKERS; default "
        f"{DEFAULT_WORKERS})",
    )
    load.add_argument(
        "--guest-session-id",
        metavar="ID",
        help="sent as X-Guest-Session-ID (env IOMODELS_GUEST_SESSION_ID)",
    )
    load.add_argument(
        "--retries",
        type=retries,
        default=DEFAULT_RETRIES,
        metavar="N",
        help=f"retries per request (default {DEFAULT_RETRIES})",
    )
    load.add_argument(
        "--timeout",
        type=timeout,
        default=DEFAULT_TIMEOUT_S,
        metavar="SECONDS",
        help=f"seconds per request (default {DEFAULT_TIMEOUT_S:g})",
    )
    load.add_argument(
        "--lock-wait",
        type=seconds,
        default=DEFAULT_LOCK_WAIT_S,
        metavar="SECONDS",
        help="seconds to wait for another load to finish before exit 75 "
        f"(default {DEFAULT_LOCK_WAIT_S:g})",
    )
    load.add_argument("--json", action="store_true", help="print the summary as JSON")
    load.add_argument(
        "--notify",
        action="append",
        default=None,
        metavar="URL",
        help="after a load that changed something, POST the changes as JSON to URL (repeatable; "
        f"env {NOTIFY_ENV}, several separated by spaces). The URL is a secret: never printed. "
        "A failing webhook only warns",
    )

    query = sub.add_parser(
        "query",
        help="run SQL against the loaded data and views",
        description="Run one SQL statement, read-only, against the analytics views (and the raw "
        "io_intelligence tables) of either destination.",
    )
    _common(query)
    query.add_argument("sql", help='e.g. "select * from analytics.models"')
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")

    report = sub.add_parser(
        "report",
        help="the quota and pricing summaries as tables",
        description="The quota and pricing summaries, the latest changes and the cost of a "
        "typical workload on each model (the workload options change it).",
    )
    _common(report)
    _workload(report, required=False)
    report.add_argument("--json", action="store_true", help="print the report as JSON")
    report.add_argument(
        "--html",
        type=Path,
        metavar="FILE",
        help="write a self-contained HTML report with charts to FILE",
    )

    cost = sub.add_parser(
        "cost",
        help="what a workload costs on each model, ranked",
        description="Price a workload (token counts) on every active model with an input and "
        "an output price, cheapest first, with the catalogue now or as it was at a time. "
        "Costs are exact, in USD.",
    )
    _common(cost)
    _workload(cost, required=True)
    cost.add_argument(
        "--at",
        metavar="TIME",
        help="price with the catalogue as it was then: ISO 8601 (2026-11-23, "
        "2026-11-23T08:00Z; UTC unless it says) or a duration ago (24h, 7d)",
    )
    cost.add_argument(
        "--compare-to",
        metavar="TIME",
        help="also price at this (earlier) time and show the difference",
    )
    cost.add_argument(
        "--model",
        metavar="PATTERN",
        help="only models whose name contains PATTERN, or matches it as a glob (Qwen/*); "
        "ranks stay those of the whole catalogue",
    )
    cost.add_argument("--top", metavar="N", help="only the N cheapest (of those shown)")
    cost.add_argument("--format", choices=("table", "csv", "json"), default="table")
    changes = sub.add_parser(
        "changes",
        help="what changed, field by field",
        description="The changes the latest successful load wrote (none when it changed "
        "nothing), or every change since a time: prices, quotas, capabilities, limits, status, "
        "models added, removed or back, and other fields.",
    )
    _common(changes)
    changes.add_argument(
        "--since",
        metavar="TIME",
        help="changes observed since an ISO time (2026-11-23T00:00Z) or for a period (24h, 7d)",
    )
    changes.add_argument(
        "--kind",
        action="append",
        metavar="K,...",
        help="only these kinds: " + ", ".join(CHANGE_KINDS),
    )
    changes.add_argument(
        "--min-relative-change",
        type=float,
        metavar="FRACTION",
        help="ignore prices, quotas and limits that moved less than this (0.05 = 5%%)",
    )
    changes.add_argument(
        "--format",
        choices=("table", "json", "markdown", "atom"),
        default="table",
        help=f"atom: a feed of the last {FEED_DAYS} days (or --since), one entry per load",
    )
    changes.add_argument(
        "--exit-code",
        action="store_true",
        help="exit 1 when changes are listed, 0 when none (like git diff --exit-code)",
    )

    status = sub.add_parser(
        "status",
        help="health for monitoring: exit 0 healthy, 1 stale or the last load failed",
    )
    _common(status)
    status.add_argument(
        "--max-age",
        default=DEFAULT_MAX_AGE,
        metavar="DURATION",
        help=f"the latest successful load may be this old (default {DEFAULT_MAX_AGE})",
    )
    status.add_argument("--json", action="store_true", help="print the figures as JSON")

    replica = sub.add_parser("replica", help="serve the bundled local replica of the API")
    replica.deferred = _replica_arguments  # ~16 ms of imports, for `iomodels replica` only
    return parser


def _replica_arguments(parser: argparse.ArgumentParser) -> None:
    from pipelines.replica.options import add_arguments

    add_arguments(parser)
