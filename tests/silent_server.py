"""A server on loopback that accepts connections and never answers: an API that hangs.

It counts the connections it accepted, so a test can tell whether a load asked it anything.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class SilentServer:
    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._held: list[socket.socket] = []
        self._accepted = threading.Condition()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def connections(self) -> int:
        with self._accepted:
            return len(self._held)

    def wait_for_connection(self, timeout_s: float) -> bool:
        with self._accepted:
            return self._accepted.wait_for(lambda: self._held, timeout=timeout_s)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:  # closed
                return
            with self._accepted:
                self._held.append(conn)  # held open, never read from nor answered
                self._accepted.notify_all()

    def close(self) -> None:
        self._listener.close()
        for conn in self._held:
            conn.close()


@contextmanager
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    try:
        yield server
    finally:
        server.close()
