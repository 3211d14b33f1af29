"""Command line of the replica: `iomodels replica ...` and `python -m pipelines.replica ...`.

Heavy imports (FastAPI, uvicorn) happen in `run`, so that adding these options to the main
CLI's parser costs nothing for the other commands.
"""

from __future__ import annotations

import argparse
import signal
import socket
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING, Any

from pipelines.replica.catalogue import CatalogueFileError
from pipelines.replica.options import (
    HOST,
    add_arguments,
    faults_from_args,
    source_from_args,
)

if TYPE_CHECKING:
    import uvicorn

__all__ = ["add_arguments", "run"]

LISTENING_LINE = "replica listening on http://{host}:{port}"
"""Printed once to stdout when the server accepts connections; test helpers wait for it."""


def _listening_socket(port: int) -> socket.socket:
    """Bind before starting uvicorn, so that port 0 resolves to a real port we can announce."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def _announcing_server(config: uvicorn.Config, line: str) -> uvicorn.Server:
    import uvicorn

    class AnnouncingServer(uvicorn.Server):
        """Prints the listening line once uvicorn really accepts connections."""

        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                print(line, flush=True)

    return AnnouncingServer(config)


def run(args: argparse.Namespace) -> int:
    """Serve the replica on 127.0.0.1 until SIGTERM or SIGINT; returns the exit code."""
    try:
        faults = faults_from_args(args)
        source = source_from_args(args)
    except (ValueError, CatalogueFileError) as error:
        print(f"replica: {error}", file=sys.stderr)
        return 2
    try:
        sock = _listening_socket(args.port)
    except OSError as error:
        print(f"replica: cannot listen on {HOST}:{args.port}: {error.strerror}", file=sys.stderr)
        return 2

    import uvicorn

    from pipelines.replica.app import create_app

    config = uvicorn.Config(
        create_app(source, faults),
        log_level="warning",
        access_log=False,  # access lines would carry URLs; headers (the key) are never logged
        lifespan="off",
        timeout_graceful_shutdown=3,
    )
    port = sock.getsockname()[1]
    server = _announcing_server(config, LISTENING_LINE.format(host=HOST, port=port))

    def request_exit(signum: int, frame: FrameType | None) -> None:
        # uvicorn installs its own handlers while serving and, after a graceful shutdown,
        # re-raises the signal to the handler it found: this one, so run() returns 0 instead of
        # the process dying from SIGTERM or raising KeyboardInterrupt.
        server.force_exit = server.should_exit
        server.should_exit = True

    previous: dict[int, Callable[[int, FrameType | None], Any] | int | None] = {}
    # Signal handlers can only be installed from the main thread (uvicorn skips them too).
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, request_exit)
    try:
        server.run(sockets=[sock])
    finally:
        for handled, handler in previous.items():
            signal.signal(handled, handler)
        sock.close()
    return 0
