"""`iomodels status`: exit 0 after a good load, 1 when the last load failed or data is stale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import iomodels


@pytest.mark.slow
@pytest.mark.parametrize("destination", ["duckdb", "parquet"])
def test_status_follows_the_loads(replica: str, data_dir: Path, destination: str) -> None:  # type: ignore[no-untyped-def]
    where = ["--data-dir", str(data_dir), "--destination", destination]
    assert iomodels("status", *where).returncode == 2  # nothing loaded: configuration
    assert iomodels("load", "--base-url", replica, *where).returncode == 0

    ok = iomodels("status", *where)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.startswith("ok: last load ") and "21 models, 21 versions" in ok.stdout
    assert len(ok.stdout.splitlines()) == 1

    stale = iomodels("status", "--max-age", "0s", "--json", *where)
    assert stale.returncode == 1
    doc = json.loads(stale.stdout)
    assert doc["healthy"] is False and doc["outcome"] == "ok" and doc["models"] == 21
    assert doc["reason"].startswith("stale: the last successful load finished ")

    dead = iomodels("load", "--base-url", "http://127.0.0.1:9", "--retries", "0", *where)
    assert dead.returncode == 3
    failed = iomodels("status", *where)
    assert failed.returncode == 1
    assert failed.stdout.startswith("the last load, at ") and "failed (api_error)" in failed.stdout
    assert len(failed.stdout.splitlines()) == 1

    assert iomodels("load", "--base-url", replica, *where).returncode == 0
    assert iomodels("status", "--max-age", "1h", *where).returncode == 0
    bad = iomodels("status", "--max-age", "soon", *where)
    assert bad.returncode == 2 and len(bad.stderr.splitlines()) == 1
