"""A large, generated catalogue for load and scale tests (`--synthetic N`).

Every row is a pure function of its index, so the same N always gives the same models in every
process, and rows are generated only when a page asks for them: a catalogue of 100,000 models
starts instantly and costs no memory until it is read. Names are cheaper still (arithmetic on
the index, no random generator), because the `q` filter reads every name.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pipelines.replica.catalogue import Catalogue, Model

SYNTHETIC_NAMESPACE = uuid.UUID("6f1d0c7e-2b7a-4c1e-9a34-5d2f8e9b0a11")
"""uuid5 namespace of synthetic model ids: stable across runs, unique per index."""


@dataclass(frozen=True)
class _Developer:
    name: str
    org: str
    family: str
    weight: int


# Weights (per mille) give a realistic skew: a few big developers, a long tail.
_DEVELOPERS = (
    _Developer("Meta", "meta-llama", "Llama", 200),
    _Developer("Qwen", "Qwen", "Qwen", 200),
    _Developer("Mistral AI", "mistralai", "Mistral", 150),
    _Developer("DeepSeek", "deepseek-ai", "DeepSeek", 100),
    _Developer("OpenAI", "openai", "gpt-oss", 80),
    _Developer("Google", "google", "gemma", 80),
    _Developer("Microsoft", "microsoft", "Phi", 50),
    _Developer("Moonshot AI", "moonshotai", "Kimi", 40),
    _Developer("Zhipu AI", "zai-org", "GLM", 40),
    _Developer("BAAI", "BAAI", "bge", 30),
    _Developer("Swiss AI", "swiss-ai", "Apertus", 30),
)
_DEVELOPER_BY_MILLE: tuple[_Developer, ...] = tuple(
    developer for developer in _DEVELOPERS for _ in range(developer.weight)
)
assert len(_DEVELOPER_BY_MILLE) == 1000

_SIZES = ("3B", "7B", "8B", "14B", "24B", "32B", "70B", "120B", "235B-A22B", "480B-A35B")
_VARIANTS = ("Instruct", "Chat", "Thinking", "Coder-Instruct", "Vision-Instruct")
_TAG_POOL = ("New", "Reasoning", "Coding", "Vision", "Popular", "Long context", "Agentic")
_CONTEXT_WINDOWS = (32768, 65536, 128000, 131072, 200000, 262144, 430000)
_MAX_TOKENS = (4096, 8192, 16384, 32768)
_PRECISIONS = ("fp8", "bf16", "fp16", "int4", "mxfp4")
_TOOL_SUPPORT = ("yes", "yes", "no", "partial")
_LICENSES = ("apache-2.0", "MIT", "llama3.3", "gemma", None)
_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def _spread(index: int) -> int:
    """Scatter consecutive indexes over 0..999 (Knuth's multiplicative hash)."""
    return (index * 2654435761) % 4294967296 % 1000


def _developer(index: int) -> _Developer:
    return _DEVELOPER_BY_MILLE[_spread(index)]


def _price(value: float) -> str:
    return f"{value:.2f}"


def _timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class SyntheticCatalogue:
    """`count` deterministic, spec-valid models generated on demand."""

    def __init__(self, count: int) -> None:
        if count < 0:
            raise ValueError("the synthetic catalogue size must not be negative")
        self._count = count

    def __len__(self) -> int:
        return self._count

    def _check(self, index: int) -> None:
        if not 0 <= index < self._count:
            raise IndexError(index)

    def name(self, index: int) -> str:
        self._check(index)
        developer = _developer(index)
        size = _SIZES[index % len(_SIZES)]
        variant = _VARIANTS[(index // len(_SIZES)) % len(_VARIANTS)]
        # The zero-padded index makes every name unique.
        return f"{developer.org}/{developer.family}-Synth-{size}-{variant}-{index:06d}"

    def model(self, index: int) -> Model:
        self._check(index)
        rng = random.Random(index)
        developer = _developer(index)
        kind = rng.choices(("chat", "embeddings", "stt", "tts"), weights=(85, 8, 4, 3))[0]
        if developer.family == "bge":  # BAAI's bge family is embeddings only
            kind = "embeddings"
        is_chat = kind == "chat"
        created = _EPOCH + timedelta(seconds=rng.randrange(0, 670 * 86400))
        updated = created + timedelta(seconds=rng.randrange(0, 120 * 86400))
        input_price = round(0.02 * 100 ** rng.random(), 2)  # log-uniform 0.02..2.00
        output_price = min(round(input_price * rng.uniform(2.0, 5.0), 2), 8.75)
        has_cache = is_chat and rng.random() < 0.3
        tags: list[str] | None = rng.sample(_TAG_POOL, rng.randint(0, 3))
        if rng.random() < 0.05:
            tags = None
        chat_quota, api_quota = rng.choices(
            ((1_000_000, 500_000), (500_000, 250_000), (2_000_000, 1_000_000), (0, 200_000)),
            weights=(70, 15, 10, 5),
        )[0]
        return {
            "model_id": str(uuid.uuid5(SYNTHETIC_NAMESPACE, str(index))),
            "name": self.name(index),
            "description": f"Synthetic {developer.family} model number {index}.",
            "status": "active" if rng.random() < 0.9 else "inactive",
            "chat_daily_quota_tier_1": chat_quota if is_chat else 0,
            "api_completions_daily_quota_tier_1": api_quota if is_chat else 0,
            "embeddings_daily_quota_tier_1": 1_000_000 if kind == "embeddings" else 0,
            "audio_transcriptions_daily_quota_tier_1": 28_800 if kind == "stt" else 0,
            "audio_speech_daily_quota_tier_1": 100_000 if kind == "tts" else 0,
            "metadata": {
                "image_url": f"https://intelligence.io.solutions/images/models/{developer.org}.svg",
                "tags": tags,
                "version": f"{rng.randint(1, 4)}.{rng.randint(0, 9)}",
                "developer": developer.name,
                "short_description": f"Synthetic {kind} model",
                "enable_api_chat_completions": is_chat,
                "enable_api_embeddings": kind == "embeddings",
                "enable_audio_stt": kind == "stt",
                "enable_audio_tts": kind == "tts",
                "enable_chat_ui": is_chat,
                "trendiness": rng.randint(0, 10),
                "license": rng.choice(_LICENSES),
                "tool_support": rng.choice(_TOOL_SUPPORT) if is_chat else "no",
                "max_tokens": rng.choice(_MAX_TOKENS) if is_chat else None,
                "context_window": rng.choice(_CONTEXT_WINDOWS) if is_chat else None,
                "supports_images_input": is_chat and rng.random() < 0.2,
                "supports_prompt_cache": has_cache,
                # Audio models are priced per second or character elsewhere: no token prices.
                "input_token_price": _price(input_price)
                if kind in ("chat", "embeddings")
                else None,
                "output_token_price": _price(output_price) if is_chat else None,
                "cache_write_token_price": _price(input_price * 1.25) if has_cache else None,
                "cache_read_token_price": _price(input_price * 0.5) if has_cache else None,
                "precision": rng.choice(_PRECISIONS),
            },
            "created_at": _timestamp(created),
            "updated_at": _timestamp(updated),
        }


class SyntheticCatalogueSource:
    """A source whose catalogue never changes: `count` synthetic models."""

    def __init__(self, count: int) -> None:
        self._catalogue: Catalogue = SyntheticCatalogue(count)

    def current(self) -> Catalogue:
        return self._catalogue
