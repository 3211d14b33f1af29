"""A real webhook receiver for tests: an HTTP server on loopback that records every POST.

`answer` is the status it replies with; `hang=True` makes it never answer (until closed), as a
stuck chat service would.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "whk-secret-3f9a1c7e5b2d"


@dataclass
class Receiver:
    url: str
    posts: list[dict[str, Any]] = field(default_factory=list)  # path, content_type, body


@contextlib.contextmanager
def receiver(answer: int = 200, *, hang: bool = False) -> Iterator[Receiver]:
    release = threading.Event()
    got: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            got.append(
                {
                    "path": self.path,
                    "content_type": self.headers.get("Content-Type"),
                    "body": json.loads(body),
                }
            )
            if hang:
                release.wait(60)
                return
            self.send_response(answer)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        yield Receiver(f"http://127.0.0.1:{port}/hooks/{TOKEN}?token={TOKEN}", got)
    finally:
        release.set()
        server.shutdown()
        server.server_close()
