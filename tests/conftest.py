"""Shared fixtures: a running replica, a temporary data dir, and the CLI run in a subprocess."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.cli import main
from pipelines.present.connect import PostgresConnection
from pipelines.settings import POSTGRES_CREDENTIALS_ENV
from tests import forked
from tests.postgres_server import Server, running_postgres
from tests.replica_process import running_replica
from tests.schedule import (  # noqa: F401  (hooks: how -n shares the tests out)
    pytest_collection_modifyitems,
    pytest_xdist_make_scheduler,
)

BUNDLED = Path(__file__).resolve().parent.parent / "pipelines" / "replica"
CATALOGUE = BUNDLED / "catalogue.json"
CATALOGUE_NEXT = BUNDLED / "catalogue_next.json"

# Fast retries in tests; the policy itself is the same.
TEST_ENV = {"IOMODELS_BACKOFF_S": "0.01", "RUNTIME__DLTHUB_TELEMETRY": "false"}


_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT[\d:.]+Z ", re.MULTILINE)


def untimed(text: str) -> str:
    """A load's output without the UTC time that starts each line off a terminal."""
    return _STAMP.sub("", text)


def load_catalogue(path: Path = CATALOGUE) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(path.read_text())
    return data


def write_catalogue(path: Path, models: list[dict[str, Any]]) -> None:
    """Write-then-rename, as the replica re-reads its file when it changes."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(models, indent=1))
    os.replace(tmp, path)


def iomodels(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120, fresh: bool = False
) -> subprocess.CompletedProcess[str]:
    """The real command line, in its own process: forked from the tests' fork server
    (`tests/forked.py`), or with `fresh` a new interpreter, for tests of what it imports."""
    full_env = {k: v for k, v in os.environ.items() if k != "IOINTELLIGENCE_API_KEY"}
    full_env.update(TEST_ENV)
    full_env.update(env or {})
    if not fresh:
        return forked.run(forked.IOMODELS, args, env=full_env, timeout=timeout)
    return subprocess.run(
        [sys.executable, "-m", "pipelines", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def catalogue_file(tmp_path: Path) -> Path:
    """A private copy of the bundled catalogue that a test may change between loads."""
    path = tmp_path / "catalogue.json"
    shutil.copyfile(CATALOGUE, path)
    return path


@pytest.fixture
def replica(catalogue_file: Path) -> Iterator[str]:
    with running_replica("--catalogue", str(catalogue_file)) as url:
        yield url


# Every storage destination; tests of storage behaviour run on each.
STORAGE = ["duckdb", "parquet", "postgres"]


@pytest.fixture(params=STORAGE)
def destination(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Server]:
    """A real PostgreSQL server for this test process, started only when a test needs it."""
    with running_postgres() as server:
        yield server


@pytest.fixture
def postgres_dsn(destination: str, request: pytest.FixtureRequest) -> str | None:
    """A fresh database of the test server when the destination is Postgres, else None."""
    if destination != "postgres":
        return None
    server: Server = request.getfixturevalue("postgres_server")
    return server.create_database()


def destination_env(dsn: str | None) -> dict[str, str]:
    """The environment that points iomodels at a Postgres database (dlt's variable)."""
    return {POSTGRES_CREDENTIALS_ENV: dsn} if dsn else {}


def iomodels_in_process(*args: str) -> subprocess.CompletedProcess[str]:
    """The same command line in this process: dlt is imported once, so a load takes ~0.3 s.

    Used where a test loads many times; exit codes, locks, crashes and secrets are tested
    through `iomodels` in a real subprocess.
    """
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return subprocess.CompletedProcess(["iomodels", *args], code, out.getvalue(), err.getvalue())


def use_test_environment(env: pytest.MonkeyPatch, dsn: str | None) -> None:
    """The environment `iomodels()` gives its process: no key, fast retries, the DSN."""
    env.delenv("IOINTELLIGENCE_API_KEY", raising=False)
    for key, value in {**TEST_ENV, **destination_env(dsn)}.items():
        env.setenv(key, value)


@contextlib.contextmanager
def cli_environment(dsn: str | None) -> Iterator[None]:
    """`use_test_environment` for a block, e.g. in a module-scoped fixture."""
    with pytest.MonkeyPatch.context() as env:
        use_test_environment(env, dsn)
        yield


def load_in_process(
    url: str, data_dir: Path, destination: str, *args: str, expect: int = 0
) -> subprocess.CompletedProcess[str]:
    """`iomodels load` in this process and its environment; asserts the exit code."""
    result = iomodels_in_process(
        "load", "--base-url", url, "--data-dir", str(data_dir), "--destination", destination,
        *args,
    )  # fmt: skip
    assert result.returncode == expect, result.stderr
    return result


@pytest.fixture
def load(
    data_dir: Path, destination: str, postgres_dsn: str | None, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """`iomodels load` into the test's data dir and destination; asserts the exit code.
    The test's environment is the one `iomodels()` gives (a test may then set a key)."""
    use_test_environment(monkeypatch, postgres_dsn)

    def run(url: str, *args: str, expect: int = 0) -> subprocess.CompletedProcess[str]:
        return load_in_process(url, data_dir, destination, *args, expect=expect)

    return run


@pytest.fixture(scope="session")
def first_loads() -> dict[str, tuple[Path, str | None]]:
    """In each test process, destination → (data dir, Postgres DSN or None) of one load of the
    bundled catalogue, made once: `loaded_once` copies it."""
    return {}


@pytest.fixture
def loaded_once(  # type: ignore[no-untyped-def]
    destination: str,
    data_dir: Path,
    postgres_dsn: str | None,
    load,
    first_loads: dict[str, tuple[Path, str | None]],
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> Callable[..., list[tuple[Any, ...]]]:
    """The test's data dir (and database) as one `load` of the bundled catalogue leaves them;
    returns its `sql`. A copy (the DuckDB file, the Postgres database by template) of a load
    made once per test process, much cheaper than a load. A Parquet data dir is loaded for
    each test: its views name their bucket's files by absolute path, a copy's the original's."""
    if destination == "parquet":
        load(request.getfixturevalue("replica"))
    else:
        server = request.getfixturevalue("postgres_server") if postgres_dsn else None
        if destination not in first_loads:
            first = tmp_path_factory.mktemp(f"first-load-{destination}")
            first_dsn = server.create_database() if server else None
            with cli_environment(first_dsn), running_replica("--catalogue", str(CATALOGUE)) as url:
                load_in_process(url, first, destination)
            first_loads[destination] = (first, first_dsn)
        first, first_dsn = first_loads[destination]
        shutil.copytree(first, data_dir, dirs_exist_ok=True)
        if server and first_dsn and postgres_dsn:
            server.copy_database(first_dsn, postgres_dsn)
    return connect_sql(data_dir, destination, postgres_dsn)


def connect_sql(
    data_dir: Path, destination: str, dsn: str | None = None
) -> Callable[..., list[tuple[Any, ...]]]:
    """Run SQL on the loaded data the way a BI tool would: a read-only DuckDB connection, or
    a Postgres session (DuckDB's `?` placeholders work on both)."""
    name = "io_models.duckdb" if destination == "duckdb" else "io_models_parquet.duckdb"

    def run(query: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        if destination == "postgres":
            assert dsn, "a Postgres test needs its database's DSN"
            with PostgresConnection.open(dsn) as pg:
                return [tuple(r) for r in pg.execute(query, params or []).fetchall()]
        with duckdb.connect(str(data_dir / name), read_only=True) as con:
            return con.execute(query, params or []).fetchall()

    return run


@pytest.fixture
def sql(
    data_dir: Path, destination: str, postgres_dsn: str | None
) -> Callable[..., list[tuple[Any, ...]]]:
    return connect_sql(data_dir, destination, postgres_dsn)


@pytest.fixture(scope="session")
def loads(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """For the report tests: (data after two loads, a copy of the first load only)."""
    from tests.report_setup import loaded_twice

    return loaded_twice(tmp_path_factory)


@pytest.fixture
def con(loads: tuple[Path, Path]) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(loads[0] / "io_models.duckdb"), read_only=True) as c:
        yield c
