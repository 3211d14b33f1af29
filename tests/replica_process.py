"""Run the local replica as a real process for tests: `with running_replica(...) as url:`.

The replica runs in its own process (as it does for users), so tests exercise real HTTP on
loopback, real uvicorn behaviour and real signal handling. Pass a `ReplicaOutput` to read what
the process printed once it has exited, e.g. to check a secret never appears in it. Replicas are
forked from the tests' fork server (`tests/forked.py`), which imported FastAPI once.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from tests.forked import PROJECT_ROOT, REPLICA, ForkedProcess

__all__ = [
    "PROJECT_ROOT",
    "ReplicaOutput",
    "ReplicaStartError",
    "running_replica",
    "running_replicas",
]

LISTENING_PREFIX = "replica listening on "
START_TIMEOUT_SECONDS = 15.0
STOP_TIMEOUT_SECONDS = 5.0
_POLL_SECONDS = 0.005


@dataclass
class ReplicaOutput:
    """What the replica process printed, filled in when it has been stopped."""

    stdout: str = ""
    stderr: str = ""
    returncode: int | None = None

    @property
    def text(self) -> str:
        """stdout and stderr together, for "never printed" assertions."""
        return self.stdout + self.stderr


# Replicas told to stop whose exit nobody waits for: uvicorn notices SIGTERM within 0.1 s and
# then shuts down, time a test need not spend waiting. Reaped later (at the latest at exit,
# with the SIGKILL after 5 s that `stop` gives).
_STOPPING: list[ForkedProcess] = []


def _reap(timeout: float | None = None) -> None:
    """Close the stopping replicas that have exited; with `timeout`, wait for all of them."""
    for forked in list(_STOPPING):
        if timeout is not None:
            forked.wait(timeout)
        elif forked.is_alive():
            continue
        _STOPPING.remove(forked)
        forked.close()


atexit.register(_reap, STOP_TIMEOUT_SECONDS)


class ReplicaStartError(RuntimeError):
    """The replica did not announce that it was listening."""


class ReplicaProcess:
    """One replica process: started on construction, stopped by `stop()`."""

    def __init__(self, args: Sequence[str]) -> None:
        self._forked = ForkedProcess(REPLICA, ["--port", "0", *args])

    def wait_until_listening(self, deadline: float) -> str:
        """The base URL once the replica announces it (by `deadline`, a `time.monotonic()`).

        Raises `ReplicaStartError`, with the replica's stderr, if it exits or is too late.
        """
        while True:
            exited = not self._forked.is_alive()  # before reading: a last line is not missed
            for line in self._forked.stdout().splitlines():
                if line.startswith(LISTENING_PREFIX):
                    return line[len(LISTENING_PREFIX) :].strip()
            if exited or time.monotonic() > deadline:
                break
            time.sleep(_POLL_SECONDS)
        code = self._forked.wait(0 if exited else STOP_TIMEOUT_SECONDS)
        reason = f"exited with code {code}" if exited else "did not announce itself in time"
        raise ReplicaStartError(f"replica {reason}: {self._forked.stderr().strip()}")

    def terminate(self) -> None:
        self._forked.terminate()

    def stop(self, output: ReplicaOutput | None = None) -> None:
        """SIGTERM, SIGKILL after 5 s; then fill `output` with what the process printed.
        Without `output`, the replica finishes shutting down while the test goes on."""
        self._forked.terminate()
        if output is None:
            _STOPPING.append(self._forked)
            _reap()
            return
        code = self._forked.wait(STOP_TIMEOUT_SECONDS)
        output.stdout = self._forked.stdout()
        output.stderr = self._forked.stderr()
        output.returncode = code
        self._forked.close()


@contextlib.contextmanager
def running_replicas(
    *arg_lists: Sequence[str], outputs: Sequence[ReplicaOutput] | None = None
) -> Iterator[list[str]]:
    """Start one replica per argument list, all at once; yield their base URLs in order.

    Each may take 15 s to start, per CPU's worth of replicas; all are stopped on exit.
    """
    if outputs is not None and len(outputs) != len(arg_lists):
        raise ValueError("give one ReplicaOutput per argument list")
    # Start-up is CPU-bound (imports): replicas started together on few CPUs take turns.
    batches = max(1.0, len(arg_lists) / (os.cpu_count() or 1))
    deadline = time.monotonic() + START_TIMEOUT_SECONDS * batches
    processes: list[ReplicaProcess] = []
    try:
        processes.extend(ReplicaProcess(args) for args in arg_lists)
        yield [process.wait_until_listening(deadline) for process in processes]
    finally:
        for process in processes:  # signal all first, so they shut down in parallel
            process.terminate()
        for number, process in enumerate(processes):
            process.stop(outputs[number] if outputs is not None else None)


@contextlib.contextmanager
def running_replica(*args: str, output: ReplicaOutput | None = None) -> Iterator[str]:
    """Start `python -m pipelines.replica --port 0 *args`; yield its base URL; stop it after.

    Raises `ReplicaStartError` (with the replica's stderr) if it exits or does not announce
    itself within 15 s. On exit the process gets SIGTERM, and SIGKILL if still alive after 5 s;
    `output`, if given, then holds its stdout, stderr and exit code.
    """
    with running_replicas(args, outputs=None if output is None else [output]) as [base_url]:
        yield base_url
