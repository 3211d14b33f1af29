"""A DuckDB file's views are made again only when their SQL or the raw tables changed: an
unchanged load keeps them, and anything else (a view replaced by hand, a column dlt added)
makes the next load make them all again, with the same rows as ever."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import duckdb
import pytest

from pipelines.settings import DATASET, DUCKDB_FILE
from pipelines.store.targets.duckdb_views import KEY_PREFIX, views_key
from tests.conftest import load_catalogue


@pytest.fixture
def destination() -> str:
    return "duckdb"


def _keeper_and_comment(path: Path) -> tuple[str, str | None]:
    with duckdb.connect(str(path), read_only=True) as con:
        keeper, _ = views_key(con)
        schema, name = keeper.split(".")
        row = con.execute(
            "select comment from duckdb_views() where schema_name = ? and view_name = ?",
            [schema, name],
        ).fetchone()
    return keeper, (row[0] if row else None)


def _model_ids(path: Path) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute("select model_id from analytics.models order by 1").fetchall()
    return [r[0] for r in rows]


def test_an_unchanged_load_keeps_the_views_and_a_changed_file_remakes_them(
    replica: str, load: Callable[..., CompletedProcess[str]], data_dir: Path
) -> None:
    published = data_dir / DUCKDB_FILE
    expected_ids = sorted(m["model_id"] for m in load_catalogue())
    load(replica)
    keeper, key = _keeper_and_comment(published)
    assert key is not None and key.startswith(KEY_PREFIX)
    assert _model_ids(published) == expected_ids

    # A view of the models that says so, carrying the current key: an unchanged load keeps it,
    # so it was not made again.
    with duckdb.connect(str(published)) as con:
        con.execute("create or replace view analytics.models as select 'kept' as model_id")
        con.execute("comment on view analytics.models is 'hand-made'")
    load(replica)
    assert _model_ids(published) == ["kept"]

    # The key's view replaced by hand: its comment is gone, so the next load remakes them all.
    with duckdb.connect(str(published)) as con:
        sql = con.execute(
            "select sql from duckdb_views() where schema_name || '.' || view_name = ?", [keeper]
        ).fetchone()
        assert sql is not None
        con.execute(str(sql[0]).replace("CREATE VIEW", "CREATE OR REPLACE VIEW", 1))
    assert _keeper_and_comment(published)[1] is None
    load(replica)
    assert _keeper_and_comment(published) == (keeper, key)
    assert _model_ids(published) == expected_ids


def test_a_column_added_to_a_raw_table_remakes_the_views(
    replica: str, load: Callable[..., CompletedProcess[str]], data_dir: Path
) -> None:
    published = data_dir / DUCKDB_FILE
    load(replica)
    _, key = _keeper_and_comment(published)
    with duckdb.connect(str(published)) as con:
        con.execute(f"alter table {DATASET}.load_runs add column noted_by varchar")
        # a stale models view, with the old key still in place: only the new column tells
        con.execute("create or replace view analytics.models as select 'stale' as model_id")
    load(replica)
    _, new_key = _keeper_and_comment(published)
    assert new_key is not None and new_key != key
    assert len(_model_ids(published)) == len(load_catalogue())
    with duckdb.connect(str(published), read_only=True) as con:
        runs = con.execute("select count(*), count(distinct outcome) from analytics.load_runs")
        assert runs.fetchall() == [(2, 1)]
