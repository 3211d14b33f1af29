"""The local replica of GET /api/v1/models: pagination, filtering, validation and every fault.

All tests talk real HTTP to a replica subprocess on loopback (see `replica_process.py`).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.replica_process import (
    LISTENING_PREFIX,
    PROJECT_ROOT,
    ReplicaOutput,
    ReplicaStartError,
    running_replica,
    running_replicas,
)

REPLICA_DIR = PROJECT_ROOT / "pipelines" / "replica"
CATALOGUE = json.loads((REPLICA_DIR / "catalogue.json").read_text())
CATALOGUE_NEXT = json.loads((REPLICA_DIR / "catalogue_next.json").read_text())
MODELS = "/api/v1/models"


def get(base_url: str, path: str = MODELS, **params: Any) -> requests.Response:
    return requests.get(base_url + path, params=params, timeout=10)


def page(base_url: str, **params: Any) -> dict[str, Any]:
    response = get(base_url, **params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    return body


def fetch_all(base_url: str, page_size: int, **params: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for number in range(1, 10_000):
        body = page(base_url, page=number, page_size=page_size, **params)
        rows.extend(body["data"])
        if not body["pagination"]["has_next"]:
            return rows
    raise AssertionError("pagination did not end")


def names(rows: list[dict[str, Any]]) -> list[str]:
    return [row["name"] for row in rows]


# One replica per configuration, all started together when the module starts: a start costs
# ~0.7 s of CPU (importing FastAPI), and started together the CPUs share that work instead of
# each test waiting for its own. Every fault with counters or state has a replica of its own, so
# no test sees another test's requests.
CONFIGURATIONS: dict[str, tuple[str, ...]] = {
    "default": (),
    "latency": ("--latency", "0.3"),
    "fail_first": ("--fail-first", "2"),
    "fail_rate": ("--fail-rate", "0.5", "--seed", "7", "--fail-status", "500"),
    "fail_rate_again": ("--fail-rate", "0.5", "--seed", "7", "--fail-status", "500"),
    "rate_limit": ("--rate-limit", "3"),
    "truncate": ("--truncate", "2"),
    "shift_once": ("--shift-catalogue", "once"),
    "shift_always": ("--shift-catalogue", "always"),
    "bad_rows": ("--bad-rows",),
    "drift": ("--drift",),
    "live_shape": ("--live-shape", "--perf-seed", "3"),
    "openai_shape": ("--openai-shape",),  # the old name of --live-shape
    "endless": ("--endless",),
    "repeat_page": ("--repeat-page",),
    "synthetic": ("--synthetic", "1000"),
}


@pytest.fixture(scope="module")
def replicas() -> Iterator[dict[str, str]]:
    with running_replicas(*CONFIGURATIONS.values()) as base_urls:
        yield dict(zip(CONFIGURATIONS, base_urls, strict=True))


@pytest.fixture(scope="module")
def replica(replicas: dict[str, str]) -> str:
    return replicas["default"]


# --- the endpoint as the spec describes it -----------------------------------------------------


def test_first_middle_last_and_past_the_end_pages(replica: str) -> None:
    first = page(replica, page=1, page_size=10)
    assert first["pagination"] == {
        "total": 21, "page": 1, "page_size": 10, "total_pages": 3,
        "has_next": True, "has_previous": False,
    }  # fmt: skip
    assert names(first["data"]) == names(CATALOGUE[:10])
    second = page(replica, page=2, page_size=10)
    assert second["pagination"]["has_next"] is True
    assert second["pagination"]["has_previous"] is True
    assert names(second["data"]) == names(CATALOGUE[10:20])
    last = page(replica, page=3, page_size=10)
    assert last["pagination"]["has_next"] is False
    assert last["data"] == CATALOGUE[20:]
    beyond = page(replica, page=4, page_size=10)
    assert beyond["data"] == []
    assert beyond["pagination"] == {
        "total": 21, "page": 4, "page_size": 10, "total_pages": 3,
        "has_next": False, "has_previous": True,
    }  # fmt: skip


def test_defaults_are_page_1_of_50(replica: str) -> None:
    body = page(replica)
    assert body["data"] == CATALOGUE
    assert body["pagination"]["page"] == 1
    assert body["pagination"]["page_size"] == 50
    assert body["pagination"]["total_pages"] == 1


@pytest.mark.parametrize("page_size", [1, 7, 100])
def test_every_page_size_yields_the_same_rows(replica: str, page_size: int) -> None:
    assert fetch_all(replica, page_size) == CATALOGUE


def test_q_filters_names_case_insensitively(replica: str) -> None:
    body = page(replica, q="LLAMA")
    expected = [row["name"] for row in CATALOGUE if "llama" in row["name"].lower()]
    assert names(body["data"]) == expected
    assert body["pagination"]["total"] == len(expected) == 4
    paged = page(replica, q="qwen", page=2, page_size=3)
    assert paged["pagination"]["total"] == 4
    assert names(paged["data"]) == ["Qwen/QwQ-32B-Preview"]


def test_q_without_matches_is_an_empty_page(replica: str) -> None:
    body = page(replica, q="no-such-model")
    assert body == {
        "data": [],
        "pagination": {
            "total": 0, "page": 1, "page_size": 50, "total_pages": 0,
            "has_next": False, "has_previous": False,
        },
    }  # fmt: skip


@pytest.mark.parametrize(
    ("params", "location", "error_type"),
    [
        ({"page": 0}, ["query", "page"], "greater_than_equal"),
        ({"page_size": 0}, ["query", "page_size"], "greater_than_equal"),
        ({"page_size": 101}, ["query", "page_size"], "less_than_equal"),
        ({"page_size": "x"}, ["query", "page_size"], "int_parsing"),
    ],
)
def test_invalid_parameters_give_422(
    replica: str, params: dict[str, Any], location: list[str], error_type: str
) -> None:
    response = get(replica, **params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    [error] = response.json()["detail"]
    assert error["loc"] == location
    assert error["type"] == error_type
    assert isinstance(error["msg"], str) and error["msg"]


def test_unknown_path_is_404(replica: str) -> None:
    response = get(replica, "/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_guest_session_header_is_accepted(replica: str) -> None:
    response = requests.get(
        replica + MODELS, headers={"X-Guest-Session-ID": "guest-123"}, timeout=10
    )
    assert response.status_code == 200
    assert response.json()["pagination"]["total"] == 21


# --- the bundled catalogues ---------------------------------------------------------------------


def test_bundled_catalogue_is_realistic() -> None:
    by_name = {row["name"]: row for row in CATALOGUE}
    assert len(by_name) == len(CATALOGUE) == 21
    assert len({row["model_id"] for row in CATALOGUE}) == 21
    for name in ("meta-llama/Llama-3.3-70B-Instruct", "openai/gpt-oss-120b", "zai-org/GLM-4.6"):
        assert by_name[name]["status"] == "active"
    assert 2 <= sum(row["status"] == "inactive" for row in CATALOGUE) <= 3
    developers = [row["metadata"]["developer"] for row in CATALOGUE]
    assert sum(developers.count(name) >= 3 for name in set(developers)) >= 2
    assert by_name["BAAI/bge-multilingual-gemma2"]["metadata"]["enable_api_embeddings"] is True
    assert by_name["openai/whisper-large-v3"]["audio_transcriptions_daily_quota_tier_1"] > 0
    assert any(row["audio_speech_daily_quota_tier_1"] > 0 for row in CATALOGUE)
    for row in CATALOGUE:
        for field in ("input_token_price", "output_token_price"):
            assert row["metadata"][field] is None or isinstance(row["metadata"][field], str)


def test_next_catalogue_differs_exactly_as_documented() -> None:
    before = {row["model_id"]: row for row in CATALOGUE}
    after = {row["model_id"]: row for row in CATALOGUE_NEXT}
    [removed] = before.keys() - after.keys()
    [added] = after.keys() - before.keys()
    assert before[removed]["status"] == "active"
    assert after[added]["name"] == "Qwen/Qwen3-Coder-480B-A35B-Instruct"
    changed = {key for key in before.keys() & after.keys() if before[key] != after[key]}
    assert {before[key]["name"] for key in changed} == {
        "meta-llama/Llama-3.3-70B-Instruct",
        "deepseek-ai/DeepSeek-R1-0528",
        "mistralai/Mistral-Nemo-Instruct-2407",
    }
    for key in changed:
        old, new = before[key], after[key]
        assert new["updated_at"] > old["updated_at"]
        differences = {
            field for field in old["metadata"] if old["metadata"][field] != new["metadata"][field]
        }
        differences |= {field for field in old if field != "metadata" and old[field] != new[field]}
        assert differences in (
            {"input_token_price", "updated_at"},
            {"output_token_price", "updated_at"},
            {"status", "updated_at"},
        ), (old["name"], differences)
    llama = next(row for row in CATALOGUE_NEXT if row["name"].startswith("meta-llama/Llama-3.3"))
    assert llama["metadata"]["input_token_price"] == "0.10"
    deepseek = next(row for row in CATALOGUE_NEXT if row["name"] == "deepseek-ai/DeepSeek-R1-0528")
    assert deepseek["metadata"]["output_token_price"] == "7.00"


def test_catalogue_file_is_reloaded_when_it_changes(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.json"
    catalogue.write_text(json.dumps(CATALOGUE))
    with running_replica("--catalogue", str(catalogue)) as base_url:
        assert page(base_url)["data"] == CATALOGUE
        # write-then-rename, as the demo does
        staged = tmp_path / "staged.json"
        staged.write_text(json.dumps(CATALOGUE_NEXT))
        os.replace(staged, catalogue)
        assert page(base_url)["data"] == CATALOGUE_NEXT
        # an in-place rewrite is noticed too
        catalogue.write_text(json.dumps(CATALOGUE[:3]))
        assert page(base_url)["pagination"]["total"] == 3


# --- fault injection ----------------------------------------------------------------------------


def test_latency_delays_requests_concurrently(replicas: dict[str, str]) -> None:
    base_url = replicas["latency"]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(lambda _: get(base_url).status_code, range(4)))
    elapsed = time.monotonic() - started
    assert statuses == [200] * 4
    assert 0.3 <= elapsed < 0.9  # four 0.3 s waits that overlap, not 1.2 s in a row


def test_fail_first_fails_the_first_requests_with_503(replicas: dict[str, str]) -> None:
    responses = [get(replicas["fail_first"]) for _ in range(3)]
    assert [response.status_code for response in responses] == [503, 503, 200]
    assert responses[0].json() == {"detail": "Injected failure"}


def test_fail_rate_is_reproducible_with_a_seed(replicas: dict[str, str]) -> None:
    first = [get(replicas["fail_rate"]).status_code for _ in range(30)]
    second = [get(replicas["fail_rate_again"]).status_code for _ in range(30)]
    assert first == second
    assert set(first) == {200, 500}


def test_rate_limit_answers_429_with_retry_after(replicas: dict[str, str]) -> None:
    base_url = replicas["rate_limit"]
    responses = [get(base_url) for _ in range(5)]
    assert [response.status_code for response in responses] == [200, 200, 200, 429, 429]
    assert responses[3].headers["Retry-After"] == "1"
    assert responses[3].json() == {"detail": "Rate limit exceeded"}
    time.sleep(1.05)
    assert get(base_url).status_code == 200


def test_truncate_cuts_the_first_successful_bodies_in_half(replicas: dict[str, str]) -> None:
    base_url = replicas["truncate"]
    invalid = get(base_url, page=0)  # not a successful response: left alone
    truncated = [get(base_url, page_size=5) for _ in range(2)]
    intact = get(base_url, page_size=5)
    assert invalid.status_code == 422
    invalid.json()
    full = intact.content
    for response in truncated:
        assert response.status_code == 200
        assert response.content == full[: len(full) // 2]
        assert int(response.headers["content-length"]) == len(response.content)
        with pytest.raises(json.JSONDecodeError):
            json.loads(response.content)
    assert len(intact.json()["data"]) == 5


def test_shift_once_inserts_one_model_during_the_first_pagination(
    replicas: dict[str, str],
) -> None:
    base_url = replicas["shift_once"]
    first = page(base_url, page=1, page_size=10)
    second = page(base_url, page=2, page_size=10)
    again = [page(base_url, page=number, page_size=10) for number in (1, 2)]
    assert first["pagination"]["total"] == 21
    assert second["pagination"]["total"] == 22
    # every row moved back by one: page 2 starts with the row that ended page 1
    assert second["data"][0] == first["data"][-1]
    assert again[0]["data"][0]["name"] == "shift/model-1"
    assert uuid.UUID(again[0]["data"][0]["model_id"])
    assert [body["pagination"]["total"] for body in again] == [22, 22]


def test_shift_always_inserts_a_model_during_every_pagination(replicas: dict[str, str]) -> None:
    base_url = replicas["shift_always"]
    bodies = [page(base_url, page=number, page_size=10) for number in (1, 2, 3, 1, 2, 1)]
    assert [body["pagination"]["total"] for body in bodies] == [21, 22, 22, 22, 23, 23]
    front = names(bodies[5]["data"][:3])
    assert front == ["shift/model-2", "shift/model-1", CATALOGUE[0]["name"]]


def test_require_key_checks_the_bearer_key_and_never_prints_it() -> None:
    key = "sk-replica-test-9f8e7d6c5b4a"
    output = ReplicaOutput()
    with running_replica("--require-key", key, output=output) as base_url:

        def send(authorization: str | None, path: str = MODELS) -> requests.Response:
            headers = {} if authorization is None else {"Authorization": authorization}
            return requests.get(base_url + path, headers=headers, timeout=10)

        missing = send(None)
        not_bearer = send(f"Basic {key}")
        wrong = send("Bearer not-the-key")
        right = send(f"Bearer {key}")
        lowercase_scheme = send(f"bearer {key}")
        longer = send(f"Bearer {key}x")
        send(f"Bearer {key}", path="/nowhere")
        send(f"Bearer {key}", path=MODELS + "?page=0")
    assert missing.status_code == 401
    assert missing.json() == {"detail": "Not authenticated"}
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    assert not_bearer.status_code == 401
    assert wrong.status_code == 403
    assert wrong.json() == {"detail": "Invalid API key"}
    assert longer.status_code == 403
    assert right.status_code == 200
    assert lowercase_scheme.status_code == 200
    assert output.returncode == 0
    assert key not in output.text
    assert output.stdout.startswith(LISTENING_PREFIX)


def test_key_is_not_printed_when_start_up_fails(tmp_path: Path) -> None:
    key = "sk-replica-startup-1a2b3c"
    output = ReplicaOutput()
    missing_file = str(tmp_path / "no.json")
    with (
        pytest.raises(ReplicaStartError) as failure,
        running_replica("--require-key", key, "--catalogue", missing_file, output=output),
    ):
        pass
    assert "no.json" in str(failure.value)
    assert key not in str(failure.value)
    assert key not in output.text
    assert output.returncode == 2


def test_bad_rows_are_appended(replicas: dict[str, str]) -> None:
    rows = page(replicas["bad_rows"], page_size=100)["data"]
    assert rows[:21] == CATALOGUE
    bad = {row["name"]: row for row in rows[21:]}
    assert len(bad) == 9
    assert "model_id" not in bad["bad/missing-id"]
    assert bad["bad/null-id"]["model_id"] is None
    assert bad["bad/not-a-uuid"]["model_id"] == "not-a-uuid"
    assert bad["bad/price-na"]["metadata"]["input_token_price"] == "N/A"
    assert bad["bad/tags-string"]["metadata"]["tags"] == "New"
    assert bad["bad/negative-quota"]["chat_daily_quota_tier_1"] < 0
    assert bad["bad/numeric-prices"]["metadata"]["input_token_price"] == 0.4
    assert bad["bad/numeric-prices"]["metadata"]["output_token_price"] == 1.2
    assert bad["bad/status-deprecated"]["status"] == "deprecated"
    assert bad["bad/per-token-prices"]["metadata"]["input_token_price"] == "0.0000004"
    without_id_problems = [
        row for name, row in bad.items() if name not in ("bad/missing-id", "bad/null-id")
    ]
    ids = [row["model_id"] for row in without_id_problems if row["name"] != "bad/not-a-uuid"]
    assert len(ids) == len(set(ids)) == 6
    assert all(uuid.UUID(model_id) for model_id in ids)


def test_drift_adds_unknown_fields_to_every_model(replicas: dict[str, str]) -> None:
    rows = page(replicas["drift"])["data"]
    assert len(rows) == 21
    for row, original in zip(rows, CATALOGUE, strict=True):
        assert row["region"] == "eu-west"
        assert row["metadata"] == {
            **original["metadata"],
            "modalities": ["text"],
            "max_output_tokens": 8192,
        }
        assert {key: value for key, value in row.items() if key != "region"} == {
            **original,
            "metadata": row["metadata"],
        }


@pytest.mark.parametrize("configuration", ["live_shape", "openai_shape"])
def test_live_shape_lists_active_models_with_per_token_prices(
    replicas: dict[str, str], configuration: str
) -> None:
    body = page(replicas[configuration], page_size=5)
    assert set(body) == {"object", "data"}
    assert body["object"] == "list"
    active = [m for m in CATALOGUE if m["status"] == "active"]
    assert [e["id"] for e in body["data"]] == [m["name"] for m in active]
    llama = body["data"][0]
    assert llama["id"] == llama["root"] == "meta-llama/Llama-3.3-70B-Instruct"
    assert llama["object"] == "model"
    assert llama["owned_by"] == "vllm"
    assert llama["created"] == 1733821964  # 2024-12-10T09:12:44Z
    assert llama["input_token_price"] == 1.3e-07  # float(Decimal("0.13") / 10**6)
    assert llama["output_token_price"] == 3.8e-07
    assert llama["max_model_len"] == 128000 and llama["precision"] == "fp8"
    assert isinstance(llama["supports_attestation"], bool)
    assert llama["avg_latency_ms_per_day"] > 0 and llama["avg_throughput_per_day"] > 0
    whisper = next(model for model in body["data"] if model["id"] == "openai/whisper-large-v3")
    assert whisper["input_token_price"] is None
    assert whisper["cache_read_token_price"] == 0.0  # no prompt cache: the live list says 0


def test_endless_never_stops_and_repeats_the_last_page(replicas: dict[str, str]) -> None:
    base_url = replicas["endless"]
    last = page(base_url, page=3, page_size=10)
    assert last["pagination"]["has_next"] is True
    assert last["data"] == CATALOGUE[20:]
    for number in (4, 50):
        beyond = page(base_url, page=number, page_size=10)
        assert beyond["data"] == last["data"]
        assert beyond["pagination"]["has_next"] is True
        assert beyond["pagination"]["total"] == 21


def test_repeat_page_serves_page_one_again_as_page_two(replicas: dict[str, str]) -> None:
    base_url = replicas["repeat_page"]
    first, second, third = (page(base_url, page=number, page_size=10) for number in (1, 2, 3))
    assert second["data"] == first["data"]
    assert second["pagination"]["page"] == 2
    assert third["data"] == CATALOGUE[20:]


def test_synthetic_catalogue_is_unique_and_varied(replicas: dict[str, str]) -> None:
    base_url = replicas["synthetic"]
    rows = fetch_all(base_url, 100)
    assert len(rows) == 1000
    assert len({row["model_id"] for row in rows}) == 1000
    assert len(set(names(rows))) == 1000
    assert len({row["metadata"]["developer"] for row in rows}) >= 8
    assert len({row["metadata"]["input_token_price"] for row in rows}) > 50
    assert {row["status"] for row in rows} == {"active", "inactive"}
    filtered = page(base_url, q="-000123")
    assert filtered["pagination"]["total"] == 1
    assert filtered["data"] == [rows[123]]


def test_synthetic_catalogue_is_deterministic_and_100k_start_quickly(
    replicas: dict[str, str],
) -> None:
    small = fetch_all(replicas["synthetic"], 100)
    started = time.monotonic()
    with running_replica("--synthetic", "100000") as base_url:
        startup = time.monotonic() - started
        requested = time.monotonic()
        last = page(base_url, page=1000, page_size=100)
        served = time.monotonic() - requested
        # Rows depend on their position only: another process, another N, the same models.
        head = [
            row
            for number in range(1, 11)
            for row in page(base_url, page=number, page_size=100)["data"]
        ]
    assert head == small
    assert startup < 5.0  # the ~2 s budget plus interpreter start on a busy machine
    assert served < 0.5
    assert last["pagination"]["total"] == 100_000
    assert last["pagination"]["has_next"] is False
    assert last["data"][-1]["name"].endswith("-099999")


# --- process behaviour --------------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signals_shut_the_replica_down_cleanly(signum: signal.Signals) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines.replica", "--port", "0"],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith(LISTENING_PREFIX)
        assert get(line[len(LISTENING_PREFIX) :].strip()).status_code == 200
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=10)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 0
    assert stderr == ""


def test_invalid_options_are_usage_errors() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pipelines.replica", "--fail-rate", "2"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "--fail-rate: must be between 0 and 1" in result.stderr


def test_require_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """IOMODELS_REPLICA_KEY keeps the key out of the process list."""
    monkeypatch.setenv("IOMODELS_REPLICA_KEY", "env-key-5d1c")
    with running_replica() as url:
        assert requests.get(f"{url}/api/v1/models", timeout=10).status_code == 401
        good = requests.get(
            f"{url}/api/v1/models", headers={"Authorization": "Bearer env-key-5d1c"}, timeout=10
        )
        assert good.status_code == 200


def test_shift_swap_keeps_the_total_and_moves_rows_forward() -> None:
    with running_replica("--shift-catalogue", "swap") as url:

        def page(number: int) -> dict[str, Any]:
            params = {"page": number, "page_size": 5}
            body: dict[str, Any] = requests.get(
                f"{url}/api/v1/models", params=params, timeout=10
            ).json()
            return body

        first, second = page(1), page(2)
        assert first["pagination"]["total"] == second["pagination"]["total"]
        names = [m["name"] for m in page(1)["data"] + second["data"]]
        # the first model has left: every row moved one place forward
        assert names[0] == first["data"][1]["name"] and first["data"][0]["name"] not in names
        last = page(second["pagination"]["total_pages"])["data"]
        assert last[-1]["name"] == "shift/model-1"
