"""analytics.model_changes knows what each response shape does not carry: the same fields as
the transforms (a field learned across a switch of shape is not listed as a change)."""

from __future__ import annotations

import re

from pipelines.settings import UNTRACKED_COLUMNS
from pipelines.store.views import sql_dir
from pipelines.transform.flatten import flatten_model
from pipelines.transform.live_shape import LIVE_LACKS
from tests.conftest import load_catalogue

SHAPE_LACKS = re.compile(r"\('(documented|live)', '(\w+)'\)")


def _sql_lacks() -> dict[str, set[str]]:
    text = (sql_dir() / "marts" / "model_changes.sql").read_text()
    found: dict[str, set[str]] = {"documented": set(), "live": set()}
    for shape, field in SHAPE_LACKS.findall(text):
        found[shape].add(field)
    return found


def test_the_live_shape_lacks_what_its_transform_leaves_out() -> None:
    tracked = set(LIVE_LACKS) - set(UNTRACKED_COLUMNS)
    assert _sql_lacks()["live"] == tracked


def test_the_documented_shape_lacks_what_its_transform_leaves_empty() -> None:
    row = flatten_model(load_catalogue()[0]).row
    assert row is not None
    live_only = {"max_model_len", "supports_attestation", "prices_as_sent"}
    assert all(row[name] is None for name in live_only)  # never set from the documented shape
    assert _sql_lacks()["documented"] == live_only - set(UNTRACKED_COLUMNS)
