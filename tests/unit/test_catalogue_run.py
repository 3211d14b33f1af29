"""One read of the catalogue, pass by pass, without HTTP: a client double serves pages from a
list in the API's own pagination (the replica's window function), so the run's rules (versions,
counters, a pass that fails without raising into dlt, confirmed retirements) are tested fast.
The same rules over real HTTP are the end-to-end tier's (test_history.py, test_faults.py)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from pipelines.errors import PaginationInconsistent
from pipelines.replica.pagination import page_window
from pipelines.transform.catalogue_run import CatalogueRun
from pipelines.transform.history import Prior, PriorVersion
from pipelines.transform.run_stats import RunStats
from tests.conftest import load_catalogue

MODELS = load_catalogue()


class ListClient:
    """The two calls the run makes of CatalogueClient, served from a list of raw models."""

    def __init__(self, models: list[dict[str, Any]], *, total_moves_on_page: int = 0) -> None:
        self.models = models
        self.total_moves_on_page = total_moves_on_page

    def page_url(self, page: int, page_size: int, q: str | None) -> str:
        return f"memory://models?page={page}&page_size={page_size}&q={q}"

    def get_page(self, page: int, page_size: int, q: str | None = None) -> Any:
        rows = [m for m in self.models if q is None or q.lower() in m["name"].lower()]
        window = page_window(len(rows), page, page_size)
        pagination = window.pagination()
        if page == self.total_moves_on_page:
            pagination["total"] += 1
        return {"data": rows[window.start : window.stop], "pagination": pagination}


def _run(client: ListClient, prior: Prior | None = None, q: str | None = None) -> CatalogueRun:
    stats = RunStats("run1", datetime(2026, 11, 30, tzinfo=UTC), "memory://", q)
    return CatalogueRun(client, prior or Prior.empty(), stats, page_size=5, workers=2)  # type: ignore[arg-type]


def _tables(batches: Any) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for name, table in batches:
        assert isinstance(table, pa.Table)
        out.setdefault(name, []).extend(table.to_pylist())
    return out


def _prior_from(versions: list[dict[str, Any]]) -> Prior:
    return Prior(
        {
            v["model_id"]: PriorVersion(v["row_hash"], v["is_present"], v["name"], v["status"])
            for v in versions
        },
    )


def test_a_first_pass_writes_every_model_once_in_page_order() -> None:
    run = _run(ListClient(MODELS))
    one_pass = run.new_pass()
    tables = _tables(one_pass.batches())
    assert one_pass.failure is None
    assert [v["name"] for v in tables["model_versions"]] == [m["name"] for m in MODELS]
    assert {v["change"] for v in tables["model_versions"]} == {"added"}
    (load_run,) = tables["load_runs"]
    assert (load_run["pages"], load_run["rows_seen"], load_run["versions_written"]) == (
        5,
        21,
        21,
    )
    assert load_run["outcome"] == "ok" and load_run["pagination_attempts"] == 1
    tagged = {t["model_id"] for t in tables["model_tags"]}
    assert tagged == {m["model_id"] for m in MODELS if m["metadata"].get("tags")}


def test_an_unchanged_catalogue_writes_no_version() -> None:
    first = _tables(_run(ListClient(MODELS)).new_pass().batches())["model_versions"]
    tables = _tables(_run(ListClient(MODELS), _prior_from(first)).new_pass().batches())
    assert tables.get("model_versions", []) == []
    assert tables["load_runs"][0]["versions_written"] == 0


def test_a_price_change_and_a_confirmed_absence() -> None:
    first = _tables(_run(ListClient(MODELS)).new_pass().batches())["model_versions"]
    changed = copy.deepcopy(MODELS[1:])  # the first model leaves the catalogue
    changed[0]["metadata"]["input_token_price"] = "9.99"
    tables = _tables(_run(ListClient(changed), _prior_from(first)).new_pass().batches())
    versions = {v["name"]: v for v in tables["model_versions"]}
    assert versions[changed[0]["name"]]["change"] == "changed"
    assert versions[changed[0]["name"]]["input_token_price"] == "9.99"
    gone = versions[MODELS[0]["name"]]
    assert (gone["change"], gone["is_present"], gone["model_id"]) == (
        "removed",
        False,
        MODELS[0]["model_id"],
    )
    assert len(versions) == 2


def test_a_pass_that_sees_the_total_move_fails_without_raising() -> None:
    run = _run(ListClient(MODELS, total_moves_on_page=3))
    one_pass = run.new_pass()
    tables = _tables(one_pass.batches())  # the stream ends; dlt would never see our error
    assert isinstance(one_pass.failure, PaginationInconsistent)
    assert tables.get("load_runs", []) == []  # only the empty tables a first load creates
    # the next pass starts afresh: its own counters, the attempt counted
    run.client = ListClient(MODELS)  # type: ignore[assignment]
    second = run.new_pass()
    again = _tables(second.batches())
    assert second.failure is None
    assert again["load_runs"][0]["pagination_attempts"] == 2
    assert again["load_runs"][0]["rows_seen"] == 21


def test_an_absent_model_still_found_by_name_is_not_retired() -> None:
    first = _tables(_run(ListClient(MODELS)).new_pass().batches())["model_versions"]

    class Shifted(ListClient):
        """Page reads miss the first model; a search by its name finds it."""

        def get_page(self, page: int, page_size: int, q: str | None = None) -> Any:
            if q is None:
                return ListClient(self.models[1:]).get_page(page, page_size)
            return super().get_page(page, page_size, q)

    one_pass = _run(Shifted(MODELS), _prior_from(first)).new_pass()
    tables = _tables(one_pass.batches())
    assert isinstance(one_pass.failure, PaginationInconsistent)
    assert "still listed" in str(one_pass.failure)
    assert tables.get("model_versions", []) == []
