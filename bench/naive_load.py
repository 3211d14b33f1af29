"""Contender 3: a plain `requests` loop, page by page, then DuckDB's `read_json`.

Run as its own process by bench/run.py: `python bench/naive_load.py BASE_URL WORK_DIR`.
Writes WORK_DIR/models.jsonl, then WORK_DIR/naive.duckdb with table `models`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb
import requests

DATABASE = "naive.duckdb"
TABLE = "models"
PAGE_SIZE = 100


def fetch_all(base_url: str, jsonl: Path) -> int:
    """GET page 1, 2, ... until `has_next` is false; one JSON row per line. Returns pages."""
    page = 1
    with jsonl.open("w", encoding="utf-8") as out:
        while True:
            response = requests.get(
                f"{base_url}/api/v1/models",
                params={"page": page, "page_size": PAGE_SIZE},
                timeout=30,
            )
            response.raise_for_status()
            body = response.json()
            for row in body["data"]:
                out.write(json.dumps(row))
                out.write("\n")
            if not body["pagination"]["has_next"]:
                return page
            page += 1


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: naive_load.py BASE_URL WORK_DIR", file=sys.stderr)
        return 2
    base_url, work = argv[1], Path(argv[2])
    work.mkdir(parents=True, exist_ok=True)
    jsonl = work / "models.jsonl"
    fetch_all(base_url, jsonl)
    with duckdb.connect(str(work / DATABASE)) as con:
        con.execute(
            f"create or replace table {TABLE} as "
            "select * from read_json(?, format = 'newline_delimited')",
            [str(jsonl)],
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
