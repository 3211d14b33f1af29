"""The rules for one field at a time: take the value as sent, or normalise it, or leave it
NULL, and say which in a `Problem`. Pure: no HTTP, no dlt."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pipelines.settings import IMPLAUSIBLE_PRICE_BELOW
from pipelines.transform.numbers import plain as decimal_text
from pipelines.transform.units import per_million_text

PLAIN_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")
INTEGER_TEXT = re.compile(r"-?[0-9]+")
INT64_MAX = 2**63 - 1
_IMPLAUSIBLE = Decimal(IMPLAUSIBLE_PRICE_BELOW)


# Memos of pure per-value work, bounded so that odd input cannot grow them without end.
MEMO_MAX = 10_000
# Plain price texts already read without a problem: the common case skips the checks.
PLAUSIBLE_PRICES: set[str] = set()


def remember(memo: dict[Any, Any], key: Any, value: Any) -> None:
    if len(memo) >= MEMO_MAX:
        memo.clear()
    memo[key] = value


@dataclass(frozen=True)
class Problem:
    field: str
    raw_value: str | None
    problem: str


def raw_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


class FieldReader:
    """Collects problems while reading one object's fields; one instance per row."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def flag(self, name: str, value: Any, problem: str) -> None:
        self.problems.append(Problem(name, None if value is None else raw_text(value), problem))

    def text(self, name: str, value: Any) -> str | None:
        if value is None or isinstance(value, str):
            return value
        self.flag(name, value, "expected text; kept as JSON text")
        return raw_text(value)

    def integer(self, name: str, value: Any, *, required: bool = False) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif value is None:
            if required:
                self.flag(name, value, "required field is missing or null")
            return None
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str) and INTEGER_TEXT.fullmatch(value.strip()):
            number = int(value)
            self.flag(name, value, "integer sent as text; converted")
        else:
            self.flag(name, value, "not an integer; left NULL")
            return None
        if number < 0:
            self.flag(name, value, "negative; left NULL")
            return None
        if number > INT64_MAX:
            self.flag(name, value, "too large for a 64-bit integer; left NULL")
            return None
        return number

    def flag_value(self, name: str, value: Any) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        if value in (0, 1, "true", "false", "True", "False"):
            self.flag(name, value, "boolean sent as number or text; converted")
            return value in (1, "true", "True")
        self.flag(name, value, "not a boolean; left NULL")
        return None

    def timestamp(self, name: str, value: Any) -> datetime | None:
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                # A timestamp without offset is taken as UTC, as the API's examples are.
                return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        self.flag(name, value, "not an ISO 8601 timestamp; left NULL")
        return None

    def price(self, name: str, value: Any) -> str | None:
        """The API's text when it is a plain non-negative decimal; otherwise normalised or NULL."""
        if value is None:
            return None
        if isinstance(value, str) and PLAIN_DECIMAL.fullmatch(value):
            text = value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            text = decimal_text(Decimal(repr(value)))
            self.flag(name, value, "price sent as a number, not text; converted")
        else:
            try:
                number = Decimal(str(value).strip())
            except InvalidOperation:
                self.flag(name, value, "price is not a number; left NULL")
                return None
            if not number.is_finite() or number < 0:
                self.flag(name, value, "price is negative or not finite; left NULL")
                return None
            text = decimal_text(number)
            self.flag(name, value, "price in an unusual notation; normalised")
        if 0 < Decimal(text) < _IMPLAUSIBLE:
            self.flag(name, value, "implausible unit: looks like USD per token, not per million")
        elif text is value and len(PLAUSIBLE_PRICES) < MEMO_MAX:
            PLAUSIBLE_PRICES.add(value)
        return text

    def price_per_token(self, name: str, value: Any) -> str | None:
        """The live shape's price: a JSON number in USD per token → text in USD per million."""
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            if value != value or value in (float("inf"), float("-inf")) or value < 0:
                self.flag(name, value, "price is negative or not finite; left NULL")
                return None
            return per_million_text(value)
        if isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                number = -1.0
            if number >= 0 and number != float("inf"):
                self.flag(name, value, "price per token sent as text; converted")
                return per_million_text(number)
        self.flag(name, value, "price is not a number; left NULL")
        return None

    def number(self, name: str, value: Any) -> float | None:
        """A non-negative measurement (latency, throughput): a JSON number, else NULL."""
        if value is None:
            return None
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if is_number and 0 <= value < float("inf"):
            return float(value)
        self.flag(name, value, "not a non-negative number; left NULL")
        return None

    def tags(self, value: Any) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            self.flag("tags", value, "tags given as a string; split on commas")
            return [t.strip() for t in value.split(",") if t.strip()]
        if not isinstance(value, list):
            self.flag("tags", value, "tags are not a list; ignored")
            return []
        tags = [t for t in value if isinstance(t, str)]
        if len(tags) != len(value):
            self.flag("tags", value, "non-text tags dropped from the list")
        return tags
