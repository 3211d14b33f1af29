"""Run one command in its own process and measure it: wall time, peak RSS, exit code, output.

Peak RSS comes from `os.wait4`: the kernel's high-water mark of the child's resident set
(`ru_maxrss`, KiB on Linux), so each contender is charged for its own memory only.
"""

from __future__ import annotations

import hashlib
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"


def python() -> str:
    """The project's interpreter, so every contender runs with the same packages."""
    return str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable


def child_env(**extra: str) -> dict[str, str]:
    """The environment of every contender: the caller's, dlt telemetry off, plus `extra`."""
    env = dict(os.environ)
    env["RUNTIME__DLTHUB_TELEMETRY"] = "false"
    env.update(extra)
    return env


def private_bytecode_cache(prefix: Path) -> str:
    """Let every child cache byte code under `prefix` (and nowhere else); says what was done.

    With PYTHONDONTWRITEBYTECODE set and no .pyc files installed, every process would compile
    dlt and the rest from source again (about 2 s here), which no installed tool pays after its
    first run. A private PYTHONPYCACHEPREFIX gives a normal warm cache without writing into the
    project or the venv.
    """
    before = "PYTHONDONTWRITEBYTECODE=1" if os.environ.get("PYTHONDONTWRITEBYTECODE") else ""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(prefix)
    note = "private PYTHONPYCACHEPREFIX, warmed by one unmeasured run of each contender"
    return f"{note} (the environment had {before})" if before else note


def bytecode_as_is() -> str:
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return "none: PYTHONDONTWRITEBYTECODE is set, every process compiles from source (--cold)"
    return "as the environment has it (--cold)"


def machine_busy_s() -> float:
    """CPU seconds the whole machine has spent busy since boot (all CPUs, from /proc/stat)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Measured:
    argv: list[str]
    wall_s: float
    peak_rss_mib: float
    cpu_s: float  # the process's own user + system time
    machine_busy_pct: float  # the whole machine's CPU use during the run, % of all CPUs
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def failure(self) -> str:
        """One line saying why the process failed."""
        if self.timed_out:
            return f"timed out after {self.wall_s:.0f} s"
        lines = [line for line in self.stderr.strip().splitlines() if line.strip()]
        last = lines[-1] if lines else "(no stderr)"
        return f"exit {self.returncode}: {last[:200]}"


def measure(
    argv: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
    timeout_s: float = 600.0,
) -> Measured:
    """Run `argv` to completion (killed after `timeout_s`) and measure it."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        expired = threading.Event()
        busy_before = machine_busy_s()
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env, cwd=cwd)

        def kill() -> None:
            expired.set()
            proc.kill()

        timer = threading.Timer(timeout_s, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
        busy = machine_busy_s() - busy_before
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait again
        out.seek(0)
        err.seek(0)
        return Measured(
            argv=argv,
            wall_s=wall,
            peak_rss_mib=usage.ru_maxrss / 1024,
            cpu_s=usage.ru_utime + usage.ru_stime,
            machine_busy_pct=100 * busy / (wall * len(os.sched_getaffinity(0))) if wall else 0.0,
            returncode=proc.returncode,
            stdout=out.read(),
            stderr=err.read(),
            timed_out=expired.is_set(),
        )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_total_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def sources_fingerprint() -> str:
    """A short hash of iomodels' code and SQL, to tell which version of the tree was measured."""
    digest = hashlib.sha256()
    for path in sorted([*ROOT.glob("pipelines/**/*.py"), *ROOT.glob("sql/**/*.sql")]):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    probe = subprocess.run(
        [python(), "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
        check=False,
    )
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": _cpu_model(),
        "memory_gib": _mem_total_gib(),
        "kernel": platform.release(),
        "load_average_start": round(os.getloadavg()[0], 2),
        "python": probe.stdout.strip() or platform.python_version(),
        "dlt": _version("dlt"),
        "duckdb": _version("duckdb"),
        "pyarrow": _version("pyarrow"),
        "requests": _version("requests"),
        "iomodels_sources": sources_fingerprint(),
    }
