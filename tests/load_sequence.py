"""A realistic sequence of loads, shared by the view key tests and the cross-engine test.

Four loads through the replica (with its malformed rows, so quarantine and data_quality have
rows): the bundled catalogue; the bundled next one (prices changed, models added, retired and
removed; and one daily quota cut); the same again (nothing new); the bundled one again (removed
models reappear, prices and the quota change back); then the bundled one from a replica
answering in the live endpoint's shape (performance figures, a second listing scope).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import CATALOGUE, CATALOGUE_NEXT, load_catalogue, write_catalogue
from tests.replica_process import running_replica

STEPS = (CATALOGUE, CATALOGUE_NEXT, CATALOGUE_NEXT, CATALOGUE)
QUOTA_CUT = "meta-llama/Llama-3.3-70B-Instruct"  # chat quota 1,000,000 → 250,000 in the next


def step_models(step: Path) -> list[dict[str, Any]]:
    models = load_catalogue(step)
    if step == CATALOGUE_NEXT:
        for model in models:
            if model["name"] == QUOTA_CUT:
                model["chat_daily_quota_tier_1"] = 250_000
    return models


def run_sequence(workdir: Path, load: Callable[[str], None]) -> None:
    """Serve each step's catalogue in turn and call `load(url)` after each change."""
    catalogue = workdir / "sequence-catalogue.json"
    write_catalogue(catalogue, step_models(STEPS[0]))
    with running_replica("--catalogue", str(catalogue), "--bad-rows") as url:
        for step in STEPS:
            write_catalogue(catalogue, step_models(step))
            load(url)
    with running_replica("--catalogue", str(catalogue), "--live-shape") as url:
        load(url)
