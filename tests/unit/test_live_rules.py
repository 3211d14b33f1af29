"""The rules that make a switch of shape or of key invent nothing, without HTTP: carrying what
a shape lacks, the row hash across shapes, retirement per listing scope, a live pass."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from pipelines.replica.shapes import live_model_list
from pipelines.transform.carry import carry_forward
from pipelines.transform.catalogue_run import CatalogueRun
from pipelines.transform.flatten import flatten_model
from pipelines.transform.history import Prior, row_hash
from pipelines.transform.live_shape import flatten_live
from pipelines.transform.retire import listing_rows, retirement_candidates
from pipelines.transform.run_stats import RunStats
from pipelines.transform.schemas import MODEL_COLUMNS
from tests.conftest import load_catalogue

MODELS = load_catalogue()
LLAMA = MODELS[0]
NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def _prior(rows: list[dict[str, Any]], listed: dict[str, set[str]] | None = None) -> Prior:
    columns = ["row_hash", "is_present", "latest_name", "latest_status"]
    columns += [name for name, _ in MODEL_COLUMNS]
    tuples = [
        (row_hash(r), True, r["name"], r["status"], *(r[name] for name, _ in MODEL_COLUMNS))
        for r in rows
    ]
    prior = Prior.from_rows(columns, tuples)
    prior.listed = listed
    return prior


def _documented(model: dict[str, Any]) -> dict[str, Any]:
    row = flatten_model(model).row
    assert row is not None
    return row


def _live(model: dict[str, Any], model_id: str) -> dict[str, Any]:
    (item,) = live_model_list([model], perf_seed=1)["data"]
    row = flatten_live(item, model_id, "Meta").row
    assert row is not None
    return row


def test_a_live_row_keeps_what_the_live_shape_lacks_and_hashes_alike_once_learnt() -> None:
    documented = _documented(LLAMA)
    live = _live(LLAMA, documented["model_id"])
    carry_forward(live, _prior([documented]), "live", derived_developer=True)
    for column in ("description", "status", "chat_daily_quota_tier_1", "tags", "license"):
        assert live[column] == documented[column], column
    assert live["input_token_price"] == documented["input_token_price"] == "0.13"
    # what only the live shape says is new information: one version, then never again
    assert row_hash(live) != row_hash(documented)
    back = _documented(LLAMA)
    carry_forward(back, _prior([live]), "documented", derived_developer=False)
    assert back["max_model_len"] == 128000 and row_hash(back) == row_hash(live)
    assert json.loads(back["extra_fields"])["live"]["owned_by"] == "vllm"
    again = _live(LLAMA, documented["model_id"])
    carry_forward(again, _prior([back]), "live", derived_developer=True)
    assert row_hash(again) == row_hash(back)


def test_a_developer_guessed_from_the_id_never_overrides_a_named_one() -> None:
    documented = _documented({**LLAMA, "metadata": {**LLAMA["metadata"], "developer": "Meta AI"}})
    live = _live(LLAMA, documented["model_id"])
    carry_forward(live, _prior([documented]), "live", derived_developer=True)
    assert live["developer"] == "Meta AI"


def test_a_row_hash_of_a_version_from_before_the_live_columns_is_unchanged() -> None:
    row = _documented(LLAMA)
    assert row["max_model_len"] is None and row["supports_attestation"] is None
    # the digest of a documented row does not depend on the columns added with the live shape
    without = {k: v for k, v in row.items() if k not in ("source_shape", "prices_as_sent")}
    assert row_hash({**without, "source_shape": "x", "prices_as_sent": "{}"}) == row_hash(row)


def test_retirement_is_per_listing_scope() -> None:
    rows = [_documented(m) for m in MODELS[:3]]
    ids = {r["model_id"] for r in rows}
    assert retirement_candidates(_prior(rows), "live/guest") == (None, None)  # old rule
    listed = {"documented/guest": ids}
    candidates, note = retirement_candidates(_prior(rows, listed), "live/key")
    assert candidates == set() and note is not None and "nothing retired" in note
    one = {rows[0]["model_id"]}
    candidates, note = retirement_candidates(_prior(rows, {"live/key": one}), "live/key")
    assert candidates == one and note is None
    entered = list(listing_rows(_prior(rows, {"live/key": one}), "live/key", ids, [], NOW, "r"))
    assert sorted(r["model_id"] for r in entered) == sorted(ids - one)
    assert all(r["listed"] and r["scope"] == "live/key" for r in entered)


class LiveClient:
    def __init__(self, models: list[dict[str, Any]], perf_seed: int) -> None:
        self.body = live_model_list(models, perf_seed)

    def page_url(self, page: int, page_size: int, q: str | None) -> str:
        return "memory://models"

    def get_page(self, page: int, page_size: int, q: str | None = None) -> Any:
        return self.body


def _pass(client: LiveClient, prior: Prior) -> dict[str, list[dict[str, Any]]]:
    stats = RunStats("run1", NOW, "memory://", None)
    run = CatalogueRun(client, prior, stats, page_size=100, workers=1)  # type: ignore[arg-type]
    one_pass = run.new_pass()
    out: dict[str, list[dict[str, Any]]] = {}
    for name, table in one_pass.batches():
        assert isinstance(table, pa.Table)
        out.setdefault(name, []).extend(table.to_pylist())
    assert one_pass.failure is None
    return out


def test_a_live_pass_writes_versions_performance_and_listings_and_no_problems() -> None:
    active = [m for m in MODELS if m["status"] == "active"]
    tables = _pass(LiveClient(MODELS, perf_seed=1), Prior.empty())
    assert len(tables["model_versions"]) == len(active)
    assert tables.get("data_quality", []) == []
    assert len(tables["model_performance"]) == len(active)
    assert {r["scope"] for r in tables["model_listings"]} == {"live/guest"}
    (run,) = tables["load_runs"]
    assert run["response_shape"] == "live" and run["key_scope"] == "guest"
    assert "metadata.tags" in run["fields_lacking"]
    nemo = next(v for v in tables["model_versions"] if v["name"].endswith("Nemo-Instruct-2407"))
    assert (nemo["input_token_price"], nemo["developer"], nemo["status"]) == (
        "0.02",
        "Mistral AI",
        "active",
    )


def test_permission_ids_and_times_made_per_response_make_no_new_version() -> None:
    """vLLM's server makes each permission's id and created anew for every response: two
    responses that differ only there give the same row and hash; what is allowed still counts."""
    first, second = (live_model_list([LLAMA], perf_seed=None)["data"][0] for _ in range(2))
    assert first["permission"][0]["id"] != second["permission"][0]["id"]  # as the server does
    rows = [flatten_live(item, "m1", "Meta").row for item in (first, second)]
    assert rows[0]["extra_fields"] == rows[1]["extra_fields"]
    assert row_hash(rows[0]) == row_hash(rows[1])
    kept = json.loads(rows[0]["extra_fields"])["live"]["permission"][0]
    assert "id" not in kept and "created" not in kept and kept["allow_sampling"] is True
    second["permission"][0]["allow_sampling"] = False
    assert row_hash(flatten_live(second, "m1", "Meta").row) != row_hash(rows[0])
