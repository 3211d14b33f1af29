"""The workload cost macro (DuckDB) and function (PostgreSQL) are one body in two wrappers:
checked on the files, so the engines cannot drift apart."""

from __future__ import annotations

import re

from pipelines.present.workload import COST_COLUMNS
from pipelines.store.views import sql_dir


def body(engine: str) -> str:
    """The query of analytics.workload_cost_at, comments dropped and spaces collapsed."""
    text = re.sub(
        r"--[^\n]*", "", (sql_dir() / "engine" / engine / "workload_cost_at.sql").read_text()
    )
    query = text[text.index("with workload as") :]
    query = query.split("$$")[0]  # postgres: the function body ends at its dollar quote
    return " ".join(query.split())


def test_both_engines_run_the_same_query() -> None:
    assert body("duckdb") == body("postgres")


def test_the_postgres_function_returns_the_macros_columns() -> None:
    for name in ("workload_cost_at", "workload_cost"):
        text = (sql_dir() / "engine" / "postgres" / f"{name}.sql").read_text()
        declared = re.search(r"returns table \((.*?)\)\s*language", text, re.S)
        assert declared, name
        columns = [c.split()[0] for c in declared.group(1).split(",")]
        assert columns == [c.strip() for c in COST_COLUMNS.split(",")], name


def test_ties_are_broken_in_byte_order_on_both_engines() -> None:
    # a database's locale would otherwise sort "Qwen/..." after "mistralai/..." on postgres
    assert 'name collate "C"' in body("duckdb")
