"""The API key reaches the API and nothing else: no log, error, trace, state or data file."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests import forked
from tests.conftest import CATALOGUE, STORAGE, TEST_ENV, connect_sql, destination_env, untimed
from tests.replica_process import ReplicaOutput, running_replica

KEY = "io-test-key-7c1e4d0a5b7e9a51"


def run(
    args: list[str], cwd: Path, home: Path, key: str | None, extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "IOINTELLIGENCE_API_KEY"}
    env.update(TEST_ENV, HOME=str(home), **(extra or {}))
    if key is not None:
        env["IOINTELLIGENCE_API_KEY"] = key
    return forked.run(forked.IOMODELS, ["-v", *args], env=env, cwd=cwd)


def files_containing(root: Path, needle: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


@pytest.mark.slow
@pytest.mark.parametrize("destination", STORAGE)
@pytest.mark.parametrize("source", ["environment", "secrets.toml"])
def test_key_appears_nowhere(
    tmp_path: Path, destination: str, source: str, request: pytest.FixtureRequest
) -> None:
    """The API key, and on Postgres the database password, from either source."""
    home, data_dir = tmp_path / "home", tmp_path / "data"
    home.mkdir()
    dsn = password = None
    if destination == "postgres":
        server = request.getfixturevalue("postgres_server")
        dsn, password = server.create_database(), server.password
    if source == "secrets.toml":  # dlt's secrets file in the working directory
        (tmp_path / ".dlt").mkdir()
        toml = f'[sources.io_intelligence]\napi_key = "{KEY}"\n'
        if dsn:
            toml += f'[destination.postgres]\ncredentials = "{dsn}"\n'
        (tmp_path / ".dlt" / "secrets.toml").write_text(toml)
    key = KEY if source == "environment" else None
    extra = destination_env(dsn) if source == "environment" else {}
    replica_output = ReplicaOutput()
    outputs = []
    with running_replica(
        "--catalogue", str(CATALOGUE), "--require-key", KEY, output=replica_output
    ) as url:
        base = ["--data-dir", str(data_dir), "--destination", destination]
        good = run(["load", "--base-url", url, *base], tmp_path, home, key, extra)
        assert good.returncode == 0, good.stderr  # the key was sent: the replica requires it
        outputs.append(good)
        outputs.append(run(["report", *base], tmp_path, home, key, extra))
        # error paths: a refused key, and an API that fails, both print and record messages
        wrong = run(["load", "--base-url", url, *base], tmp_path, home, KEY + "-wrong", extra)
        assert wrong.returncode == 3 and "HTTP 403" in wrong.stderr
        outputs.append(wrong)
    dead = run(["load", "--base-url", url, "--retries", "0", *base], tmp_path, home, key, extra)
    assert dead.returncode == 3
    outputs.append(dead)

    for secret in [KEY, *([password] if password else [])]:
        needle = secret.encode()
        for result in outputs:
            assert secret not in result.stdout + result.stderr
        assert secret not in replica_output.text
        assert files_containing(data_dir, needle) == []  # data files, dlt state, traces
        assert files_containing(home, needle) == []  # nothing of ours in the home directory
    assert list(data_dir.rglob("trace.pickle")), "dlt's trace exists and was searched"
    messages = forked.run(
        forked.IOMODELS,
        ["query", "select message from analytics.load_runs", *base, "--format", "csv"],
        env={**os.environ, **(extra or {})},
        cwd=tmp_path,
    )
    assert messages.returncode == 0, messages.stderr
    assert "HTTP 403" in messages.stdout and KEY not in messages.stdout
    if dsn:  # nor in any table of the database
        sql = connect_sql(data_dir, destination, dsn)
        tables = sql(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema like 'io_intelligence%'"
        )
        assert tables
        for schema, table in tables:
            rows = sql(f"select * from {schema}.{table}")
            assert password and password not in repr(rows), table


def test_a_wrong_postgres_password_is_one_line_without_it(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    server = request.getfixturevalue("postgres_server")
    wrong = "not-the-password-5d1c"
    dsn = server.create_database().replace(server.password, wrong)
    home = tmp_path / "home"
    home.mkdir()
    for args in (
        ["load", "--base-url", "http://127.0.0.1:9"],
        ["query", "select 1"],
        ["report"],
    ):
        result = run(
            [*args, "--destination", "postgres", "--data-dir", str(tmp_path / "d")],
            tmp_path,
            home,
            None,
            destination_env(dsn),
        )
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert untimed(lines[-1]).startswith("iomodels: error: cannot connect to"), result.stderr
        assert "password authentication failed" in lines[-1]
        assert wrong not in result.stdout + result.stderr
        assert server.password not in result.stdout + result.stderr
    assert files_containing(tmp_path, wrong.encode()) == []


def test_a_key_that_cannot_be_a_header_is_refused_without_echo(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    bad = KEY + "\nsecond-line"
    result = run(
        ["load", "--base-url", "http://127.0.0.1:9", "--data-dir", str(tmp_path / "d")],
        tmp_path,
        home,
        bad,
    )
    assert result.returncode == 2
    assert untimed(result.stderr).strip().splitlines()[-1] == (
        "iomodels: error: the API key in IOINTELLIGENCE_API_KEY contains spaces, line breaks "
        "or non-ASCII characters"
    )
    assert KEY not in result.stdout + result.stderr
    assert files_containing(tmp_path, KEY.encode()) == []


@pytest.mark.slow
def test_webhook_token_appears_nowhere(tmp_path: Path) -> None:
    """A webhook URL holds a token (Slack, Discord): the load posts to it and shows only the
    host, in output, errors, load_runs, notifications, dlt's state and traces."""
    import copy
    import json

    from tests.conftest import load_catalogue, write_catalogue
    from tests.webhook_receiver import TOKEN, receiver

    home, data_dir = tmp_path / "home", tmp_path / "data"
    home.mkdir()
    catalogue = tmp_path / "catalogue.json"
    models = load_catalogue(CATALOGUE)
    write_catalogue(catalogue, models)
    base = ["--data-dir", str(data_dir)]
    outputs = []
    with running_replica("--catalogue", str(catalogue)) as url, receiver(500) as failing:
        dead = f"http://127.0.0.1:9/hooks/{TOKEN}?token={TOKEN}"
        notify = ["--notify", failing.url, "--notify", dead]
        outputs.append(run(["load", "--base-url", url, *base, *notify], tmp_path, home, None))
        changed = copy.deepcopy(models)
        changed[0]["metadata"]["input_token_price"] = "9.99"
        write_catalogue(catalogue, changed)
        outputs.append(
            run(["load", "--base-url", url, *base, *notify, "--json"], tmp_path, home, None)
        )
        assert len(failing.posts) == 6  # two loads that changed something, three attempts each
    outputs.append(run(["query", "select * from analytics.notifications", *base], tmp_path,
                       home, None))  # fmt: skip
    for result in outputs:
        assert result.returncode == 0, result.stderr
        assert TOKEN not in result.stdout + result.stderr
    assert "http://127.0.0.1:9/…" in outputs[1].stderr
    assert json.loads(outputs[1].stdout)["notifications"][1]["url"] == "http://127.0.0.1:9/…"
    assert files_containing(data_dir, TOKEN.encode()) == []
    assert files_containing(home, TOKEN.encode()) == []
