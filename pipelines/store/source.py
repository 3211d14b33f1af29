"""The dlt source: only @dlt.source and @dlt.resource; the work is done by the caller's batches.

Every item is an Arrow table with an explicit schema, so dlt's row-by-row normaliser is
skipped, and `with_table_name` routes each table. All tables are append-only: history is kept
by writing new versions, never by updating old rows, which works alike on DuckDB and Parquet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import dlt
from dlt.sources import DltResource

from pipelines.settings import DATASET
from pipelines.transform.batches import TableBatch


@dlt.source(name=DATASET, max_table_nesting=0)
def io_intelligence(batches: Callable[[], Iterator[TableBatch]]) -> DltResource:
    @dlt.resource(name="catalogue", write_disposition="append")
    def catalogue() -> Iterator[Any]:
        for table_name, table in batches():
            yield dlt.mark.with_table_name(table, table_name)

    return catalogue
