"""The terminal report never splits a number over two lines, even when a table cannot fit."""

from __future__ import annotations

import io
from decimal import Decimal

from rich.console import Console

from pipelines.present.report import print_section
from pipelines.present.report_data import Section

PRICES = [Decimal("48.7471"), Decimal("60.79185"), Decimal("72.83664"), Decimal("146.2413"),
          Decimal("182.37555"), Decimal("218.50981")]  # fmt: skip


def _printed(width: int, developer: str) -> str:
    columns = ["developer", "priced_models", "min_input_price", "median_input_price",
               "max_input_price", "min_output_price", "median_output_price",
               "max_output_price", "cheapest_model"]  # fmt: skip
    row = (developer, 2, *PRICES, "Großes-Labor-000222/model-with-a-long-name-0000333")
    sec = Section("pricing_summary", "Prices by developer", columns, [row])
    out = io.StringIO()
    print_section(sec, Console(file=out, width=width, color_system=None))
    return out.getvalue()


def test_a_table_too_wide_for_80_columns_keeps_every_number_whole() -> None:
    text = _printed(80, "Großes Forschungslabor für Sprachmodelle 000222")
    for price in PRICES:
        assert str(price) in text, (price, text)
    lines = [line for line in text.splitlines() if line.strip()]
    assert any(line.startswith("Großes") for line in lines)  # the row starts with the name


def test_a_table_that_fits_stays_within_the_width() -> None:
    text = _printed(200, "Lab")
    assert all(len(line) <= 200 for line in text.splitlines())
    for price in PRICES:
        assert str(price) in text
