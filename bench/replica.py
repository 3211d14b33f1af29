"""The local replica of the API, as a subprocess that every contender of a scenario shares."""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import IO

import requests
from measure import ROOT, python

LISTENING_PREFIX = "replica listening on "
START_TIMEOUT_S = 30.0
MODELS_PATH = "/api/v1/models"
PAGE_SIZE = 100  # what every contender asks for


class ReplicaError(RuntimeError):
    """The replica did not start."""


def _await_listening(stdout: IO[str], found: list[str], ready: threading.Event) -> None:
    for line in stdout:  # drains stdout until exit, so the replica never blocks on a pipe
        if line.startswith(LISTENING_PREFIX) and not found:
            found.append(line.removeprefix(LISTENING_PREFIX).strip())
            ready.set()
    ready.set()


def replica_argv(models: int | None, latency_s: float) -> list[str]:
    argv = [python(), "-m", "pipelines.replica", "--port", "0"]
    if models is not None:
        argv += ["--synthetic", str(models)]
    if latency_s > 0:
        argv += ["--latency", f"{latency_s:g}"]
    return argv


@contextlib.contextmanager
def serving(models: int | None, latency_s: float) -> Iterator[str]:
    """Start the replica (synthetic catalogue of `models`, or the bundled one); yield its URL."""
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            replica_argv(models, latency_s),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
        assert proc.stdout is not None
        found: list[str] = []
        ready = threading.Event()
        reader = threading.Thread(
            target=_await_listening, args=(proc.stdout, found, ready), daemon=True
        )
        reader.start()
        try:
            if not ready.wait(START_TIMEOUT_S) or not found:
                err.seek(0)
                raise ReplicaError(f"the replica did not start: {err.read().strip()[-500:]}")
            yield found[0]
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            reader.join(timeout=5)


def warm(url: str, total: int, workers: int = 8) -> None:
    """Read every page once, unmeasured: the replica keeps each generated row's JSON text once
    served (pipelines/replica/rendering.py), as a real server has its catalogue at hand, so no
    contender pays for generating the catalogue, nor does the order of the contenders matter."""
    pages = range(1, -(-total // PAGE_SIZE) + 1)
    with requests.Session() as session, ThreadPoolExecutor(max_workers=workers) as pool:

        def read(page: int) -> None:
            params = {"page": page, "page_size": PAGE_SIZE}
            session.get(f"{url}{MODELS_PATH}", params=params, timeout=60).raise_for_status()

        list(pool.map(read, pages))


def catalogue_size(url: str) -> int:
    """How many models the server says its catalogue holds: what every contender must load."""
    response = requests.get(f"{url}{MODELS_PATH}", params={"page": 1, "page_size": 1}, timeout=30)
    response.raise_for_status()
    return int(response.json()["pagination"]["total"])
