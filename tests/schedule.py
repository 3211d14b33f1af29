"""How `pytest -n 2` shares the tests between its workers (`--dist loadgroup`, in pyproject).

xdist hands out one work unit at a time, to whichever worker is free. Here a unit is:
- every test of a module that has a module-scoped fixture (its setup, often several loads, then
  runs once, in one worker, instead of in both or again after another module's test came in
  between); xdist starts the units with the most tests first;
- else a single test. Tests marked `slow` (seconds of waiting on purpose, or fresh interpreters)
  are handed out before the many short ones, so that the run does not end with one worker
  still busy with a long test while the other has nothing left to do.

(xdist's own `xdist_group` marks name their group in the test id, which pytest 9 no longer
lets a plugin change: the controller, which sees only the ids, groups by module here.)
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from xdist.scheduler import LoadScopeScheduling

_MODULE_FIXTURE = re.compile(r"""@pytest\.fixture\([^)]*scope=["']module["']""")


@cache
def _has_module_fixture(path: Path) -> bool:
    return path.is_file() and bool(_MODULE_FIXTURE.search(path.read_text(encoding="utf-8")))


class ModuleFixtureScheduling(LoadScopeScheduling):
    """One test per unit, except the tests of a module with a module-scoped fixture."""

    def _split_scope(self, nodeid: str) -> str:
        module = nodeid.split("::", 1)[0]
        return module if _has_module_fixture(self.config.rootpath / module) else nodeid


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    if config.getvalue("dist") != "loadgroup":
        return None
    return ModuleFixtureScheduling(config, log)  # type: ignore[arg-type]


@pytest.hookimpl(trylast=True)  # after pytest's own order, which keeps fixtures together
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In the workers (whose order the controller takes): `slow` tests first; a run in one
    process keeps pytest's order."""
    if config.getoption("loadgroup", False):
        items.sort(key=lambda item: item.get_closest_marker("slow") is None)
