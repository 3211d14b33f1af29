"""Prices in one unit: USD per million tokens, exactly, whatever unit and notation they came in.

The live endpoint sends USD per token as JSON numbers, so a price arrives as a binary float
with noise (0.95 per million is `9.499999999999999e-07`). The conversion starts from the
float's shortest repr (the digits the sender's float printed as, nothing invented by binary
expansion), multiplies in decimal, and rounds to significant digits, never to a fixed number
of decimals, so that a tiny price (1e-12 per million) survives as well as a large one.
"""

from __future__ import annotations

from decimal import Context, Decimal

from pipelines.settings import PRICE_SIGNIFICANT_DIGITS, TOKENS_PER_PRICE_UNIT
from pipelines.transform.numbers import plain

_SIGNIFICANT = Context(prec=PRICE_SIGNIFICANT_DIGITS)


def per_million_from_per_token(per_token: float | int) -> Decimal:
    """USD per token as sent (a float with noise) → USD per million tokens, noise removed."""
    exact = Decimal(repr(per_token)) * TOKENS_PER_PRICE_UNIT
    return _SIGNIFICANT.plus(exact).normalize() if exact else Decimal(0)


def per_million_text(per_token: float | int) -> str:
    return plain(per_million_from_per_token(per_token))


def per_token_float(per_million: Decimal | str) -> float:
    """What a sender whose prices are USD per million sends as USD per token (with its noise)."""
    return float(Decimal(per_million) / TOKENS_PER_PRICE_UNIT)
