"""The `iomodels` command line: load, query, report, cost, changes, status, replica.

Heavy modules are imported inside the commands that need them: the read commands (`query`,
`report`, `cost`, `changes`, `status`) must start fast and never import dlt.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from types import FrameType
from typing import TYPE_CHECKING

from pipelines.config import resolve_environment
from pipelines.errors import Interrupted, IomodelsError, one_line
from pipelines.options import ENV_OPTIONS, Parser, build_parser
from pipelines.present.console import close_logging, is_terminal, setup_logging, stamped
from pipelines.settings import EXIT_OK, LOAD_GC_YOUNG_OBJECTS

if TYPE_CHECKING:
    from pipelines.store.load_start import LoadConfig


@contextlib.contextmanager
def _start_up_without_gc() -> Iterator[None]:
    """Imports (dlt, pyarrow, duckdb, requests) make only objects that live as long as the
    process, yet the cyclic collector would walk them again and again: about a sixth of the
    start-up's CPU. It is off while they are made, and they are then set aside (`freeze`) so
    that the load's own collections walk only the load's objects. Those come less often than
    Python's default (every 700 objects): dlt makes and drops many short-lived objects per
    table and job, and a real-size load spent ~30 ms in ~60 young collections."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.set_threshold(LOAD_GC_YOUNG_OBJECTS, *gc.get_threshold()[1:])
        if was_enabled:
            gc.enable()


def _reader_options(config: LoadConfig) -> list[str]:
    """The options `report` and `query` need to read what this load wrote."""
    options = []
    if config.data_dir != ENV_OPTIONS["data_dir"][1]:
        options += ["--data-dir", str(config.data_dir)]
    if config.destination != ENV_OPTIONS["destination"][1]:
        options += ["--destination", config.destination]
    return options


def _load(args: argparse.Namespace) -> int:
    # Arrow's C++ code (Parquet writing) takes its pool from this variable, not from
    # pa.set_memory_pool: left to mimalloc, it keeps ~23 MiB of freed pages for the whole
    # load at 100k models. Set before the first Arrow allocation, which reads it once.
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    with _start_up_without_gc():
        from pipelines.config import load_config
        from pipelines.store.load_start import started_load

        config = load_config(args)
    with started_load(config) as started:  # locked, and the first pages on their way
        with _start_up_without_gc():
            from pipelines.present.summary import load_summary
            from pipelines.store.load import run_load
        mark = time.monotonic()
        result = run_load(config, started)
        seconds = time.monotonic() - mark
    if args.json:
        print(load_summary(result, seconds, as_json=True))
    else:
        hints = _reader_options(config) if is_terminal(sys.stdout) else None
        summary = load_summary(result, seconds, as_json=False, hints=hints)
        print(stamped(summary, sys.stdout))
    return EXIT_OK


def _query(args: argparse.Namespace) -> int:
    from pipelines.present.query import FORMATTERS, connect, decode_json_columns, run_statement

    with connect(args.destination, args.data_dir) as con:
        columns, types, rows = run_statement(con, args.sql)
    if args.format == "json":
        rows = decode_json_columns(columns, types, rows)
    print(FORMATTERS[args.format](columns, rows))
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from pipelines.present.query import connect
    from pipelines.present.report import print_report, report_json
    from pipelines.present.workload import workload

    work = workload(args.input_tokens, args.output_tokens, args.cached_input_tokens)
    with connect(args.destination, args.data_dir) as con:
        if args.html:
            from pipelines.present.report_html import write_html_report

            write_html_report(con, args.html, work)
            print(f"wrote {args.html}")
        elif args.json:
            print(report_json(con, work))
        else:
            print_report(con, work=work)
    return EXIT_OK


def _cost(args: argparse.Namespace) -> int:
    from pipelines.present.cost import parse_request, run_cost
    from pipelines.present.query import connect

    request = parse_request(args)  # bad input is reported before any data is opened
    with connect(args.destination, args.data_dir) as con:
        print(run_cost(con, request))
    return EXIT_OK


def _changes(args: argparse.Namespace) -> int:
    from pipelines.present.changes import change_filter, render
    from pipelines.present.query import connect

    which = change_filter(args)
    with connect(args.destination, args.data_dir) as con:
        text, listed = render(which, args.format, con)
    print(text)
    return 1 if args.exit_code and listed else EXIT_OK


def _status(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from pipelines.present.query import connect
    from pipelines.present.status import read_status, status_json
    from pipelines.present.timespec import parse_duration

    max_age = parse_duration(args.max_age, "--max-age")
    with connect(args.destination, args.data_dir) as con:
        status = read_status(con, max_age, datetime.now(UTC))
    print(status_json(status) if args.json else status.reason)
    return EXIT_OK if status.healthy else 1


def _replica(args: argparse.Namespace) -> int:
    from pipelines.replica.server import run

    return run(args)


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


@contextlib.contextmanager
def _signals_interrupt(command: str) -> Iterator[None]:
    """SIGINT and SIGTERM (cron, systemd, Ctrl-C) raise Interrupted in the main thread: the
    load stops where it is, keeps the previous data and exits 130 / 143 with one line. The
    replica (uvicorn) handles its own signals."""
    if command == "replica" or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _raise_interrupted) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


COMMANDS = {
    "load": _load,
    "query": _query,
    "report": _report,
    "cost": _cost,
    "changes": _changes,
    "status": _status,
    "replica": _replica,
}


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    command = next((w for w in words if not w.startswith("-")), None)
    Parser.stamp_errors = command == "load" and not is_terminal(sys.stderr)
    try:
        args = build_parser().parse_args(argv)
    finally:
        Parser.stamp_errors = False
    # a load's lines carry their time when they go to a file (cron); other commands' do not
    timed = args.command == "load" and not is_terminal(sys.stderr)
    handlers = setup_logging(sys.stderr, verbose=args.verbose, timed=timed)

    def say(line: str) -> None:
        close_logging(handlers)  # a progress bar ends before the last line
        print(stamped(line, sys.stderr) if timed else line, file=sys.stderr)

    try:
        resolve_environment(args)
        with _signals_interrupt(args.command):
            return COMMANDS[args.command](args)
    except IomodelsError as exc:
        say(f"iomodels: error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt as exc:
        say("iomodels: interrupted")
        return 128 + (exc.signum if isinstance(exc, Interrupted) else signal.SIGINT)
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # still one line, never a traceback (and never the key)
        say(f"iomodels: unexpected error: {one_line(exc)}")
        return 1
    finally:
        close_logging(handlers)
        gc.unfreeze()  # main may run again in this process (tests): its objects are collectable
