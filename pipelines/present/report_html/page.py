"""The HTML report's page: inline CSS, tables, cards and the frame around the charts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pipelines.present.report_columns import (
    COST,
    COUNT,
    MEASURE,
    PERCENT,
    PRICE,
    QUOTA,
    SIGNED_COST,
    SIGNED_PERCENT,
    TIME,
    Column,
)
from pipelines.present.report_html.svg import esc

CSS = """
:root { --ink: #1e293b; --muted: #64748b; --line: #e2e8f0; --bg: #f1f5f9; --card: #fff;
  --accent: #4e79a7; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); line-height: 1.45;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
header.top { background: #0f172a; color: #e2e8f0; padding: 28px 0 22px; }
header.top h1 { margin: 0 0 4px; font-size: 26px; font-weight: 650; color: #fff; }
header.top p { margin: 0; color: #94a3b8; }
.wrap { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px;
  margin-top: 20px; }
header.top p.warn { margin-top: 12px; padding: 8px 12px; border-radius: 8px; background: #fef3c7;
  color: #78350f; font-weight: 600; }
.card { background: #1e293b; border-radius: 10px; padding: 12px 14px; }
.card .v { font-size: 24px; font-weight: 650; color: #fff; font-variant-numeric: tabular-nums; }
.card .k { font-size: 13px; color: #94a3b8; }
.card .s { font-size: 12px; color: #cbd5e1; overflow-wrap: anywhere; }
nav { margin-top: 18px; display: flex; gap: 18px; flex-wrap: wrap; font-size: 14px; }
nav a { color: #93c5fd; text-decoration: none; }
nav a:hover { text-decoration: underline; }
main section { background: var(--card); border: 1px solid var(--line); border-radius: 12px;
  padding: 22px 24px; margin: 24px 0; box-shadow: 0 1px 2px rgb(15 23 42 / 6%); }
h2 { margin: 0 0 4px; font-size: 21px; }
h3 { margin: 22px 0 2px; font-size: 16px; }
p.lead, p.note, figcaption { color: var(--muted); margin: 2px 0 10px; font-size: 14px; }
figure { margin: 14px 0 6px; }
svg.chart { display: block; height: auto; max-width: 100%; }
svg.chart text { font-family: inherit; }
.grid { display: grid; gap: 18px 28px;
  grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); }
.panel h4 { margin: 6px 0 0; font-size: 14px; overflow-wrap: anywhere; }
.empty { background: #f8fafc; border: 1px dashed #cbd5e1; border-radius: 8px; padding: 14px 16px;
  color: var(--muted); margin: 10px 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 14px; margin: 8px 0 4px; }
caption { text-align: left; font-weight: 600; padding: 6px 0; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left;
  vertical-align: top; }
thead th { background: #f8fafc; color: #334155; font-weight: 600; border-bottom: 2px solid #cbd5e1;
  vertical-align: bottom; }
thead th[scope=colgroup] { border-bottom: 1px solid var(--line); text-align: center; }
tbody tr:nth-child(even) { background: #fbfdff; }
tbody tr:hover { background: #f1f5f9; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.name { overflow-wrap: anywhere; }
td.nw { white-space: nowrap; }
td.t { white-space: nowrap; font-variant-numeric: tabular-nums; color: #334155; }
.tag { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px;
  background: #e2e8f0; }
.tag.added, .tag.reappeared { background: #dcfce7; color: #166534; }
.tag.removed { background: #fee2e2; color: #991b1b; }
.tag.status_changed, .tag.status { background: #fef9c3; color: #854d0e; }
.down { color: #15803d; } .up { color: #b91c1c; }
details summary { cursor: pointer; color: var(--accent); margin: 10px 0; }
footer { color: var(--muted); font-size: 13px; padding: 4px 0 40px; }
footer code { overflow-wrap: anywhere; }
"""

# the header marks these formats as numbers (a measure's heading stays left, as it always was)
HEAD_NUMERIC = frozenset({PRICE, COST, SIGNED_COST, QUOTA, COUNT, PERCENT, SIGNED_PERCENT})
GROUP_NUMERIC = frozenset({PRICE, QUOTA, COUNT})  # a column beside a group heading


def cell(col: Column, value: Any) -> str:
    text = esc(col.text(value))
    if col.format in (PRICE, QUOTA, COUNT, MEASURE, COST):
        return f'<td class="n">{text}</td>'
    if col.format == SIGNED_COST:  # a saving above zero is good news, below zero bad
        trend = (" down" if value > 0 else " up") if value else ""
        return f'<td class="n{trend}">{text}</td>'
    if col.format in (PERCENT, SIGNED_PERCENT):
        trend = "down" if value is not None and value < 0 else "up" if value else ""
        trend = trend if col.format == SIGNED_PERCENT else ""
        return f'<td class="n {trend}">{text}</td>'
    if col.format == TIME:
        return f'<td class="t">{text}</td>'
    if col.key == "change":
        return f'<td><span class="tag {esc(value)}">{text}</span></td>'
    if col.name:
        return f'<td class="name">{text}</td>'
    return f'<td class="nw">{text}</td>' if col.key == "developer" else f"<td>{text}</td>"


def _th(heading: str) -> str:
    return "<br>".join(esc(line) for line in heading.split("\n"))


def _head(columns: Sequence[Column]) -> str:
    headings = [c.html_heading for c in columns]
    if not any("|" in heading for heading in headings):
        return (
            "<tr>"
            + "".join(
                f'<th scope="col"{" class=n" if c.format in HEAD_NUMERIC else ""}>{_th(h)}</th>'
                for c, h in zip(columns, headings, strict=True)
            )
            + "</tr>"
        )
    top, sub, i = [], [], 0
    while i < len(columns):
        heading = headings[i]
        if "|" not in heading:
            n = " class=n" if columns[i].format in GROUP_NUMERIC else ""
            top.append(f'<th scope="col" rowspan="2"{n}>{_th(heading)}</th>')
            i += 1
            continue
        group = heading.split("|")[0]
        span = 0
        while i + span < len(columns) and headings[i + span].split("|")[0] == group:
            sub.append(f'<th scope="col" class="n">{esc(headings[i + span].split("|")[1])}</th>')
            span += 1
        top.append(f'<th scope="colgroup" colspan="{span}">{esc(group)}</th>')
        i += span
    return f'<tr class="group">{"".join(top)}</tr><tr>{"".join(sub)}</tr>'


def table(columns: Sequence[Column], records: Sequence[Mapping[str, Any]], caption: str) -> str:
    """The records under the columns' HTML headings, in the columns' formats."""
    rows = "".join("<tr>" + "".join(cell(c, r[c.key]) for c in columns) + "</tr>" for r in records)
    return (
        f'<div class="scroll"><table><caption>{esc(caption)}</caption>'
        f"<thead>{_head(columns)}</thead><tbody>{rows}</tbody></table></div>"
    )


def empty(message: str) -> str:
    return f'<p class="empty">{esc(message)}</p>'


def figure(title: str, svg: str, caption: str = "") -> str:
    note = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return f"<figure><h3>{esc(title)}</h3>{note}{svg}</figure>"


def cards(items: Sequence[tuple[str, str, str]]) -> str:
    return (
        '<div class="cards">'
        + "".join(
            f'<div class="card"><div class="v">{esc(v)}</div><div class="k">{esc(k)}</div>'
            + (f'<div class="s">{esc(s)}</div>' if s else "")
            + "</div>"
            for v, k, s in items
        )
        + "</div>"
    )


def page(title: str, header: str, sections: Sequence[tuple[str, str, str]], footer: str) -> str:
    """The whole document; `sections` are (id, heading, inner HTML)."""
    nav = "".join(f'<a href="#{sid}">{esc(h)}</a>' for sid, h, _ in sections)
    body = "".join(
        f'<section id="{sid}" aria-labelledby="{sid}-h"><h2 id="{sid}-h">{esc(h)}</h2>'
        f"{inner}</section>"
        for sid, h, inner in sections
    )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
        f'<header class="top"><div class="wrap">{header}<nav aria-label="Sections">{nav}</nav>'
        f'</div></header><main class="wrap">{body}</main>'
        f'<footer class="wrap">{footer}</footer></body></html>\n'
    )
