"""A large, generated catalogue for load and scale tests (`--synthetic N`).

Rows look like the real ones in size and shape: random (version 4) UUIDs, descriptions of a
few hundred characters, 3 to 6 tags, every metadata field set. (A catalogue of short, sparse
rows once hid a memory cliff that real rows hit.) `--synthetic-style longtail` serves a
catalogue unlike it: see longtail.py.

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
from pipelines.replica.rendering import RenderedRows


def random_uuid(rng: random.Random) -> str:
    """A version 4 UUID from `rng`: random-looking like the API's, yet the same every run."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


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
_TAG_POOL = (
    "New",
    "Reasoning",
    "Coding",
    "Vision",
    "Popular",
    "Long context",
    "Agentic",
    "Multilingual",
    "Function calling",
    "Open weights",
    "Math",
    "Fast",
)
_CLAIMS = (
    "It follows instructions closely and keeps long conversations coherent",
    "It was trained on a curated mix of web text, code and synthetic reasoning traces",
    "It handles tool calls and structured JSON output reliably",
    "It supports dozens of languages with strong results on multilingual benchmarks",
    "It is served with speculative decoding for low latency at high throughput",
    "It reaches competitive scores on coding, math and long-context retrieval tasks",
    "It was aligned with preference optimisation to reduce refusals and hallucinations",
    "It is a good default for agents, retrieval-augmented generation and summarisation",
)
_CONTEXT_WINDOWS = (32768, 65536, 128000, 131072, 200000, 262144, 430000)
_MAX_TOKENS = (4096, 8192, 16384, 32768)
_PRECISIONS = ("fp8", "bf16", "fp16", "int4", "mxfp4")
_TOOL_SUPPORT = ("yes", "yes", "no", "partial")
_LICENSES = ("apache-2.0", "MIT", "llama3.3", "gemma", "other")
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


def _description(rng: random.Random, developer: _Developer, size: str, kind: str) -> str:
    """A few hundred characters, as the real catalogue's descriptions run."""
    claims = rng.sample(_CLAIMS, rng.randint(3, 5))
    opening = f"{developer.family} {size} is a {kind} model by {developer.name}."
    return " ".join([opening, *(f"{claim}." for claim in claims)])


class SyntheticCatalogue:
    """`count` deterministic, spec-valid models generated on demand."""

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

    def name(self, index: int) -> str:
        self._check(index)
        developer = _developer(index)
        size = _SIZES[index % len(_SIZES)]
        variant = _VARIANTS[(index // len(_SIZES)) % len(_VARIANTS)]
        # The zero-padded index makes every name unique.
        return f"{developer.org}/{developer.family}-Synth-{size}-{variant}-{index:06d}"

    def model_json(self, index: int) -> bytes:
        self._check(index)
        return self._rendered.text(index)

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
        chat_quota, api_quota = rng.choices(
            ((1_000_000, 500_000), (500_000, 250_000), (2_000_000, 1_000_000), (0, 200_000)),
            weights=(70, 15, 10, 5),
        )[0]
        size = _SIZES[index % len(_SIZES)]
        return {
            "model_id": random_uuid(rng),
            "name": self.name(index),
            "description": _description(rng, developer, size, kind),
            "status": "active" if rng.random() < 0.9 else "inactive",
            "chat_daily_quota_tier_1": chat_quota if is_chat else 0,
            "api_completions_daily_quota_tier_1": api_quota if is_chat else 0,
            "embeddings_daily_quota_tier_1": 1_000_000 if kind == "embeddings" else 0,
            "audio_transcriptions_daily_quota_tier_1": 28_800 if kind == "stt" else 0,
            "audio_speech_daily_quota_tier_1": 100_000 if kind == "tts" else 0,
            "metadata": {
                "image_url": f"https://intelligence.io.solutions/images/models/{developer.org}.svg",
                "tags": rng.sample(_TAG_POOL, rng.randint(3, 6)),
                "version": f"{rng.randint(1, 4)}.{rng.randint(0, 9)}",
                "developer": developer.name,
                "short_description": f"{developer.family} {size} for {kind}",
                "enable_api_chat_completions": is_chat,
                "enable_api_embeddings": kind == "embeddings",
                "enable_audio_stt": kind == "stt",
                "enable_audio_tts": kind == "tts",
                "enable_chat_ui": is_chat,
                "trendiness": rng.randint(0, 10),
                "license": rng.choice(_LICENSES),
                "tool_support": rng.choice(_TOOL_SUPPORT),
                "max_tokens": rng.choice(_MAX_TOKENS),
                "context_window": rng.choice(_CONTEXT_WINDOWS),
                "supports_images_input": is_chat and rng.random() < 0.2,
                "supports_prompt_cache": rng.random() < 0.3,
                # every price set: audio models too carry a nominal token price in the listing
                "input_token_price": _price(input_price),
                "output_token_price": _price(output_price),
                "cache_write_token_price": _price(input_price * 1.25),
                "cache_read_token_price": _price(input_price * 0.5),
                "precision": rng.choice(_PRECISIONS),
            },
            "created_at": _timestamp(created),
            "updated_at": _timestamp(updated),
        }


class SyntheticCatalogueSource:
    """A source whose catalogue never changes: `count` generated models of one style."""

    def __init__(self, count: int, style: str = "realistic") -> None:
        if style == "longtail":
            from pipelines.replica.longtail import LongTailCatalogue

            self._catalogue: Catalogue = LongTailCatalogue(count)
        else:
            self._catalogue = SyntheticCatalogue(count)

    def current(self) -> Catalogue:
        return self._catalogue
