"""`iomodels report --html`: one self-contained page with inline SVG charts, end to end (the
replica over real HTTP, two real loads, real DuckDB), checked against the views; rendered in
headless Chromium when there is one (always in CI)."""

from __future__ import annotations

import html
import os
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import duckdb
import pytest

from pipelines.present.report_columns import CAPABILITY_LABELS
from pipelines.present.report_columns import time_text as fmt_time
from pipelines.present.report_html import render_html, write_html_report
from pipelines.present.report_html.svg import PALETTE
from pipelines.transform.numbers import compact as fmt_compact
from pipelines.transform.numbers import price as fmt_price
from pipelines.transform.numbers import whole as fmt_int
from tests.conftest import iomodels
from tests.report_setup import DB, EVIL_DEVELOPER, EVIL_NAME, rows

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
UNITS = {
    "tokens": "tokens per day",
    "seconds": "seconds per day",
    "characters": "characters per day",
}


@pytest.fixture(scope="module")
def page(loads: tuple[Path, Path]) -> tuple[str, Path]:
    """The HTML report of the two loads, written by the command line, and its path."""
    path = loads[0].parent / "report-cli.html"
    result = iomodels("report", "--html", str(path), "--data-dir", str(loads[0]))
    assert result.returncode == 0, result.stderr
    return path.read_text(encoding="utf-8"), path


