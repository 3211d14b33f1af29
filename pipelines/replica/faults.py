"""Which misbehaviours of the real API the replica imitates (all off by default).

Each field corresponds to one command-line option of `iomodels replica`; see `server.py` for
the user-facing descriptions. Faults that a test must be able to predict are driven by counters;
only `fail_rate` is random, and it draws from a generator seeded with `seed`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ShiftMode = Literal["once", "always", "swap"]
SHIFT_MODES: tuple[ShiftMode, ...] = ("once", "always", "swap")


@dataclass(frozen=True)
class Faults:
    """Fault-injection settings of one replica instance."""

    latency_seconds: float = 0.0
    """Every request waits this long before it is answered (concurrent requests overlap)."""

    fail_first: int = 0
    """The first N requests are answered with `fail_status`."""

    fail_rate: float = 0.0
    """After `fail_first`, each request fails with this probability (0..1)."""

    seed: int = 0
    """Seed of the generator behind `fail_rate`: the same seed fails the same requests."""

    fail_status: int = 503
    """HTTP status of injected failures."""

    rate_limit: int | None = None
    """At most this many requests are admitted in any one-second window; others get 429."""

    truncate_first: int = 0
    """The first N successful responses have their JSON body cut in half."""

    shift_catalogue: ShiftMode | None = None
    """Insert a new model at the front between page 1 and a later page of a pagination."""

    # repr=False: the key must never end up in a log line or a traceback via repr(faults).
    require_key: str | None = field(default=None, repr=False)
    """Requests must send `Authorization: Bearer <require_key>` (401 if missing, 403 if wrong)."""

    bad_rows: bool = False
    """Append malformed rows (see `malformed.py`) to the served catalogue."""

    drift: bool = False
    """Every served model gains fields the spec does not list (allowed by the spec)."""

    live_shape: bool = False
    """Answer as the live endpoint does: an OpenAI/vLLM-style list of the active models,
    prices as floats per token, daily performance figures (no pagination)."""

    perf_seed: int | None = None
    """With `live_shape`: seeds the performance figures (which also move with the day)."""

    keyed_models: int | None = None
    """A request that sends a key sees only the first N models (an access tier)."""

    endless: bool = False
    """`has_next` is always true; pages past the end repeat the last page."""

    repeat_page: bool = False
    """Page 2 returns the rows of page 1."""

    def __post_init__(self) -> None:
        if self.latency_seconds < 0:
            raise ValueError("latency must not be negative")
        if self.fail_first < 0 or self.truncate_first < 0:
            raise ValueError("fault counters must not be negative")
        if not 0.0 <= self.fail_rate <= 1.0:
            raise ValueError("the failure rate must be between 0 and 1")
        if not 400 <= self.fail_status <= 599:
            raise ValueError("the failure status must be an HTTP error status (400-599)")
        if self.rate_limit is not None and self.rate_limit < 1:
            raise ValueError("the rate limit must be at least 1 request per second")
        if self.shift_catalogue is not None and self.shift_catalogue not in SHIFT_MODES:
            raise ValueError(f"the catalogue shift must be one of {', '.join(SHIFT_MODES)}")
        if self.keyed_models is not None and self.keyed_models < 0:
            raise ValueError("the keyed model count must not be negative")
        if self.require_key is not None and not self.require_key.strip():
            raise ValueError("the required API key must not be empty")
