"""The SQL's layering and dialect, checked on the files (no load): staging views are the only
readers of raw tables, marts read staging or marts, the order comes from the dependencies, and
the views use only SQL that DuckDB and PostgreSQL share."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.store.views import ENGINES, SqlFile, creation_order, parse, sql_files

FILES = {engine: sql_files(engine) for engine in ENGINES}
SHARED = [f for f in FILES["duckdb"] if f.layer != "engine"]

# DuckDB-only spellings that PostgreSQL rejects (or reads differently)
NOT_PORTABLE = {
    r"\bexclude\s*\(": "explicit column lists",
    r"\btry_cast\b": "analytics_staging.price_decimal (an engine helper)",
    r"\bgroup\s+by\s+all\b": "group by 1, 2 or the columns",
    r"\bfirst\s*\(": "row_number() and a filter",
    r"\bmedian\s*\(": "percentile_cont(0.5) within group (order by x)",
    r"\barg_(max|min)\s*\(": "row_number() and a filter",
    r"\bqualify\b": "a window in a cte and a where",
    r"\bepoch\s*\(": "extract(epoch from ...)",
    r"\bdouble\b(?!\s+precision)": "double precision",
    r"::": "cast(x as type)",
}


def code(f: SqlFile) -> str:
    return re.sub(r"--[^\n]*", "", f.path.read_text()).lower()


def test_every_engine_defines_the_same_objects() -> None:
    created = {engine: {f.creates for f in files} for engine, files in FILES.items()}
    assert created["duckdb"] == created["postgres"]


@pytest.mark.parametrize("f", SHARED, ids=lambda f: f.path.name)
def test_layers(f: SqlFile) -> None:
    reads_raw = "io_intelligence." in code(f)
    if f.layer == "staging":
        assert f.creates.startswith("analytics_staging.stg_")
        assert reads_raw, "a staging view reads a raw table"
        assert all(name.startswith("analytics_staging.") for name in f.reads)
    else:
        assert f.layer == "marts"
        assert f.creates.startswith("analytics.")
        assert not reads_raw, "marts read staging views or other marts, never raw tables"
    assert f.creates.split(".")[1] == f.path.stem, "one object per file, named like the file"


@pytest.mark.parametrize("f", SHARED, ids=lambda f: f.path.name)
def test_portable_sql(f: SqlFile) -> None:
    text = code(f)
    for pattern, instead in NOT_PORTABLE.items():
        assert not re.search(pattern, text), f"{f.path.name}: use {instead}"


def _enclosing_paren_prefix(text: str, at: int) -> str | None:
    """The text before the parenthesis that encloses position `at` (None at top level)."""
    depth = 0
    for i in range(at - 1, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            if depth == 0:
                return text[:i].rstrip()
            depth -= 1
    return None


@pytest.mark.parametrize("f", [f for fs in FILES.values() for f in fs], ids=lambda f: str(f.path))
def test_no_order_by_in_views(f: SqlFile) -> None:
    """Ordering belongs to queries: `order by` only inside a window or `within group`."""
    text = code(f)
    for match in re.finditer(r"\border\s+by\b", text):
        prefix = _enclosing_paren_prefix(text, match.start())
        assert prefix is not None, f"{f.path.name}: order by in a view"
        assert re.search(r"(\bover|\bwithin\s+group|\bwindow\s+\w+\s+as)$", prefix), f.path.name


def test_order_comes_from_dependencies(tmp_path: Path) -> None:
    (tmp_path / "b.sql").write_text("create or replace view analytics.b as select 1 as x")
    (tmp_path / "a.sql").write_text(
        "-- reads analytics.nothing in a comment only\n"
        "create or replace view analytics.a as select x from analytics.b"
    )
    files = [parse(tmp_path / "a.sql"), parse(tmp_path / "b.sql")]
    assert [f.creates for f in creation_order(files)] == ["analytics.b", "analytics.a"]
    (tmp_path / "b.sql").write_text(
        "create or replace view analytics.b as select * from analytics.a"
    )
    with pytest.raises(ValueError, match="cycle"):
        creation_order([parse(tmp_path / "a.sql"), parse(tmp_path / "b.sql")])
    with pytest.raises(ValueError, match="no file creates"):
        creation_order([parse(tmp_path / "a.sql")])


def test_views_are_created_after_what_they_read() -> None:
    for files in FILES.values():
        seen: set[str] = set()
        for f in creation_order(files):
            assert f.reads <= seen, f.path.name
            seen.add(f.creates)
