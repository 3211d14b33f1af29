"""What one benchmark run measures (the scenarios) and what it found (the results)."""

from __future__ import annotations

from dataclasses import dataclass, field

from contenders import CONTENDERS, IOMODELS, IOMODELS_WIDE, ROW_ORDER, Outcome
from measure import Measured

FULL_MODELS = 100_000
FULL_LATENCY_S = 0.05
QUICK_MODELS = 5_000
QUICK_LATENCY_S = 0.01
GROWTH_DIVISOR = 10  # scenario (c) serves models / 10, for the memory-growth ratio

BUNDLED, LARGE, SMALL, RERUN = "a", "b", "c", "d"


@dataclass(frozen=True)
class Scenario:
    key: str
    models: int | None  # None: the bundled catalogue
    latency_s: float
    contenders: tuple[str, ...]

    @property
    def title(self) -> str:
        size = "bundled catalogue" if self.models is None else f"{self.models:,} models"
        latency = f"{self.latency_s * 1000:g} ms/request" if self.latency_s else "no latency"
        what = {BUNDLED: "", LARGE: "", SMALL: ", memory growth", RERUN: ", unchanged re-run"}
        return f"({self.key}) {size}, {latency}{what[self.key]}"


@dataclass(frozen=True)
class Plan:
    scenarios: tuple[Scenario, ...]
    name: str  # results file stem: "latest" for the standard run, else "custom" or "quick"

    def scenario(self, key: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.key == key), None)


def build_plan(
    *, quick: bool, only: str | None, models: int | None, latency_s: float | None, cold: bool
) -> Plan:
    large = models if models is not None else (QUICK_MODELS if quick else FULL_MODELS)
    latency = latency_s if latency_s is not None else (QUICK_LATENCY_S if quick else FULL_LATENCY_S)
    chosen = (only,) if only else CONTENDERS
    # (b) adds iomodels with `--workers 8` right after the default row (4 workers).
    wide = tuple(x for c in chosen for x in ((c, IOMODELS_WIDE) if c == IOMODELS else (c,)))
    scenarios = [
        Scenario(BUNDLED, None, 0.0, chosen),
        Scenario(LARGE, large, latency, wide),
    ]
    if IOMODELS in chosen:
        scenarios.append(Scenario(SMALL, max(large // GROWTH_DIVISOR, 1), latency, (IOMODELS,)))
        scenarios.append(Scenario(RERUN, large, latency, (IOMODELS,)))
    standard = not (quick or cold) and only is None and models is None and latency_s is None
    name = "latest" if standard else ("quick" if quick else "custom")
    return Plan(tuple(sorted(scenarios, key=lambda s: s.key)), name)


@dataclass
class Results:
    plan: Plan
    outcomes: list[Outcome] = field(default_factory=list)
    queries: list[Measured] = field(default_factory=list)
    query_counts: list[int | None] = field(default_factory=list)
    changes: list[Measured] = field(default_factory=list)  # `iomodels changes`, same data
    catalogue_sizes: dict[str, int] = field(default_factory=dict)
    warm_up_problems: list[str] = field(default_factory=list)
    bytecode: str = ""
    total_s: float = 0.0

    def ordered(self) -> list[Outcome]:
        """Outcomes by scenario, then in the rows' order (they run b, d, then c)."""
        order = {c: i for i, c in enumerate(ROW_ORDER)}
        return sorted(self.outcomes, key=lambda o: (o.scenario, order.get(o.contender, 99)))

    def get(self, scenario: str, contender: str) -> Outcome | None:
        return next(
            (o for o in self.outcomes if o.scenario == scenario and o.contender == contender),
            None,
        )

    def ok(self, scenario: str, contender: str) -> Outcome | None:
        """The outcome if it ran and loaded the whole catalogue, else None."""
        found = self.get(scenario, contender)
        return found if found is not None and found.ok else None
