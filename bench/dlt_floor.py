"""Reference, not a contender: the least a dlt loader does with the real-size catalogue.

Run as its own process by bench/run.py: `python bench/dlt_floor.py BASE_URL WORK_DIR`.
It GETs page 1 as the fetch floor does (urllib3 and orjson) and hands its rows, as sent, to one
`pipeline.run` into a DuckDB file (nested fields kept as JSON, so one table): dlt's extract,
normalize and load with
nothing of a real loader around them (no validation, history, views, lock or publish). Its wall
time is what the real-size target's `import dlt` leaves out and every dlt loader pays.
Prints {"rows": R} as JSON, R counted in the DuckDB file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import urllib3
from fetch_floor import get_page  # the same GET as the fetch floor's


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: dlt_floor.py BASE_URL WORK_DIR", file=sys.stderr)
        return 2
    base_url, work = argv[1], Path(argv[2])
    work.mkdir(parents=True, exist_ok=True)
    rows = get_page(urllib3.PoolManager(), base_url, 1)["data"]

    import dlt

    pipeline = dlt.pipeline(
        pipeline_name="dlt_floor",
        destination=dlt.destinations.duckdb(str(work / "dlt_floor.duckdb")),
        dataset_name="io_models",
        pipelines_dir=str(work / ".dlt"),
    )
    models = dlt.resource(rows, name="models", max_table_nesting=0)
    pipeline.run(models)
    with pipeline.sql_client() as client:
        counted = (client.execute_sql("select count(*) from models") or [[0]])[0][0]
    print(json.dumps({"rows": counted}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
