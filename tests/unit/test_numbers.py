"""The one number-formatting module: every rule of its docstring, on values from the views."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipelines.transform import numbers


@pytest.mark.parametrize(
    ("text", "trimmed"),
    [("1.500", "1.5"), ("2.000", "2"), ("100", "100"), ("0.0", "0"), ("12.5", "12.5")],
)
def test_trim_zeros_keeps_a_whole_numbers_zeros(text: str, trimmed: str) -> None:
    assert numbers.trim_zeros(text) == trimmed


def test_plain_never_uses_an_exponent() -> None:
    assert numbers.plain(Decimal("1.50E-7")) == "0.00000015"
    assert numbers.plain(Decimal("2.5E+3")) == "2500"
    assert numbers.plain(Decimal("8.7500000000")) == "8.75"


def test_prices_are_exact_and_trimmed() -> None:
    assert [numbers.price(v) for v in (Decimal("0.0575000000"), Decimal("2.0"), 8.75)] == [
        "0.0575",
        "2",
        "8.75",
    ]
    assert numbers.price(None) == numbers.MISSING == "—"


def test_usd_has_two_decimals_at_least_and_a_sign_when_asked() -> None:
    assert numbers.usd(Decimal("0.5800000000000000")) == "0.58"
    assert numbers.usd(Decimal("1234.5")) == "1,234.50"
    assert numbers.usd(Decimal("0.0000012")) == "0.0000012"
    assert numbers.usd(30) == "30.00"
    assert numbers.usd(Decimal("0.3"), signed=True) == "+0.30"
    assert numbers.usd(Decimal("-2.07"), signed=True) == "-2.07"
    assert numbers.usd(0, signed=True) == "0.00"


def test_counts_and_compact_quotas() -> None:
    assert numbers.whole(13_500_000) == "13,500,000"
    compact = [28_800, 500_000, 1_000_000, 6_950_000, 13_500_000, 9_999, 999_500, 2 * 10**15]
    assert [numbers.compact(v) for v in compact] == [
        "28.8k", "500k", "1.0M", "6.95M", "13.5M", "9,999", "1.0M", "2000T",
    ]  # fmt: skip
    assert numbers.compact(None) == "—"


def test_percentages_round_half_up_to_a_tenth() -> None:
    assert numbers.percent(0.725) == "72.5%"
    assert numbers.percent(-0.23125, signed=True) == "-23.1%"
    assert numbers.percent(0.05, signed=True) == "+5.0%"
    assert numbers.percent(0.00049) == "0.0%"


def test_measures_have_one_decimal() -> None:
    assert numbers.measure(1530) == "1,530.0"
    assert numbers.measure(Decimal("12.345")) == "12.3"
    assert numbers.measure(None) == "—"
