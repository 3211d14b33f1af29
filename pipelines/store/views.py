"""Create the analytics views from the `.sql` files, in the order their dependencies need.

The layers, as in jaffle_shop: `sql/staging/` holds the only views that read the raw tables
(`io_intelligence.*`), in the schema `analytics_staging`; `sql/marts/` holds what users query,
in the schema `analytics`, reading staging views or other marts. `sql/engine/<engine>/` holds
the few helpers whose SQL differs between DuckDB and PostgreSQL (a safe decimal cast, the
as-of macro/function). Each file creates one object; the creation order is a topological sort
of the `analytics.*` and `analytics_staging.*` names each file mentions.

Imports no dlt: it only needs a connection (or cursor) with `execute(sql)`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any, Protocol

_PACKAGE = Path(__file__).resolve().parents[1]  # pipelines/

SCHEMAS = ("analytics_staging", "analytics")  # created before the views, in this order
ENGINES = ("duckdb", "postgres")
LAYERS = ("staging", "marts")

_CREATED = re.compile(
    r"^\s*create\s+(?:or\s+replace\s+)?(?:view|macro|function)\s+"
    r"(analytics(?:_staging)?\.\w+)",
    re.IGNORECASE | re.MULTILINE,
)
_MENTIONED = re.compile(r"(?<![\w.\"])(analytics(?:_staging)?\.\w+)", re.IGNORECASE)
_COMMENT = re.compile(r"--[^\n]*")


class Executes(Protocol):
    def execute(self, sql: str, /) -> Any: ...


@dataclass(frozen=True)
class SqlFile:
    path: Path
    creates: str  # schema.name
    reads: frozenset[str]  # the analytics / analytics_staging names it uses

    @property
    def layer(self) -> str:
        return self.path.parent.name if self.path.parent.parent.name != "engine" else "engine"


def sql_dir() -> Path:
    """`sql/` at the repository root (editable install) or inside the installed package."""
    for candidate in (_PACKAGE.parent / "sql", _PACKAGE / "sql"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the sql/ folder of view definitions is missing")


def parse(path: Path) -> SqlFile:
    text = _COMMENT.sub("", path.read_text()).lower()
    created = _CREATED.findall(text)
    if len(created) != 1:
        raise ValueError(f"{path.name} must create exactly one analytics object")
    reads = frozenset(_MENTIONED.findall(text)) - {created[0]}
    return SqlFile(path, created[0], reads)


def sql_files(engine: str) -> list[SqlFile]:
    """Every file of one engine: its helpers, the staging views and the marts (name order)."""
    root = sql_dir()
    paths = sorted((root / "engine" / engine).glob("*.sql"))
    for layer in LAYERS:
        paths += sorted((root / layer).glob("*.sql"))
    return [parse(p) for p in paths]


def creation_order(files: list[SqlFile]) -> list[SqlFile]:
    """Each file after every file creating a name it reads; fails on unknown names or cycles."""
    by_name = {f.creates: f for f in files}
    graph: dict[str, list[str]] = {}
    for f in files:
        unknown = sorted(f.reads - by_name.keys())
        if unknown:
            raise ValueError(f"{f.path.name} reads {', '.join(unknown)}, which no file creates")
        graph[f.creates] = sorted(f.reads)
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise ValueError(f"the views depend on each other in a cycle: {exc.args[1]}") from None
    return [by_name[name] for name in order]


def view_files(engine: str = "duckdb") -> list[Path]:
    """The `.sql` files of one engine, in creation order."""
    return [f.path for f in creation_order(sql_files(engine))]


def apply_views(con: Executes, engine: str = "duckdb", *, then: Sequence[str] = ()) -> list[str]:
    """(Re)create every analytics object; idempotent. Returns the names created, in order.
    `then`: statements run after them, in the same transaction (a DuckDB file's views key).

    On DuckDB all of them are created in one transaction: one commit writes (and syncs) the
    write-ahead log once instead of once per object, which was most of the step's time on a
    busy disk. (A PostgreSQL caller already runs it inside its publishing transaction.)"""
    in_one_transaction = engine == "duckdb"
    if in_one_transaction:
        con.execute("begin transaction")
    try:
        for schema in SCHEMAS:
            con.execute(f"create schema if not exists {schema}")
        created = []
        for f in creation_order(sql_files(engine)):
            con.execute(f.path.read_text())
            created.append(f.creates)
        for statement in then:
            con.execute(statement)
    except BaseException:
        if in_one_transaction:
            con.execute("rollback")
        raise
    if in_one_transaction:
        con.execute("commit")
    return created
