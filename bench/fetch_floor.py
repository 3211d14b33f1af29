"""Reference, not a contender: how fast N threads can merely GET and parse every page.

Run as its own process by bench/run.py: `python bench/fetch_floor.py BASE_URL WORKERS`.
Nothing is flattened or stored, so its wall time is the floor any loader with that many
concurrent requests can reach on this machine against this server (whose own work per page
runs on the same CPUs). Prints {"pages": P, "rows": R} as JSON.
"""

from __future__ import annotations

import json
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

PAGE_SIZE = 100
_local = threading.local()


def get_page(base_url: str, page: int) -> dict[str, Any]:
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
    response = session.get(
        f"{base_url}/api/v1/models", params={"page": page, "page_size": PAGE_SIZE}, timeout=30
    )
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: fetch_floor.py BASE_URL WORKERS", file=sys.stderr)
        return 2
    base_url, workers = argv[1], int(argv[2])
    first = get_page(base_url, 1)
    total_pages = int(first["pagination"]["total_pages"])
    rows = len(first["data"])
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for body in pool.map(lambda n: get_page(base_url, n), range(2, total_pages + 1)):
            rows += len(body["data"])
    print(json.dumps({"pages": total_pages, "rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
