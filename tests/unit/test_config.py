"""Configuration in one place: options checked by their types, the environment by the same
types, and `scrub` masking whatever secret is in use. Pure: no replica, no subprocess."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines import config, errors, options
from pipelines.options import build_parser


def _parse(*argv: str) -> argparse.Namespace:
    return config.resolve_environment(build_parser().parse_args(list(argv)))


def test_unset_options_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOMODELS_DESTINATION", "parquet")
    monkeypatch.setenv("IOMODELS_DATA_DIR", "/srv/iomodels")
    monkeypatch.setenv("IOMODELS_WORKERS", "8")
    monkeypatch.setenv("IOMODELS_BASE_URL", "http://127.0.0.1:8765")
    args = _parse("load")
    assert (args.destination, args.data_dir, args.workers) == ("parquet", Path("/srv/iomodels"), 8)
    assert args.base_url == "http://127.0.0.1:8765"
    # a flag wins over the environment
    assert _parse("load", "--workers", "2", "--destination", "duckdb").workers == 2


def test_defaults_without_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("IOMODELS_DESTINATION", "IOMODELS_DATA_DIR", "IOMODELS_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    args = _parse("query", "select 1")
    assert (args.destination, args.data_dir) == ("duckdb", Path("data"))


@pytest.mark.parametrize(
    ("env", "value", "message"),
    [
        ("IOMODELS_DESTINATION", "Parquet", "IOMODELS_DESTINATION must be duckdb"),
        ("IOMODELS_WORKERS", "four", "IOMODELS_WORKERS must be a whole number between 1 and 32"),
        ("IOMODELS_WORKERS", "99", "IOMODELS_WORKERS must be between 1 and 32, not 99"),
        ("IOMODELS_BASE_URL", "ftp://x", "IOMODELS_BASE_URL must be an http(s) URL"),
    ],
)
def test_a_bad_environment_value_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, env: str, value: str, message: str
) -> None:
    monkeypatch.setenv(env, value)
    with pytest.raises(errors.UsageError, match=re.escape(message)):
        _parse("load")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--timeout", "0"], "--timeout must be more than 0 seconds, not 0"),
        (["--lock-wait", "-1"], "--lock-wait must be 0 or more seconds, not -1"),
        (["--page-size", "101"], "--page-size must be between 1 and 100, not 101"),
        (["--destination", "sqlite"], "--destination must be duckdb"),
    ],
)
def test_a_bad_option_is_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["load", *argv])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert err.splitlines() == [f"iomodels: error: {err.split('error: ', 1)[1].strip()}"]
    assert message in err


def test_scrub_masks_a_key_read_from_dlt_secrets(tmp_path: Path) -> None:
    """The last line of defence covers the key wherever it came from, not only the env.

    In its own process: dlt caches the secrets it read, which would leak into other tests."""
    (tmp_path / ".dlt").mkdir()
    (tmp_path / ".dlt" / "secrets.toml").write_text(
        '[sources.io_intelligence]\napi_key = "io-secret-from-toml-123"\n'
    )
    code = (
        "from pipelines import config, errors\n"
        "assert config.api_key_from_environment() is not None\n"
        "print(errors.scrub('boom: Bearer io-secret-from-toml-123 failed'))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "IOINTELLIGENCE_API_KEY"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "boom: Bearer *** failed"


@pytest.mark.parametrize("value", ["512MB", "2GB", "1.5GiB", " 300 mb "])
def test_duckdb_memory_takes_duckdb_sizes(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("IOMODELS_DUCKDB_MEMORY", value)
    assert config._duckdb_memory() == value.strip()


@pytest.mark.parametrize("value", ["lots", "512 megabytes", "-1GB", "1e9", "1000000"])
def test_duckdb_memory_rejects_what_duckdb_would_not_read(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("IOMODELS_DUCKDB_MEMORY", value)
    with pytest.raises(errors.UsageError, match="IOMODELS_DUCKDB_MEMORY must be a size like"):
        config._duckdb_memory()


def test_duckdb_memory_defaults_to_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IOMODELS_DUCKDB_MEMORY", raising=False)
    assert config._duckdb_memory() == "96MB"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://bob:hunter2@example.com", "must be an http(s) URL, not 'ftp://***@example.com'"),
        ("http://bob:hunter2@127.0.0.1:99999", "has a port out of range (1-65535): 'http://***@"),
    ],
)
def test_a_bad_base_url_is_named_without_its_password(url: str, message: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError) as caught:
        options.http_url(url)
    assert message in str(caught.value)
    assert "hunter2" not in str(caught.value)
