"""Small SVG building blocks for the HTML report: escaping, text, axes, legends, documents.

Everything is plain text: no plotting library, no external reference. Text widths are
estimated (the page uses the system's sans-serif font), generously, so labels do not collide.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from pipelines.present.report_html.scales import Scale
from pipelines.transform.numbers import trim_zeros

PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2",
    "#edc948", "#9c755f", "#ff9da7", "#6b6ecf", "#8c8c8c", "#17becf",
)  # fmt: skip
INK = "#1e293b"
MUTED = "#64748b"
GRID = "#e2e8f0"
AXIS = "#94a3b8"
TIMES = "\N{MULTIPLICATION SIGN}"


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def text_width(text: str, size: float = 12) -> float:
    """A generous estimate of the rendered width of `text` in a sans-serif font."""
    return len(text) * size * 0.6


def num(value: float) -> str:
    """A coordinate, short: 12.5 not 12.500000001."""
    return trim_zeros(f"{value:.1f}")


def label(
    x: float,
    y: float,
    content: str,
    size: float = 12,
    anchor: str = "start",
    fill: str = INK,
    weight: str = "normal",
    extra: str = "",
) -> str:
    return (
        f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}" text-anchor="{anchor}" '
        f'fill="{fill}" font-weight="{weight}"{extra}>{esc(content)}</text>'
    )


def document(
    uid: str, width: float, height: float, title: str, desc: str, body: Sequence[str]
) -> str:
    """An accessible inline <svg>: role img, labelled by its own <title> and <desc>."""
    return (
        f'<svg viewBox="0 0 {num(width)} {num(height)}" width="{num(width)}" '
        f'height="{num(height)}" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'class="chart"><title id="{uid}-t">{esc(title)}</title>'
        f'<desc id="{uid}-d">{esc(desc)}</desc>' + "".join(body) + "</svg>"
    )


def legend(
    entries: Sequence[tuple[str, str]], x: float, y: float, width: float, line: bool = False
) -> tuple[list[str], float]:
    """Swatches and names laid out left to right, wrapping at `width`; returns the height."""
    parts, cx, cy, row = [], x, y, 20.0
    for name, colour in entries:
        w = 18 + text_width(name, 12) + 18
        if cx > x and cx + w > x + width:
            cx, cy = x, cy + row
        if line:
            parts.append(
                f'<line x1="{num(cx)}" y1="{num(cy - 4)}" x2="{num(cx + 14)}" y2="{num(cy - 4)}" '
                f'stroke="{colour}" stroke-width="3"/>'
            )
        else:
            parts.append(
                f'<rect x="{num(cx)}" y="{num(cy - 10)}" width="12" height="12" rx="2" '
                f'fill="{colour}"/>'
            )
        parts.append(label(cx + 18, cy, name, 12))
        cx += w
    return parts, cy - y + row


def x_axis(
    scale: Scale, ticks: Sequence[tuple[float, str]], top: float, bottom: float, title: str
) -> list[str]:
    """Vertical grid lines, tick labels under the plot and the axis title."""
    out = [
        f'<line x1="{num(scale.start)}" y1="{num(bottom)}" x2="{num(scale.end)}" '
        f'y2="{num(bottom)}" stroke="{AXIS}"/>'
    ]
    for value, text in ticks:
        x = scale(value)
        out.append(
            f'<line x1="{num(x)}" y1="{num(top)}" x2="{num(x)}" y2="{num(bottom)}" '
            f'stroke="{GRID}"/>'
        )
        out.append(label(x, bottom + 16, text, 11, "middle", MUTED))
    mid = (scale.start + scale.end) / 2
    out.append(label(mid, bottom + 36, title, 12, "middle", INK, "600"))
    return out


def y_axis(
    scale: Scale, ticks: Sequence[tuple[float, str]], left: float, right: float, title: str
) -> list[str]:
    """Horizontal grid lines, tick labels left of the plot and the rotated axis title."""
    out = [
        f'<line x1="{num(left)}" y1="{num(scale.start)}" x2="{num(left)}" '
        f'y2="{num(scale.end)}" stroke="{AXIS}"/>'
    ]
    widest = 0.0
    for value, text in ticks:
        y = scale(value)
        out.append(
            f'<line x1="{num(left)}" y1="{num(y)}" x2="{num(right)}" y2="{num(y)}" '
            f'stroke="{GRID}"/>'
        )
        out.append(label(left - 6, y + 4, text, 11, "end", MUTED))
        widest = max(widest, text_width(text, 11))
    mid = (scale.start + scale.end) / 2
    tx = left - widest - 18
    rotate = f' transform="rotate(-90 {num(tx)} {num(mid)})"'
    out.append(label(tx, mid, title, 12, "middle", INK, "600", rotate))
    return out
