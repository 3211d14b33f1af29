"""The `iomodels` command line: load, query, report, replica.

Heavy modules are imported inside the commands that need them: `query` and `report` must start
fast and never import dlt.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

from pipelines.config import resolve_environment
from pipelines.errors import IomodelsError, scrub
from pipelines.options import build_parser
from pipelines.settings import EXIT_OK


def _load(args: argparse.Namespace) -> int:
    from pipelines.config import load_config
    from pipelines.present.summary import load_summary
    from pipelines.store.load import run_load

    config = load_config(args)
    started = time.monotonic()
    result = run_load(config)
    print(load_summary(result, time.monotonic() - started, as_json=args.json))
    return EXIT_OK


def _query(args: argparse.Namespace) -> int:
    from pipelines.present.query import FORMATTERS, connect, run_query

    with connect(args.destination, args.data_dir) as con:
        columns, rows = run_query(con, args.sql)
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


def _replica(args: argparse.Namespace) -> int:
    from pipelines.replica.server import run

    return run(args)


COMMANDS = {
    "load": _load,
    "query": _query,
    "report": _report,
    "cost": _cost,
    "replica": _replica,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="iomodels: %(message)s",
        stream=sys.stderr,
    )
    try:
        resolve_environment(args)
        return COMMANDS[args.command](args)
    except IomodelsError as exc:
        print(f"iomodels: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("iomodels: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # still one line, never a traceback (and never the key)
        print(
            f"iomodels: unexpected error: {scrub(f'{type(exc).__name__}: {exc}')}", file=sys.stderr
        )
        return 1
