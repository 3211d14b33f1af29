"""A model that is valid per the spec, for the rows the faults add (shifted, malformed)."""

from __future__ import annotations

import copy
from typing import Any

from pipelines.replica.catalogue import Model

_METADATA: dict[str, Any] = {
    "image_url": None,
    "tags": [],
    "version": "1.0",
    "developer": None,
    "short_description": None,
    "enable_api_chat_completions": True,
    "enable_api_embeddings": False,
    "enable_audio_stt": False,
    "enable_audio_tts": False,
    "enable_chat_ui": True,
    "trendiness": 0,
    "license": None,
    "tool_support": "no",
    "max_tokens": 4096,
    "context_window": 32768,
    "supports_images_input": False,
    "supports_prompt_cache": False,
    "input_token_price": None,
    "output_token_price": None,
    "cache_write_token_price": None,
    "cache_read_token_price": None,
    "precision": "bf16",
}


def valid_model(
    model_id: str, name: str, *, description: str, created_at: str, **metadata: Any
) -> Model:
    """An active chat model (1M chat / 500k API tokens a day); `metadata` overrides defaults."""
    return {
        "model_id": model_id,
        "name": name,
        "description": description,
        "status": "active",
        "chat_daily_quota_tier_1": 1_000_000,
        "api_completions_daily_quota_tier_1": 500_000,
        "embeddings_daily_quota_tier_1": 0,
        "audio_transcriptions_daily_quota_tier_1": 0,
        "audio_speech_daily_quota_tier_1": 0,
        "metadata": {**copy.deepcopy(_METADATA), **metadata},
        "created_at": created_at,
        "updated_at": created_at,
    }
