"""The daily quota chart of the HTML report: one panel per unit, a stacked bar per capability."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pipelines.present.report_columns import CAPABILITY_LABELS
from pipelines.present.report_html.limits import OTHER_COLOUR, Colours, legend_entries
from pipelines.present.report_html.scales import Scale, linear_ticks, tick_text
from pipelines.present.report_html.svg import (
    INK,
    document,
    esc,
    label,
    legend,
    num,
    text_width,
    x_axis,
)
from pipelines.transform import numbers

# analytics.quota_by_capability's capability → analytics.quota_summary's column
QUOTA_COLUMNS = {
    "chat": "chat_daily_quota",
    "api_completions": "api_completions_daily_quota",
    "embeddings": "embeddings_daily_quota",
    "audio_transcriptions": "audio_transcriptions_daily_seconds",
    "audio_speech": "audio_speech_daily_characters",
}
UNITS = ("tokens", "seconds", "characters")


def _segments(
    present: Sequence[Mapping[str, Any]], colours: Colours, entries: list[tuple[str, str]]
) -> list[tuple[str, str, dict[str, int]]]:
    """(who, colour, quota per column) per coloured developer, and one for all the others:
    a bar of 30,000 slivers would be unreadable and heavy."""
    segments: list[tuple[str, str, dict[str, int]]] = []
    others: dict[str, int] = {}
    for d in present:
        values = {column: int(d[column] or 0) for column in QUOTA_COLUMNS.values()}
        if str(d["developer"]) in colours:
            segments.append((str(d["developer"]), colours[str(d["developer"])], values))
        else:
            for column, value in values.items():
                others[column] = others.get(column, 0) + value
    if others:
        segments.append((entries[-1][0], OTHER_COLOUR, others))
    return segments


def quota_panel(
    unit: str,
    capabilities: Sequence[Mapping[str, Any]],
    by_developer: Sequence[Mapping[str, Any]],
    colours: Colours,
    width: float,
) -> str | None:
    """Stacked horizontal bars, one per capability counted in `unit`, one segment per
    developer (analytics.quota_summary); None when no active model has such a quota."""
    caps = [c for c in capabilities if c["unit"] == unit and c["capability"] in QUOTA_COLUMNS]
    # an unknown total (a shape that publishes no quotas) draws no bar; the tables say unknown
    totals = [int(c["total_daily_quota"] or 0) for c in caps]
    if not caps or max(totals) <= 0:
        return None
    present = [
        d
        for d in by_developer
        if any(int(d[QUOTA_COLUMNS[c["capability"]]] or 0) > 0 for c in caps)
    ]
    entries = legend_entries([str(d["developer"]) for d in present], colours)
    keys, keys_h = legend(entries, 16, 20, width - 32)
    segments = _segments(present, colours, entries)
    left, right, row = 150.0, width - 72, 40.0
    top = 20 + keys_h + 6
    bottom = top + row * len(caps)
    hi, ticks = linear_ticks(max(totals), 5 if width > 700 else 4)
    scale = Scale(0, hi, left, right)
    body = keys + x_axis(
        scale, [(t, tick_text(t, quota=True)) for t in ticks], top, bottom, f"{unit} per day"
    )
    for i, (cap, total) in enumerate(zip(caps, totals, strict=True)):
        y, column = top + i * row, QUOTA_COLUMNS[cap["capability"]]
        name = CAPABILITY_LABELS.get(str(cap["capability"]), str(cap["capability"]))
        body.append(label(left - 10, y + row / 2 + 4, name, 12, "end", INK, "600"))
        x = left
        for who, colour, values in segments:
            value = values.get(column, 0)
            if value <= 0:
                continue
            w = scale(value) - scale(0)
            tip = f"{who}: {numbers.whole(value)} {unit} per day of {name}"
            body.append(
                f'<rect x="{num(x)}" y="{num(y + 8)}" width="{num(w)}" height="{num(row - 16)}" '
                f'fill="{colour}" stroke="#fff" stroke-width="1">'
                f"<title>{esc(tip)}</title></rect>"
            )
            text = numbers.compact(value)
            if text_width(text, 11) + 8 <= w:
                body.append(label(x + w / 2, y + row / 2 + 4, text, 11, "middle", "#fff", "600"))
            x += w
        body.append(label(x + 6, y + row / 2 + 4, numbers.compact(total), 12, weight="600"))
    desc = "; ".join(
        f"{CAPABILITY_LABELS.get(str(c['capability']), c['capability'])}: "
        f"{numbers.whole(t)} {unit} per day from {c['models']} models"
        for c, t in zip(caps, totals, strict=True)
    )
    title = f"Daily quota in {unit} by capability and developer"
    return document(f"quota-{unit}", width, bottom + 50, title, desc + ".", body)
