"""The replica's command-line options and how they map to a `Faults` and a catalogue source.

Kept free of heavy imports: the main CLI adds these options to its parser for every command.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from pipelines.replica.catalogue import BUNDLED_CATALOGUE, CatalogueSource
from pipelines.replica.faults import SHIFT_MODES, Faults, ShiftMode

HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def _count(text: str) -> int:
    value = _whole_number(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _positive(text: str) -> int:
    value = _whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _port(text: str) -> int:
    value = _whole_number(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be between 0 and 65535")
    return value


def _seconds(text: str) -> float:
    value = _number(text)
    if not value >= 0:  # also rejects NaN
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _probability(text: str) -> float:
    value = _number(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def _error_status(text: str) -> int:
    value = _whole_number(text)
    if not 400 <= value <= 599:
        raise argparse.ArgumentTypeError("must be an HTTP error status (400-599)")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the replica's options to `parser` (for `iomodels replica`)."""
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        metavar="PORT",
        help=f"port on {HOST} to serve on (default {DEFAULT_PORT}; 0 picks a free port)",
    )
    served = parser.add_mutually_exclusive_group()
    served.add_argument(
        "--catalogue",
        type=Path,
        default=None,
        metavar="FILE",
        help="catalogue JSON file to serve (a list of ModelData objects; default: the bundled "
        "catalogue); re-read whenever the file changes",
    )
    served.add_argument(
        "--synthetic",
        type=_count,
        default=None,
        metavar="N",
        help="serve N generated models instead of a catalogue file (deterministic)",
    )
    parser.add_argument(
        "--synthetic-style",
        choices=("realistic", "longtail"),
        default="realistic",
        help="realistic: full rows of real length from a dozen developers (default); "
        "longtail: sparse rows from thousands of developers",
    )
    faults = parser.add_argument_group("fault injection (all off by default)")
    faults.add_argument(
        "--latency",
        type=_seconds,
        default=0.0,
        metavar="S",
        help="every request waits S seconds before it is answered",
    )
    faults.add_argument(
        "--fail-first",
        type=_count,
        default=0,
        metavar="N",
        help="answer the first N requests with --fail-status",
    )
    faults.add_argument(
        "--fail-rate",
        type=_probability,
        default=0.0,
        metavar="P",
        help="after --fail-first, fail each request with probability P (see --seed)",
    )
    faults.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed for --fail-rate: the same seed fails the same requests (default 0)",
    )
    faults.add_argument(
        "--fail-status",
        type=_error_status,
        default=503,
        metavar="CODE",
        help="HTTP status of injected failures (default 503)",
    )
    faults.add_argument(
        "--rate-limit",
        type=_positive,
        default=None,
        metavar="N",
        help="admit at most N requests per second; others get 429 with 'Retry-After: 1'",
    )
    faults.add_argument(
        "--truncate",
        type=_count,
        default=0,
        metavar="N",
        help="cut the JSON body of the first N successful responses in half",
    )
    faults.add_argument(
        "--shift-catalogue",
        choices=SHIFT_MODES,
        default=None,
        help="insert a new model at the front when a pagination moves past page 1: during "
        "the first pagination only (once) or every pagination (always); swap: once, the first "
        "model leaves and a new one is added at the end, so the total stays the same",
    )
    faults.add_argument(
        "--require-key",
        # also from the environment, so the key need not show in the process list
        default=os.environ.get("IOMODELS_REPLICA_KEY") or None,
        metavar="KEY",
        help="require 'Authorization: Bearer KEY' (401 if missing, 403 if different; env "
        "IOMODELS_REPLICA_KEY); the key is never printed",
    )
    faults.add_argument(
        "--bad-rows",
        action="store_true",
        help="append malformed rows (missing/invalid ids, bad prices, tags as a string, ...)",
    )
    faults.add_argument(
        "--drift",
        action="store_true",
        help="add fields the spec does not list to every model (region, metadata.modalities, "
        "metadata.max_output_tokens)",
    )
    faults.add_argument(
        "--live-shape",
        "--openai-shape",  # its old name, kept working
        dest="live_shape",
        action="store_true",
        help="answer as the live endpoint does: an OpenAI/vLLM-style list of the active models "
        "(owned_by 'vllm', prices as floats in USD per token, max_model_len, precision, "
        "daily latency and throughput), no pagination",
    )
    faults.add_argument(
        "--perf-seed",
        type=int,
        default=None,
        metavar="N",
        help="with --live-shape: seed of the performance figures (they also move with the day)",
    )
    faults.add_argument(
        "--keyed-models",
        type=_count,
        default=None,
        metavar="N",
        help="a request that sends a key (Authorization: Bearer ...) sees only the first N "
        "models, as an access tier would",
    )
    faults.add_argument(
        "--endless",
        action="store_true",
        help="has_next is always true; pages past the end repeat the last page",
    )
    faults.add_argument(
        "--repeat-page", action="store_true", help="page 2 returns the rows of page 1"
    )


def faults_from_args(args: argparse.Namespace) -> Faults:
    """The `Faults` selected by parsed command-line options."""
    shift: ShiftMode | None = args.shift_catalogue
    return Faults(
        latency_seconds=args.latency,
        fail_first=args.fail_first,
        fail_rate=args.fail_rate,
        seed=args.seed,
        fail_status=args.fail_status,
        rate_limit=args.rate_limit,
        truncate_first=args.truncate,
        shift_catalogue=shift,
        require_key=args.require_key,
        bad_rows=args.bad_rows,
        drift=args.drift,
        live_shape=args.live_shape,
        perf_seed=args.perf_seed,
        keyed_models=args.keyed_models,
        endless=args.endless,
        repeat_page=args.repeat_page,
    )


def source_from_args(args: argparse.Namespace) -> CatalogueSource:
    """The catalogue source selected by parsed command-line options."""
    if args.synthetic is not None:
        from pipelines.replica.synthetic import SyntheticCatalogueSource

        return SyntheticCatalogueSource(args.synthetic, args.synthetic_style)
    from pipelines.replica.catalogue import FileCatalogueSource

    return FileCatalogueSource(args.catalogue or BUNDLED_CATALOGUE)
