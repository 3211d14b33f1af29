"""The JSON text of served rows, rendered once per row.

A real server keeps its catalogue in a database next to it and spends little on a page; the
replica runs on the client's own CPUs, so what it spends per page is taken from the client under
test (the benchmark's loaders and the tests' loads). Generating a synthetic row costs about
60 µs and encoding it about 20 µs, 8 ms for a page of 100, so the generated catalogues keep
each row's JSON text once it has been served, and a page becomes a join of byte strings.

The text is exactly what Starlette's `JSONResponse` sends for the same rows (a test compares
the bytes), so clients cannot tell a cached page from a rendered one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

RENDERED_ROWS_LIMIT = 200_000
"""Rows past this index are rendered on every request: caps the cache near 300 MB."""


def to_json(value: Any) -> bytes:
    """`value` encoded with the settings of Starlette's `JSONResponse.render`."""
    return json.dumps(
        value, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    ).encode("utf-8")


def model_list_json(rows: list[bytes], pagination: dict[str, Any]) -> bytes:
    """The body of a `ModelListResponse` from rows already rendered by `to_json`."""
    return b'{"data":[' + b",".join(rows) + b'],"pagination":' + to_json(pagination) + b"}"


class RenderedRows:
    """The JSON text of the rows of a catalogue that never changes, each rendered once."""

    def __init__(self, count: int, model: Callable[[int], Any]) -> None:
        self._model = model
        self._texts: list[bytes | None] = [None] * min(count, RENDERED_ROWS_LIMIT)

    def text(self, index: int) -> bytes:
        if index >= len(self._texts):
            return to_json(self._model(index))
        text = self._texts[index]
        if text is None:
            text = self._texts[index] = to_json(self._model(index))
        return text
