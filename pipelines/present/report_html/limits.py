"""What keeps the HTML report readable, quick and small at 50,000 models.

Rankings and tables show the top rows and say how many more there are; the developers with
the most models get colours and the rest share one grey ("other developers"); a scatter of
many points becomes a density plot (see density.py). Every cut is said on the page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from pipelines.present.report_html.svg import PALETTE

T = TypeVar("T")

RANKED_BARS = 25  # bars in the blended-price ranking
TABLE_ROWS = 200  # rows of a long table (every priced model, every change)
DEVELOPER_ROWS = 50  # rows of the per-developer tables
COLOURED_DEVELOPERS = len(PALETTE)  # the rest share OTHER_COLOUR
SCATTER_POINTS = 400  # above this many distinct points the scatter shows density
HISTORY_PANELS = 12  # price-history panels (the most recently re-priced models)
OTHER_COLOUR = "#cbd5e1"


class Colours(dict[str, str]):
    """Developer → colour; a developer without its own colour gets the shared grey."""

    def __missing__(self, key: str) -> str:
        return OTHER_COLOUR

    @property
    def named(self) -> list[str]:
        return list(self)


def developer_colours(models_per_developer: Mapping[str, int]) -> Colours:
    """Colours for the developers with the most models (ties by name), in name order."""
    ranked = sorted(models_per_developer.items(), key=lambda kv: (-kv[1], kv[0]))
    chosen = sorted(name for name, _ in ranked[:COLOURED_DEVELOPERS])
    return Colours({name: PALETTE[i % len(PALETTE)] for i, name in enumerate(chosen)})


def legend_entries(developers: Iterable[str], colours: Colours) -> list[tuple[str, str]]:
    """Legend rows: each coloured developer present, then one row for all the others."""
    present = set(developers)
    entries = [(d, colours[d]) for d in sorted(present) if d in colours]
    others = len(present) - len(entries)
    if others:
        entries.append((f"{others:,} other developers", OTHER_COLOUR))
    return entries


def top(rows: Sequence[T], limit: int) -> tuple[list[T], int]:
    """The first `limit` rows and how many were left out."""
    return list(rows[:limit]), max(len(rows) - limit, 0)


def more(count: int, what: str) -> str:
    return f"and {count:,} more {what}" if count else ""


def count_by(
    records: Iterable[Mapping[str, Any]], key: str, weight: str | None = None
) -> Counter[str]:
    counts: Counter[str] = Counter()
    for r in records:
        counts[str(r.get(key) or "(unknown)")] += int(r.get(weight) or 0) if weight else 1
    return counts
