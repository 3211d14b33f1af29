"""How iomodels writes numbers, in one place: prices as stored, and every figure people read.

Used where prices are stored canonically (transform: trailing zeros trimmed, so the same price
always has the same text and hash) and by every report (present), with these rules:
- prices, USD per million tokens: the exact decimal with trailing zeros trimmed (0.0575, 2,
  8.75); never rounded.
- costs, USD: exact, never rounded, with at least two decimals and thousands separators (0.58,
  1,234.50, 0.0000012); differences carry a sign (+0.30, -2.07).
- counts and quotas: whole numbers with thousands separators (13,500,000). Compact quotas, where
  room is short: the value in k, M, B or T rounded half-up to 3 significant digits, with one
  decimal at least below 10 (28.8k, 500k, 1.0M, 6.95M, 13.5M); below 10,000 the full number.
- percentages: a fraction times 100 rounded half-up to one decimal (-23.1%, 72.5%); changes
  carry a sign.
- measures (latency in ms, throughput in tokens/s): one decimal, thousands separators (1,530.0).
- a missing value: "—".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

MISSING = "—"
_UNITS = ((3, "k"), (6, "M"), (9, "B"), (12, "T"))


def trim_zeros(text: str) -> str:
    """'1.500' → '1.5', '2.000' → '2', '100' → '100' (a whole number keeps its zeros)."""
    return text.rstrip("0").rstrip(".") if "." in text else text


def plain(number: Decimal) -> str:
    """Plain notation without trailing zeros: Decimal('1.50E-7') → '0.00000015'."""
    return trim_zeros(format(number, "f"))


def price(value: Any) -> str:
    """A price as stored, exactly: 0.0575, 2, 8.75."""
    return MISSING if value is None else plain(Decimal(str(value)))


def usd(value: Any, signed: bool = False) -> str:
    """An exact amount of USD: 0.58, 1,234.50, 0.0000012, 30.00; signed: +0.30, -2.07."""
    if value is None:
        return MISSING
    amount = Decimal(str(value))
    whole, _, fraction = format(abs(amount), "f").partition(".")
    fraction = fraction.rstrip("0").ljust(2, "0")
    sign = "-" if amount < 0 else "+" if signed and amount > 0 else ""
    return f"{sign}{int(whole):,}.{fraction}"


def whole(value: Any) -> str:
    """A count: 13,500,000."""
    return MISSING if value is None else f"{int(value):,}"


def compact(value: Any) -> str:
    """13,500,000 → 13.5M; 500,000 → 500k; 1,000,000 → 1.0M; 9,999 → 9,999."""
    if value is None:
        return MISSING
    n = int(value)
    if abs(n) < 10_000:
        return f"{n:,}"
    for exponent, suffix in _UNITS:
        scaled = Decimal(n).scaleb(-exponent)
        decimals = max(3 - (scaled.adjusted() + 1), 0)
        rounded = scaled.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        if abs(rounded) < 1000 or suffix == "T":
            break
    text = trim_zeros(format(rounded, "f"))
    if abs(rounded) < 10 and "." not in text:
        text += ".0"
    return text + suffix


def percent(value: Any, signed: bool = False) -> str:
    """A fraction as a percentage to 0.1: 0.725 → 72.5%; signed: -23.1%, +5.0%."""
    if value is None:
        return MISSING
    pct = (Decimal(repr(float(value))) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{pct:+}%" if signed else f"{pct}%"


def measure(value: Any) -> str:
    """A latency or a throughput: 1,530.0."""
    return MISSING if value is None else f"{float(value):,.1f}"
