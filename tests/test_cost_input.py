"""`iomodels cost` bad input, end to end: exit 2 and one line, before any data is opened
(the parsing itself: tests/unit/test_workload_input.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import iomodels


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--input-tokens", "-5", "--output-tokens", "1"], "--input-tokens must not be negative"),
        (["--input-tokens", "5", "--output-tokens=-1k"], "--output-tokens must not be negative"),
        (["--input-tokens", "5", "--output-tokens", "-1k"], "--output-tokens expected one"),
        (["--output-tokens", "1"], "required: --input-tokens"),
        (["--input-tokens", "1M", "--output-tokens", "1", "--cached-input-tokens", "2M"],
         "cannot exceed --input-tokens"),
        (["--input-tokens", "ten", "--output-tokens", "1"], "takes a token count"),
        (["--input-tokens", "1", "--output-tokens", "1", "--at", "last tuesday"],
         "--at takes an ISO 8601 time"),
        (["--input-tokens", "1", "--output-tokens", "1", "--compare-to", "2026-13-01"],
         "--compare-to takes an ISO 8601 time"),
        (["--input-tokens", "1", "--output-tokens", "1", "--top", "0"], "--top must be at least 1"),
        (["--input-tokens", "1", "--output-tokens", "1", "--top", "x"], "--top takes a number"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = iomodels("cost", *args, "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert message in result.stderr and "Traceback" not in result.stderr


def test_cost_before_any_load_says_what_to_do(tmp_path: Path) -> None:
    result = iomodels("cost", "--input-tokens", "1M", "--output-tokens", "1M", "--data-dir",
                      str(tmp_path))  # fmt: skip
    assert result.returncode == 2
    assert "run `iomodels load" in result.stderr and len(result.stderr.splitlines()) == 1
