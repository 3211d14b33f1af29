"""The pure rules of history, without HTTP or a destination: which observation makes a
version, and which absent models a complete read may retire."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.errors import GateError
from pipelines.transform.history import (
    ADDED,
    CHANGED,
    REAPPEARED,
    REMOVED,
    Prior,
    PriorVersion,
    absences,
    classify,
    tombstone,
)


def _prior(**models: tuple[str | None, bool]) -> Prior:
    """Prior versions by id: (name, is_present)."""
    return Prior(
        {
            m: PriorVersion(f"hash-{m}", present, name, "active")
            for m, (name, present) in models.items()
        }
    )


def test_classify() -> None:
    known = PriorVersion("h1", True, "a", "active")
    gone = PriorVersion("h1", False, "a", "active")
    assert classify(None, "h1") == ADDED
    assert classify(known, "h1") is None
    assert classify(known, "h2") == CHANGED
    assert classify(gone, "h1") == REAPPEARED


def test_absent_models_are_confirmed_by_name_before_retiring() -> None:
    prior = _prior(a=("org/a", True), b=("org/b", True), c=(None, True), d=("org/d", False))
    plan = absences(prior, seen={"a"}, quarantined_names=set())
    assert plan.retire == ["b", "c"]  # d was already removed
    assert plan.to_confirm == {"b": "org/b"}  # c has no name to search for
    assert plan.kept == []


def test_a_quarantined_row_keeps_the_model_it_may_be() -> None:
    prior = _prior(a=("org/a", True), b=("org/b", True), c=("org/c", True))
    plan = absences(prior, seen={"a"}, quarantined_names={"org/b"})
    assert (plan.retire, plan.kept) == (["c"], ["b"])
    # a quarantined row without a name could be any absent model: none is retired
    plan = absences(prior, seen={"a"}, quarantined_names={None})
    assert (plan.retire, plan.to_confirm, plan.kept) == ([], {}, ["b", "c"])


def test_an_empty_catalogue_retires_nothing() -> None:
    prior = _prior(a=("org/a", True), b=("org/b", True))
    with pytest.raises(GateError, match="refusing to retire all 2 models"):
        absences(prior, seen=set(), quarantined_names=set())
    assert absences(_prior(), seen=set(), quarantined_names=set()).retire == []


def test_tombstone_keeps_name_status_and_hash_only() -> None:
    at = datetime(2026, 11, 30, tzinfo=UTC)
    row = tombstone("a", PriorVersion("h1", True, "org/a", "active"), at, "run1")
    assert (row["model_id"], row["name"], row["status"]) == ("a", "org/a", "active")
    assert (row["change"], row["is_present"], row["row_hash"]) == (REMOVED, False, "h1")
    assert (row["observed_at"], row["run_id"]) == (at, "run1")
    assert row["input_token_price"] is None and row["description"] is None
