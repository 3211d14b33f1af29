"""Real processes for the tests, forked from a server that has already imported the product.

The suite starts about 200 replicas and 200 `iomodels` commands; in a fresh interpreter each
spends most of its CPU importing (FastAPI and uvicorn for a replica, about 0.3 s; dlt, DuckDB
and pyarrow for a load, about 0.7 s). Each test process therefore keeps one multiprocessing
fork server that imports them once; a process forked from it is a real process (its own pid,
signals, exit code, files, environment and working directory) that runs the same `main(argv)`
as `python -m pipelines` or `python -m pipelines.replica`. Imports only define things: dlt and
iomodels read the environment, the working directory and dlt's secrets when a command runs,
after the fork. Tests of start-up itself (which modules a command imports) and of what a
signal does to a load still start `sys.executable`.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import IO

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Loaded once, in the fork server; a module that fails to import is only re-imported later.
_PRELOAD = [
    "uvicorn",
    "uvicorn.protocols.http.h11_impl",  # what uvicorn.run picks once it runs
    "uvicorn.loops.asyncio",
    "uvicorn.lifespan.off",
    "fastapi",
    "pipelines.replica.app",
    "pipelines.replica.__main__",
    "dlt",
    "duckdb",
    "pyarrow",
    "pyarrow.parquet",
    "pyarrow.compute",
    "pipelines.cli",
    "pipelines.store.load",
    "pipelines.store.source",
    "pipelines.present.summary",
    "pipelines.present.report",
    "tests.forked",
]
_FORKSERVER = multiprocessing.get_context("forkserver")
_FORKSERVER.set_forkserver_preload(_PRELOAD)

REPLICA = "pipelines.replica.__main__"
IOMODELS = "pipelines.cli"


def _run_main(
    module: str, argv: list[str], environ: dict[str, str], cwd: str, stdout: str, stderr: str
) -> None:
    """In the forked process: `module.main(argv)` as `python -m` would run it."""
    for fd, path in ((1, stdout), (2, stderr)):
        file_fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        os.dup2(file_fd, fd)
        os.close(file_fd)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    os.environ.clear()
    os.environ.update(environ)
    os.chdir(cwd)
    main = __import__(module, fromlist=["main"]).main
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code
    finally:
        atexit._run_exitfuncs()  # multiprocessing ends its children with os._exit
    raise SystemExit(code)


class ForkedProcess:
    """`python -m module *argv` forked from the server; stdout and stderr go to temp files."""

    def __init__(
        self,
        module: str,
        argv: Sequence[str],
        env: dict[str, str] | None = None,
        cwd: Path | str = PROJECT_ROOT,
    ) -> None:
        # Files rather than pipes: nobody need drain them while the process runs.
        self._out: IO[str] = tempfile.NamedTemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115
        self._err: IO[str] = tempfile.NamedTemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115
        environ = dict(os.environ if env is None else env)
        self.process: BaseProcess = _FORKSERVER.Process(
            target=_run_main,
            args=(module, list(argv), environ, str(cwd), self._out.name, self._err.name),
            daemon=True,
        )
        self.process.start()

    @staticmethod
    def _read(file: IO[str]) -> str:
        file.seek(0)
        return file.read()

    def stdout(self) -> str:
        return self._read(self._out)

    def stderr(self) -> str:
        return self._read(self._err)

    def is_alive(self) -> bool:
        return self.process.is_alive()

    @property
    def pid(self) -> int:
        assert self.process.pid is not None
        return self.process.pid

    def poll(self) -> int | None:
        """The exit code, or None while it runs (as `Popen.poll`)."""
        return None if self.process.is_alive() else self.process.exitcode

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    @property
    def returncode(self) -> int | None:
        return self.process.exitcode

    def terminate(self) -> None:
        if self.process.is_alive():
            self.process.terminate()

    def wait(self, timeout: float | None) -> int | None:
        """The exit code, SIGKILLing the process if it is still running after `timeout`."""
        self.process.join(timeout=timeout)
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join()
        return self.process.exitcode

    def close(self) -> None:
        self._out.close()
        self._err.close()
        self.process.close()


def run(
    module: str,
    argv: Sequence[str],
    env: dict[str, str] | None = None,
    cwd: Path | str = PROJECT_ROOT,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Like `subprocess.run([python, "-m", module, *argv], capture_output=True, text=True)`."""
    forked = ForkedProcess(module, argv, env, cwd)
    try:
        forked.process.join(timeout=timeout)
        if forked.process.exitcode is None:
            forked.wait(0)
            raise subprocess.TimeoutExpired([module, *argv], timeout)
        return subprocess.CompletedProcess(
            [module, *argv], forked.process.exitcode, forked.stdout(), forked.stderr()
        )
    finally:
        forked.close()
