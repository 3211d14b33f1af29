"""Run the local replica as a real subprocess for tests: `with running_replica(...) as url:`.

The replica runs in its own process (as it does for users), so tests exercise real HTTP on
loopback, real uvicorn behaviour and real signal handling. Pass a `ReplicaOutput` to read what
the process printed once it has exited, e.g. to check a secret never appears in it.

Starting a replica costs about 0.7 s, almost all of it importing FastAPI; `running_replicas`
starts several at once so that a test module with many configurations pays that in parallel.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LISTENING_PREFIX = "replica listening on "
START_TIMEOUT_SECONDS = 15.0
STOP_TIMEOUT_SECONDS = 5.0


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


class ReplicaStartError(RuntimeError):
    """The replica did not announce that it was listening."""


class ReplicaProcess:
    """One replica subprocess: started on construction, stopped by `stop()`."""

    def __init__(self, args: Sequence[str]) -> None:
        self._lines: list[str] = []
        self._announced = threading.Event()
        # stderr goes to a file rather than a pipe: nobody reads it while the replica runs.
        # Closed by stop(), which every path through running_replicas() calls.
        self._stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115
        self._process = subprocess.Popen(
            [sys.executable, "-m", "pipelines.replica", "--port", "0", *args],
            cwd=PROJECT_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
        )
        self._reader = threading.Thread(target=self._collect_stdout, daemon=True)
        self._reader.start()

    def _collect_stdout(self) -> None:
        # Drains stdout until the process exits, so it can never block on a full pipe.
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self._lines.append(line)
            if line.startswith(LISTENING_PREFIX):
                self._announced.set()
        self._announced.set()  # EOF: the process is gone; the waiter sees it never announced

    def _read_stderr(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read()

    def wait_until_listening(self, deadline: float) -> str:
        """The base URL once the replica announces it (by `deadline`, a `time.monotonic()`).

        Raises `ReplicaStartError`, with the replica's stderr, if it exits or is too late.
        """
        self._announced.wait(max(0.0, deadline - time.monotonic()))
        for line in self._lines:
            if line.startswith(LISTENING_PREFIX):
                return line[len(LISTENING_PREFIX) :].strip()
        exited = self._announced.is_set()  # set without the line: stdout hit EOF
        self.terminate()
        self._wait()
        reason = (
            f"exited with code {self._process.returncode}"
            if exited
            else "did not announce itself in time"
        )
        raise ReplicaStartError(f"replica {reason}: {self._read_stderr().strip()}")

    def terminate(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()

    def _wait(self) -> None:
        try:
            self._process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def stop(self, output: ReplicaOutput | None = None) -> None:
        """SIGTERM, SIGKILL after 5 s; then fill `output` with what the process printed."""
        self.terminate()
        self._wait()
        self._reader.join(timeout=STOP_TIMEOUT_SECONDS)
        if output is not None:
            output.stdout = "".join(self._lines)
            output.stderr = self._read_stderr()
            output.returncode = self._process.returncode
        self._stderr.close()


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
