"""A realistic sequence of loads, shared by the view key tests and the cross-engine test.

Four loads through the replica (with its malformed rows, so quarantine and data_quality have
rows): the bundled catalogue; the bundled next one (prices changed, models added, retired and
removed); the same again (nothing new); the bundled one again (removed models reappear,
prices change back); then the bundled one from a replica answering in the live endpoint's
shape (performance figures, a second listing scope).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import CATALOGUE, CATALOGUE_NEXT, load_catalogue, write_catalogue
from tests.replica_process import running_replica

STEPS = (CATALOGUE, CATALOGUE_NEXT, CATALOGUE_NEXT, CATALOGUE)


def run_sequence(workdir: Path, load: Callable[[str], None]) -> None:
    """Serve each step's catalogue in turn and call `load(url)` after each change."""
    catalogue = workdir / "sequence-catalogue.json"
    write_catalogue(catalogue, load_catalogue(STEPS[0]))
    with running_replica("--catalogue", str(catalogue), "--bad-rows") as url:
        for step in STEPS:
            write_catalogue(catalogue, load_catalogue(step))
            load(url)
    with running_replica("--catalogue", str(catalogue), "--live-shape") as url:
        load(url)