class TagBalance(HTMLParser):
    """Every element opened is closed, in order (void elements aside)."""

    VOID: ClassVar[set[str]] = {"meta", "br", "circle", "rect", "line", "path", "img", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def test_html_has_every_section_and_chart(page, con) -> None:  # type: ignore[no-untyped-def]
    text, _ = page
    assert text.startswith("<!doctype html>")
    assert "<title>IO Intelligence model catalogue: quotas and prices</title>" in text
    for heading in (
        "Prices",
        "Workload cost",
        "Daily quotas",
        "Price history",
        "Catalogue changes",
    ):
        assert f">{heading}</h2>" in text
    changed = rows(
        con,
        "select distinct model_id from analytics.price_changes where price in ('input', 'output')",
    )
    assert changed, "the second load changed prices"
    assert text.count("<svg ") == 3 + len(UNITS) + len(changed)  # 3: scatter, blended, cost
    assert text.count("<svg ") == text.count("</svg>") == text.count('role="img"')
    for title in (
        "Input vs output price per model",
        "Blended price ranking",
        "Workload cost ranking",
        *(f"Daily quota in {unit} by capability and developer" for unit in UNITS),
    ):
        assert re.search(rf'<title id="[\w-]+">{re.escape(title)}</title>', text), title
    assert text.count(">Price history of ") == len(changed)
    for axis in (
        "Input price (USD per million tokens, log scale)",
        "Output price (USD per million tokens, log scale)",
        "Blended price (USD per million tokens)",
        *UNITS.values(),
    ):
        assert f">{html.escape(axis)}" in text, axis
    assert text.count(">USD per million tokens</text>") == len(changed)  # history y axes
    assert text.count(">observed on ") + text.count(">observed (UTC)</text>") == len(changed)
    for caption in (
        "Prices by developer, USD per million tokens",
        "Daily quotas of active models, by developer",
        "Daily quotas by capability",
        "Every observed price change",
        "Catalogue changes, newest first",
    ):
        assert f"<caption>{caption}" in text
    checker = TagBalance()
    checker.feed(text)
    assert not checker.errors and not checker.stack, (checker.errors, checker.stack)


def test_html_numbers_are_the_views(page, con) -> None:  # type: ignore[no-untyped-def]
    text, _ = page
    for row in rows(con, "select * from analytics.pricing_summary"):
        for column in (
            "median_input_price",
            "median_output_price",
            "min_input_price",
            "max_output_price",
        ):
            assert f'<td class="n">{fmt_price(row[column])}</td>' in text, (row, column)
    for row in rows(con, "select * from analytics.price_changes"):
        cells = (
            f'<td class="n">{fmt_price(row["old_price"])}</td>'
            f'<td class="n">{fmt_price(row["new_price"])}</td>'
        )
        assert cells in text, row
        if row["price"] in ("input", "output"):
            assert (
                f"{row['price']} {fmt_price(row['old_price'])} → "
                f"{fmt_price(row['new_price'])}" in text
            )
    top = rows(con, "select max(blended_price) as p from analytics.model_pricing")[0]["p"]
    assert f">{fmt_price(top)}</text>" in text  # the end of the longest ranking bar
    for row in rows(con, "select * from analytics.quota_summary"):
        assert f'<td class="n">{fmt_int(row["chat_daily_quota"])}</td>' in text
    for row in rows(con, "select * from analytics.quota_by_capability where total_daily_quota > 0"):
        assert f">{fmt_compact(row['total_daily_quota'])}</text>" in text  # bar end label
        label = CAPABILITY_LABELS[row["capability"]]
        assert f"<td>{label}</td>" in text
    cheapest = rows(con, "select * from analytics.model_pricing order by price_rank, name")[0]
    assert f'<div class="v">{fmt_price(cheapest["blended_price"])}</div>' in text
    run = rows(
        con,
        "select max(finished_at) as t, arg_max(base_url, finished_at) as url "
        "from analytics.load_runs where outcome = 'ok'",
    )[0]
    footer = text[text.index("<footer") :]
    assert f"Last load {fmt_time(run['t'])} UTC from <code>{run['url']}</code>" in footer


def test_html_is_self_contained(page) -> None:  # type: ignore[no-untyped-def]
    text, _ = page
    external = r"""(?:src|href|xlink:href|action|poster)\s*=\s*["']?\s*(?:[a-z][\w+.-]*:|//)"""
    assert not re.search(external, text, re.I)
    assert not re.search(r"""url\(\s*["']?\s*(?:[a-z][\w+.-]*:|//)""", text, re.I)
    assert "@import" not in text and "@font-face" not in text
    assert not re.search(r"<(?:script|link|iframe|object|embed|img)\b", text, re.I)
    source = re.search(r"<code>(http://127\.0\.0\.1:\d+)</code>", text)
    assert source, "the footer names the source URL"
    assert text.count("http") == text.count(source.group(1)) == 1  # as text, nowhere else


def test_html_escapes_text_from_the_data(page) -> None:  # type: ignore[no-untyped-def]
    text, _ = page
    assert "<script" not in text and "alert(1)</" not in text
    assert EVIL_DEVELOPER not in text and "<Corp>" not in text and "<b>tag" not in text
    escaped = html.escape(EVIL_NAME)
    assert escaped in text
    assert text.count(escaped) >= 6  # tables, scatter tooltip, ranking, history panel, changes
    assert html.escape(EVIL_DEVELOPER) in text


def test_html_empty_states(loads, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "first.html"
    with duckdb.connect(str(loads[1] / DB), read_only=True) as first:
        write_html_report(first, path)
        text = path.read_text(encoding="utf-8")
        assert render_html(first).count("<svg ") == text.count("<svg ") == 3 + len(UNITS)
    assert "No price changes yet" in text and ">Price history of " not in text
    assert "<caption>Catalogue changes, newest first" in text  # the first load's additions


def test_html_report_to_a_missing_folder_is_a_usage_error(loads, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = iomodels(
        "report", "--html", str(tmp_path / "no" / "such" / "dir.html"), "--data-dir", str(loads[0])
    )
    assert result.returncode == 2
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr


def png_rows(data: bytes, limit: int) -> tuple[int, int, list[bytes]]:
    """Width, height and the first `limit` rows of pixels (RGB) of an 8-bit PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, [], b""
    while pos < len(data):
        (size,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + size]
        pos += 12 + size
        header = body if kind == b"IHDR" else header
        if kind == b"IDAT":
            idat.append(body)
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0
    bpp = 3 if colour == 2 else 4
    stride, raw = width * bpp, zlib.decompress(b"".join(idat))
    prev, out = bytearray(stride), []
    for y in range(min(height, limit)):
        start = y * (stride + 1)
        kind_, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind_ == 1:
                line[i] = (line[i] + a) & 255
            elif kind_ == 2:
                line[i] = (line[i] + b) & 255
            elif kind_ == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind_ == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out.append(b"".join(bytes(line[i : i + 3]) for i in range(0, stride, bpp)))
        prev = line
    return width, height, out


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="no chromium binary (install it; in CI this test always runs)",
)
def test_html_renders_in_headless_chromium(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert CHROMIUM, "CI must install chromium"
    _, path = page
    png = tmp_path / "report.png"
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={png}",
            "--window-size=1280,2400",
            path.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert png.exists(), result.stderr[-2000:]
    data = png.read_bytes()
    assert len(data) > 60_000  # a blank 1280 x 2400 page compresses to a few kB
    width, height, pixels = png_rows(data, 900)  # the header and the scatter chart
    assert (width, height) == (1280, 2400)
    colours = {row[i : i + 3] for row in pixels for i in range(0, len(row), 3)}
    assert len(colours) > 200
    drawn = {c for c in PALETTE if bytes.fromhex(c[1:]) in colours}
    assert len(drawn) >= 4, drawn  # the developers' colours, filled in by the SVG


def test_catalogue_changes_show_the_quota_cut_from_the_change_log(page) -> None:  # type: ignore[no-untyped-def]
    """The catalogue changes read analytics.model_changes: the second catalogue's quota cut
    and status change are rows with their old and new values, beside the catalogue events."""
    text = page[0]
    catalogue = text[text.index("Catalogue changes, newest first") :].split("</table>")[0]
    evil = html.escape(EVIL_NAME, quote=False)
    assert (
        f'<td class="name">{evil}</td>'
        '<td><span class="tag chat_daily_quota_tier_1">chat quota</span></td>'
        "<td>5,000,000</td><td>4,000,000</td>"
    ) in catalogue
    assert (
        '<td class="name">mistralai/Mistral-Nemo-Instruct-2407</td>'
        '<td><span class="tag status">status</span></td><td>active</td><td>inactive</td>'
    ) in catalogue
    assert (
        '<td class="name">swiss-ai/Apertus-70B-Instruct-2509</td>'
        '<td><span class="tag removed">removed</span></td><td>—</td><td>—</td>'
    ) in catalogue
    assert "input 0.13 → 0.1 (-23.1%)" in text  # Llama 3.3's price-history panel
