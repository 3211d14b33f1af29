"""Flattening is pure: every spec field to its column, bad fields kept and reported."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from pipelines.transform.flatten import flatten_model
from pipelines.transform.history import row_hash
from pipelines.transform.schemas import MODEL_COLUMNS
from tests.conftest import load_catalogue

SPEC_MODEL: dict[str, Any] = {
    "model_id": "0F4B7C1E-4D0A-4B7E-9A51-10C0A1F0E001",
    "name": "meta-llama/Llama-3.3-70B-Instruct",
    "description": "A 70B instruction-tuned model",
    "status": "active",
    "chat_daily_quota_tier_1": 1_000_000,
    "api_completions_daily_quota_tier_1": 500_000,
    "embeddings_daily_quota_tier_1": 0,
    "audio_transcriptions_daily_quota_tier_1": 0,
    "audio_speech_daily_quota_tier_1": 0,
    "created_at": "2025-01-02T03:04:05Z",
    "updated_at": "2025-06-07T08:09:10+02:00",
    "metadata": {
        "image_url": "https://example.com/llama.png",
        "tags": ["New", "Premium"],
        "version": "3.3",
        "developer": "Meta",
        "short_description": "Fast and capable",
        "enable_api_chat_completions": True,
        "enable_api_embeddings": False,
        "enable_audio_stt": False,
        "enable_audio_tts": False,
        "enable_chat_ui": True,
        "trendiness": 9,
        "license": {"name": "llama3.3", "url": "https://example.com/license"},
        "tool_support": "yes",
        "max_tokens": 8192,
        "context_window": 128000,
        "supports_images_input": False,
        "supports_prompt_cache": True,
        "input_token_price": "0.13",
        "output_token_price": "0.38",
        "cache_write_token_price": "0.16",
        "cache_read_token_price": "0.065",
        "precision": "fp8",
    },
}


def test_every_spec_field_lands_in_its_column() -> None:
    flat = flatten_model(SPEC_MODEL)
    assert flat.problems == [] and flat.quarantine_reason is None
    row = flat.row
    assert row is not None
    assert sorted(row) == sorted(name for name, _ in MODEL_COLUMNS)
    assert row["model_id"] == "0f4b7c1e-4d0a-4b7e-9a51-10c0a1f0e001"  # canonical lower case
    assert row["created_at"] == datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert row["updated_at"] == datetime(2025, 6, 7, 6, 9, 10, tzinfo=UTC)  # converted to UTC
    for field in (
        "name",
        "description",
        "status",
        "chat_daily_quota_tier_1",
        "audio_speech_daily_quota_tier_1",
    ):
        assert row[field] == SPEC_MODEL[field]
    meta = SPEC_MODEL["metadata"]
    for field, value in meta.items():
        if field == "license":
            assert json.loads(row["license"]) == value  # free-form: kept as JSON text
        elif field == "tags":
            assert json.loads(row["tags"]) == value and flat.tags == value
        else:
            assert row[field] == value, field
    assert row["extra_fields"] is None


def test_the_bundled_catalogue_flattens_without_problems() -> None:
    for model in load_catalogue():
        flat = flatten_model(model)
        assert flat.row is not None and flat.problems == [], model["name"]


def test_nulls_stay_null() -> None:
    model = copy.deepcopy(SPEC_MODEL)
    for field in ("tags", "input_token_price", "developer", "context_window", "license"):
        model["metadata"][field] = None
    model["description"] = None
    flat = flatten_model(model)
    row = flat.row
    assert row is not None and flat.problems == []
    assert row["tags"] == "[]" and flat.tags == []
    assert row["input_token_price"] is None and row["developer"] is None
    assert row["context_window"] is None and row["license"] is None
    assert row["description"] is None


def test_unknown_fields_are_kept() -> None:
    model = copy.deepcopy(SPEC_MODEL)
    model["region"] = "eu-west"
    model["metadata"]["modalities"] = ["text", "image"]
    row = flatten_model(model).row
    assert row is not None
    assert json.loads(row["extra_fields"]) == {
        "region": "eu-west",
        "metadata": {"modalities": ["text", "image"]},
    }


@pytest.mark.parametrize(
    ("model_id", "reason"),
    [
        (None, "model_id is empty"),
        ("", "model_id is empty"),
        ("not-a-uuid", "model_id 'not-a-uuid' is not a UUID"),
        (42, "model_id '42' is not a UUID"),
    ],
)
def test_rows_without_a_usable_id_are_quarantined(model_id: Any, reason: str) -> None:
    model = copy.deepcopy(SPEC_MODEL)
    model["model_id"] = model_id
    flat = flatten_model(model)
    assert flat.row is None and flat.quarantine_reason == reason


def test_a_missing_id_and_a_non_object_are_quarantined() -> None:
    model = {k: v for k, v in SPEC_MODEL.items() if k != "model_id"}
    assert flatten_model(model).quarantine_reason == "model_id is missing"
    assert flatten_model(["x"]).quarantine_reason == "row is a JSON list, not an object"


def problems_of(**metadata: Any) -> tuple[dict[str, Any], list[tuple[str, str | None, str]]]:
    model = copy.deepcopy(SPEC_MODEL)
    model["metadata"].update(metadata)
    flat = flatten_model(model)
    assert flat.row is not None
    return flat.row, [(p.field, p.raw_value, p.problem) for p in flat.problems]


def test_unparseable_price_is_null_and_reported() -> None:
    row, problems = problems_of(input_token_price="N/A")
    assert row["input_token_price"] is None
    assert problems == [("input_token_price", "N/A", "price is not a number; left NULL")]


def test_price_sent_as_a_number_is_normalised_and_reported() -> None:
    row, problems = problems_of(output_token_price=0.38)
    assert row["output_token_price"] == "0.38"
    assert problems == [
        ("output_token_price", "0.38", "price sent as a number, not text; converted")
    ]


def test_per_token_price_is_flagged_as_implausible() -> None:
    row, problems = problems_of(input_token_price="0.0000004")
    assert row["input_token_price"] == "0.0000004"
    assert problems == [
        (
            "input_token_price",
            "0.0000004",
            "implausible unit: looks like USD per token, not per million",
        )
    ]


def test_tags_as_a_string_become_a_list() -> None:
    row, problems = problems_of(tags="New, Premium")
    assert json.loads(row["tags"]) == ["New", "Premium"]
    assert problems == [("tags", "New, Premium", "tags given as a string; split on commas")]


def test_negative_quota_unknown_status_and_bad_timestamp() -> None:
    model = copy.deepcopy(SPEC_MODEL)
    model.update(chat_daily_quota_tier_1=-5, status="deprecated", created_at="yesterday")
    flat = flatten_model(model)
    assert flat.row is not None
    assert flat.row["chat_daily_quota_tier_1"] is None
    assert flat.row["status"] == "deprecated" and flat.row["created_at"] is None
    assert sorted((p.field, p.problem) for p in flat.problems) == [
        ("chat_daily_quota_tier_1", "negative; left NULL"),
        ("created_at", "not an ISO 8601 timestamp; left NULL"),
        ("status", "unknown status; kept as sent"),
    ]


def test_row_hash_ignores_volatile_fields_only() -> None:
    base = flatten_model(SPEC_MODEL).row
    assert base is not None
    volatile = copy.deepcopy(SPEC_MODEL)
    volatile["updated_at"] = "2031-01-01T00:00:00Z"
    volatile["metadata"]["trendiness"] = 1
    assert row_hash(flatten_model(volatile).row or {}) == row_hash(base)
    for change in ({"status": "inactive"}, {"chat_daily_quota_tier_1": 1}):
        other = copy.deepcopy(SPEC_MODEL)
        other.update(change)
        assert row_hash(flatten_model(other).row or {}) != row_hash(base)
    for meta in ({"tags": ["New"]}, {"input_token_price": "0.14"}, {"context_window": 1}):
        other = copy.deepcopy(SPEC_MODEL)
        other["metadata"].update(meta)
        assert row_hash(flatten_model(other).row or {}) != row_hash(base)


@pytest.mark.parametrize("value", ["--5", "²", 2**63, 1e30])
def test_malformed_or_huge_integers_are_null_and_reported(value: Any) -> None:
    model = copy.deepcopy(SPEC_MODEL)
    model["chat_daily_quota_tier_1"] = value
    flat = flatten_model(model)
    assert flat.row is not None and flat.row["chat_daily_quota_tier_1"] is None
    assert [p.field for p in flat.problems] == ["chat_daily_quota_tier_1"]


def test_a_change_of_price_notation_alone_is_no_change() -> None:
    other = copy.deepcopy(SPEC_MODEL)
    other["metadata"]["input_token_price"] = "0.130"
    assert row_hash(flatten_model(other).row or {}) == row_hash(flatten_model(SPEC_MODEL).row or {})
