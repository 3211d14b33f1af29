"""The changes tables (terminal and Markdown) cut long values; JSON keeps them whole."""

from __future__ import annotations

import json
from typing import Any

from pipelines.present.changes import CELL_CHARS, CUT_NOTE, to_json, to_markdown, to_text_table

LIVE_ENVELOPE = json.dumps({"live": {"object": "model", "owned_by": "vllm", "permission": [{}]}})


def record(field: str, old: Any, new: Any) -> dict[str, Any]:
    return {
        "observed_at": "2026-11-30T08:50:14.123456+00:00",
        "model_id": "0b6f1e0a-0000-4000-8000-000000000001",
        "name": "zai-org/GLM-4.6",
        "kind": "metadata",
        "field": field,
        "old_value": old,
        "new_value": new,
        "relative_change": None,
    }


def test_a_long_value_is_cut_with_a_note_saying_where_it_is_whole() -> None:
    records = [record("extra_fields", None, LIVE_ENVELOPE), record("license", "MIT", "other")]
    for text in (to_text_table(records), to_markdown(records)):
        assert LIVE_ENVELOPE[: CELL_CHARS - 1] + "…" in text
        assert LIVE_ENVELOPE not in text
        assert text.rstrip().endswith(CUT_NOTE)
        assert "MIT" in text and "other" in text
    assert json.loads(to_json(records))[0]["new_value"] == LIVE_ENVELOPE


def test_short_values_are_shown_whole_without_a_note() -> None:
    exact = "x" * CELL_CHARS
    text = to_text_table([record("description", "short", exact)])
    assert exact in text and "…" not in text and CUT_NOTE not in text
