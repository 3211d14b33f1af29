"""Page sizes and workers do not change what is loaded; q filters by name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CATALOGUE, connect_sql, iomodels_in_process, load_catalogue
from tests.replica_process import running_replica

MODELS = load_catalogue()
CONTENT = (
    "select model_id, name, status, input_price, output_price, chat_daily_quota_tier_1, "
    "context_window, tags from analytics.models order by model_id"
)


@pytest.fixture(scope="session")
def reference(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Any, ...]]:
    """The rows of a load with the default page size and workers, made once per test process."""
    data_dir = tmp_path_factory.mktemp("reference")
    with running_replica("--catalogue", str(CATALOGUE)) as url:
        result = iomodels_in_process("load", "--base-url", url, "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    return connect_sql(data_dir, "duckdb")(CONTENT)


@pytest.mark.slow
@pytest.mark.parametrize(("page_size", "workers"), [(1, 1), (1, 4), (7, 3), (100, 4)])
def test_page_sizes_give_the_same_rows(
    replica: str, tmp_path: Path, page_size: int, workers: int, reference: list[tuple[Any, ...]]
) -> None:
    data_dir = tmp_path / f"p{page_size}"
    result = iomodels_in_process(
        "load",
        "--base-url",
        replica,
        "--data-dir",
        str(data_dir),
        "--page-size",
        str(page_size),
        "--workers",
        str(workers),
        "--json",
    )
    assert result.returncode == 0, result.stderr
    rows = connect_sql(data_dir, "duckdb")(CONTENT)
    assert len(rows) == len(MODELS)
    assert {r[0] for r in rows} == {m["model_id"] for m in MODELS}
    expected_pages = -(-len(MODELS) // page_size)
    assert connect_sql(data_dir, "duckdb")("select pages from analytics.load_runs") == [
        (expected_pages,)
    ]
    assert rows == reference


def test_q_filters_by_name(replica: str, data_dir: Path) -> None:
    result = iomodels_in_process(
        "load",
        "--base-url",
        replica,
        "--data-dir",
        str(data_dir),
        "--q",
        "qwen",
        "--page-size",
        "1",
    )
    assert result.returncode == 0, result.stderr
    names = [
        r[0]
        for r in connect_sql(data_dir, "duckdb")("select name from analytics.models order by name")
    ]
    assert names == sorted(m["name"] for m in MODELS if "qwen" in m["name"].lower())
    assert len(names) >= 2


def test_a_catalogue_larger_than_one_batch_loads_whole(tmp_path: Path) -> None:
    """4,500 models cross the 2,000-row batches handed to dlt; every row and tag arrives."""
    from decimal import Decimal

    from pipelines.replica.synthetic import SyntheticCatalogueSource
    from pipelines.transform.batches import BATCH_ROWS
    from tests.replica_process import running_replica

    size = 4500
    assert size > 2 * BATCH_ROWS
    source = SyntheticCatalogueSource(size).current()
    models = [source.model(i) for i in range(size)]
    with running_replica("--synthetic", str(size)) as url:
        result = iomodels_in_process("load", "--base-url", url, "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    sql = connect_sql(tmp_path, "duckdb")
    prices = dict(sql("select model_id, input_price from analytics.models"))
    assert prices == {
        m["model_id"]: (
            Decimal(m["metadata"]["input_token_price"])
            if m["metadata"]["input_token_price"] is not None
            else None
        )
        for m in models
    }
    tags = sorted(sql("select model_id, tag from analytics.model_tags"))
    assert tags == sorted((m["model_id"], t) for m in models for t in m["metadata"]["tags"] or [])
