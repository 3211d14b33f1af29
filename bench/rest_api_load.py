"""Contender 2: dlt's generic `rest_api` source, configured for the endpoint as a user would.

Run as its own process by bench/run.py: `python bench/rest_api_load.py BASE_URL WORK_DIR`.
Loads into WORK_DIR/rest_api.duckdb (table `io_models.models`, tags in a child table) with
Parquet load files; dlt's state lives in WORK_DIR/dlt, never in ~/.dlt.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dlt.sources.rest_api.typing import RESTAPIConfig

DATABASE = "rest_api.duckdb"
DATASET = "io_models"
TABLE = "models"


def config(base_url: str) -> RESTAPIConfig:
    """The RESTAPIConfig: page-number pagination that stops at `pagination.total_pages`."""
    return {
        "client": {
            "base_url": base_url,
            "paginator": {
                "type": "page_number",
                "base_page": 1,
                "page_param": "page",
                "total_path": "pagination.total_pages",
            },
        },
        "resource_defaults": {"primary_key": "model_id"},
        "resources": [
            {
                "name": TABLE,
                "endpoint": {
                    "path": "api/v1/models",
                    "params": {"page_size": 100},
                    "data_selector": "data",
                },
            }
        ],
    }


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: rest_api_load.py BASE_URL WORK_DIR", file=sys.stderr)
        return 2
    base_url, work = argv[1], Path(argv[2])
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")

    import dlt
    from dlt.sources.rest_api import rest_api_source

    pipeline = dlt.pipeline(
        pipeline_name="bench_rest_api",
        destination=dlt.destinations.duckdb(str(work / DATABASE)),
        dataset_name=DATASET,
        pipelines_dir=str(work / "dlt"),
    )
    info = pipeline.run(rest_api_source(config(base_url)), loader_file_format="parquet")
    info.raise_on_failed_jobs()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
