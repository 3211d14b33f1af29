"""`python -m pipelines.replica`: run the local replica of the IO Intelligence models API."""

from __future__ import annotations

import argparse

from pipelines.replica.server import add_arguments, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.replica",
        description="Serve a local replica of GET /api/v1/models on 127.0.0.1.",
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
