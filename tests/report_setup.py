"""The data both report test modules read: two real loads, made once per session."""

from __future__ import annotations

import copy
import shutil
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import CATALOGUE, CATALOGUE_NEXT, iomodels, load_catalogue, write_catalogue
from tests.replica_process import running_replica

DB = "io_models.duckdb"
EVIL_NAME = "evil/<script>alert(1)</script>"
EVIL_DEVELOPER = 'Evil <Corp> & "Sons" [red]'  # HTML and rich markup: both shown verbatim


def with_evil_model(
    models: list[dict[str, Any]], input_price: str, chat_quota: int = 5_000_000
) -> list[dict[str, Any]]:
    """The catalogue plus one ModelData row whose name and developer are HTML and markup."""
    evil = copy.deepcopy(models[0])
    evil.update(
        model_id="e0e0e0e0-0000-4000-8000-00000000e0e0",
        name=EVIL_NAME,
        status="active",
        chat_daily_quota_tier_1=chat_quota,
    )
    evil["metadata"].update(
        developer=EVIL_DEVELOPER,
        input_token_price=input_price,
        output_token_price="0.3",
        tags=["<b>tag</b>"],
    )
    return [*models, evil]


def loaded_twice(factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(data dir after two loads, data dir holding a copy of the first load only), made once
    per test session: the bundled catalogue plus a model named in HTML, then the bundled next
    catalogue (prices changed, models added, retired and removed) with that model re-priced
    and its daily chat quota cut from 5,000,000 to 4,000,000 tokens."""
    base = factory.getbasetemp() / "report-loads"
    data, first = base / "data", base / "first"
    if (base / "done").exists():
        return data, first
    first.mkdir(parents=True)
    catalogue = base / "catalogue.json"
    write_catalogue(catalogue, with_evil_model(load_catalogue(CATALOGUE), "0.07"))
    with running_replica("--catalogue", str(catalogue)) as url:
        done = iomodels("load", "--base-url", url, "--data-dir", str(data))
        assert done.returncode == 0, done.stderr
        shutil.copyfile(data / DB, first / DB)
        second = with_evil_model(load_catalogue(CATALOGUE_NEXT), "0.06", 4_000_000)
        write_catalogue(catalogue, second)
        # the reports show times to the second: the two loads must not share one
        time.sleep(1.05 - time.time() % 1)
        done = iomodels("load", "--base-url", url, "--data-dir", str(data))
        assert done.returncode == 0, done.stderr
    (base / "done").touch()
    return data, first


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
