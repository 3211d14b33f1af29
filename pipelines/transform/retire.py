"""Which models a full read may retire, and what each listing scope lists. Pure.

A listing scope is the view of the catalogue a load had: its response shape and whether it
sent a key (a key may show another set of models; the live list shows only callable models).
A full load retires a model only if the last full load of the same scope listed it, so a
change of shape or of key invents no removals; the first load in a scope retires nothing and
says so. A destination without listings yet (older versions) keeps the old rule.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from pipelines.transform.history import Prior


def retirement_candidates(prior: Prior, scope: str) -> tuple[set[str] | None, str | None]:
    """(the present models a full read in `scope` may retire, or None for all; a note)."""
    listed = prior.listed
    if listed is None:
        return None, None
    if scope not in listed:
        present = prior.present_ids()
        others = ", ".join(sorted(listed))
        note = f"first full load as {scope} (before: {others}): nothing retired"
        return set(), note if present else None
    return prior.present_ids() & listed[scope], None


def listing_changes(
    prior: Prior, scope: str, seen: set[str], retired: list[str]
) -> Iterator[tuple[str, bool]]:
    """(model id, listed) for the models that entered (`seen`, new to the scope) or left it,
    one at a time (a first load lists every model)."""
    before = (prior.listed or {}).get(scope, set())
    entered = ((m, True) for m in sorted(seen - before))
    return itertools.chain(entered, ((m, False) for m in retired))


def listing_rows(
    prior: Prior,
    scope: str,
    seen: set[str],
    retired: list[str],
    observed_at: datetime,
    run_id: str,
) -> Iterator[dict[str, Any]]:
    """Rows for the models that entered (`seen`, new to the scope) or left this scope, one at
    a time: a first load lists every model, and a row per model held at once would cost the
    memory of the whole catalogue again."""
    for m, listed in listing_changes(prior, scope, seen, retired):
        yield {
            "scope": scope,
            "model_id": m,
            "listed": listed,
            "observed_at": observed_at,
            "run_id": run_id,
        }
