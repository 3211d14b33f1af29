"""A second generated catalogue, unlike the first (`--synthetic N --synthetic-style longtail`).

The realistic catalogue (synthetic.py) has eleven developers and full rows. This one is what a
marketplace grows into: a long tail of thousands of developers with one or two models each,
sparse rows (many fields null, few tags, short or empty descriptions), non-ASCII names, prices
over five orders of magnitude and many inactive models. It finds what the first does not:
rankings and charts with thousands of groups, NULL handling, wide value ranges.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from pipelines.replica.catalogue import Model
from pipelines.replica.rendering import RenderedRows
from pipelines.replica.synthetic import random_uuid

_WORDS = ("Ünïcode", "Tiny", "Nano", "Großes", "Sœur", "Mini", "Apex", "Zephyr", "Kōan", "Rook")
_KINDS = ("chat", "embeddings", "stt", "tts")
_EPOCH = datetime(2023, 6, 1, tzinfo=UTC)


def _maybe(rng: random.Random, value: object, chance: float) -> object:
    """`value` with probability `chance`, else None: sparse rows."""
    return value if rng.random() < chance else None


class LongTailCatalogue:
    """`count` deterministic models from about count / 2 developers."""

    def __init__(self, count: int) -> None:
        if count < 0:
            raise ValueError("the synthetic catalogue size must not be negative")
        self._count = count
        self._rendered = RenderedRows(count, self.model)

    def __len__(self) -> int:
        return self._count

    def _check(self, index: int) -> None:
        if not 0 <= index < self._count:
            raise IndexError(index)

    @staticmethod
    def _lab(index: int) -> int:
        # labs of 1, 2 or 3 models in turn: about count / 2 developers in all
        return index * 2 // 3

    def name(self, index: int) -> str:
        self._check(index)
        word = _WORDS[index % len(_WORDS)]
        return f"lab-{self._lab(index):06d}/{word}-{index:07d}"

    def model_json(self, index: int) -> bytes:
        self._check(index)
        return self._rendered.text(index)

    def model(self, index: int) -> Model:
        self._check(index)
        rng = random.Random(f"longtail-{index}")
        kind = rng.choices(_KINDS, weights=(70, 10, 10, 10))[0]
        is_chat = kind == "chat"
        # log-uniform from 0.001 to 100 USD per million tokens, a tenth of models unpriced
        price = round(0.001 * 10 ** (5 * rng.random()), 4)
        priced = rng.random() < 0.9
        created = _EPOCH + timedelta(seconds=rng.randrange(0, 900 * 86400))
        lab = self._lab(index)
        return {
            "model_id": random_uuid(rng),
            "name": self.name(index),
            "description": rng.choice(("", "—", f"Model {index} of lab {lab}.")),
            "status": "active" if rng.random() < 0.6 else "inactive",
            "chat_daily_quota_tier_1": rng.choice((0, 10_000, 1_000_000, 50_000_000))
            if is_chat
            else 0,
            "api_completions_daily_quota_tier_1": rng.choice((0, 5_000, 500_000)) if is_chat else 0,
            "embeddings_daily_quota_tier_1": 2_000_000 if kind == "embeddings" else 0,
            "audio_transcriptions_daily_quota_tier_1": 3_600 if kind == "stt" else 0,
            "audio_speech_daily_quota_tier_1": 20_000 if kind == "tts" else 0,
            "metadata": {
                "image_url": _maybe(rng, f"https://example.org/{lab}.png", 0.3),
                "tags": _maybe(rng, rng.sample(("Beta", "Community", "Niche"), 1), 0.4),
                "version": _maybe(rng, str(rng.randint(1, 30)), 0.5),
                "developer": f"Lab {lab:06d}",
                "short_description": _maybe(rng, kind, 0.5),
                "enable_api_chat_completions": is_chat,
                "enable_api_embeddings": kind == "embeddings",
                "enable_audio_stt": kind == "stt",
                "enable_audio_tts": kind == "tts",
                "enable_chat_ui": is_chat and rng.random() < 0.5,
                "trendiness": _maybe(rng, rng.randint(0, 100), 0.5),
                "license": _maybe(rng, "other", 0.3),
                "tool_support": _maybe(rng, "no", 0.3),
                "max_tokens": _maybe(rng, rng.choice((1024, 2048, 1_000_000)), 0.5),
                "context_window": _maybe(rng, rng.choice((2048, 8192, 10_000_000)), 0.6),
                "supports_images_input": False,
                "supports_prompt_cache": False,
                "input_token_price": f"{price:.4f}" if priced else None,
                "output_token_price": f"{price * 3:.4f}" if priced and is_chat else None,
                "cache_write_token_price": None,
                "cache_read_token_price": None,
                "precision": _maybe(rng, "int8", 0.2),
            },
            "created_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "updated_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
