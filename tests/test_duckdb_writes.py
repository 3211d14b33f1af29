"""How a load writes its DuckDB file: a large insert goes into the file compressed, not into
the write-ahead log (which the publishing checkpoint would then have to compress)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines.config import prepare_dlt
from pipelines.store.targets.duckdb_file import DuckDBTarget

ROWS = 100_000  # less than a row group (122,880 rows): the case the threshold decides


def test_a_large_insert_is_written_to_the_file_not_the_log(tmp_path: Path) -> None:
    import dlt

    prepare_dlt()
    target = DuckDBTarget(tmp_path)
    target.prepare()
    try:
        pipeline = dlt.pipeline(
            pipeline_name="duckdb_writes",
            destination=target.dlt_destination(),
            dataset_name="io_intelligence",
            pipelines_dir=str(tmp_path / ".dlt"),
        )
        # ~35 MB of text: dlt's 1 GB checkpoint_threshold would log all of it
        descriptions = [f"model {i} answers questions about documents. " * 6 for i in range(ROWS)]
        table = pa.table({"model_id": [f"m-{i:06d}" for i in range(ROWS)], "d": descriptions})
        pipeline.run(table, table_name="wide")
        wal = target.staged_file.with_name(target.staged_file.name + ".wal")
        assert (wal.stat().st_size if wal.exists() else 0) < 16 * 2**20
        target._close()
        with duckdb.connect(str(target.staged_file), read_only=True) as con:
            counted = con.execute(
                "select count(*), count(distinct model_id), max(length(d)) "
                "from io_intelligence.wide"
            ).fetchall()
        assert counted == [(ROWS, ROWS, len(descriptions[-1]))]
    finally:
        target.discard()
