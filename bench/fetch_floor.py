"""Reference, not a contender: how fast N threads can merely GET and parse every page.

Run as its own process by bench/run.py: `python bench/fetch_floor.py BASE_URL WORKERS`.
Nothing is flattened or stored, so its wall time is the floor any loader with that many
concurrent requests can reach on this machine against this server (whose own work per page
runs on the same CPUs). It uses the cheapest client at hand, as iomodels does: urllib3's pool
and orjson (requests' session and the json module cost about 1 ms of CPU more per page).
Prints {"pages": P, "rows": R} as JSON.
"""

from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import orjson
import urllib3

PAGE_SIZE = 100


def get_page(pool: urllib3.PoolManager, base_url: str, page: int) -> dict[str, Any]:
    response = pool.request(
        "GET",
        f"{base_url}/api/v1/models",
        fields={"page": str(page), "page_size": str(PAGE_SIZE)},
        timeout=30.0,
    )
    if response.status != 200:
        raise RuntimeError(f"page {page}: HTTP {response.status}")
    body: dict[str, Any] = orjson.loads(response.data)
    return body


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: fetch_floor.py BASE_URL WORKERS", file=sys.stderr)
        return 2
    base_url, workers = argv[1], int(argv[2])
    pool = urllib3.PoolManager(maxsize=workers)  # thread-safe, one connection per worker
    first = get_page(pool, base_url, 1)
    total_pages = int(first["pagination"]["total_pages"])
    rows = len(first["data"])
    with ThreadPoolExecutor(max_workers=workers) as executor:
        pages = range(2, total_pages + 1)
        for body in executor.map(lambda n: get_page(pool, base_url, n), pages):
            rows += len(body["data"])
    print(json.dumps({"pages": total_pages, "rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
