"""The package layout is a rule: stages import only earlier stages, and only `store` uses dlt.

extract → transform → store → present (the top-level cli, options, config, errors and settings
sit around them). Imports under `if TYPE_CHECKING:` are annotations only and do not count.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "pipelines"
STAGES = ["extract", "transform", "store", "present"]
NO_DLT = {"extract", "transform", "present", "replica"}


def _runtime_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    names = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _modules(stage: str) -> list[Path]:
    return sorted((PACKAGE / stage).rglob("*.py"))


def test_every_module_belongs_to_a_stage_or_the_top_level() -> None:
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == {"__init__", "__main__", "cli", "options", "config", "errors", "settings"}


@pytest.mark.parametrize("stage", STAGES)
def test_a_stage_imports_only_earlier_stages(stage: str) -> None:
    later = STAGES[STAGES.index(stage) + 1 :]
    wrong = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in _modules(stage)
        for name in _runtime_imports(path)
        if any(name == f"pipelines.{s}" or name.startswith(f"pipelines.{s}.") for s in later)
    ]
    assert wrong == []


@pytest.mark.parametrize("stage", sorted(NO_DLT))
def test_only_the_store_imports_dlt(stage: str) -> None:
    wrong = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in _modules(stage)
        for name in _runtime_imports(path)
        if name == "dlt" or name.startswith("dlt.")
    ]
    assert wrong == []


def test_importing_the_read_path_loads_no_dlt() -> None:
    modules = [
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts)
        for stage in ("extract", "transform", "present")
        for p in _modules(stage)
    ]
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules)
    code += "print(sorted(m for m in sys.modules if m == 'dlt' or m.startswith('dlt.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
