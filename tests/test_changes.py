"""`iomodels changes` and the webhook over real loads from the replica, on both destinations."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import iomodels, iomodels_in_process, load_catalogue, write_catalogue
from tests.webhook_receiver import receiver

PRICED_A = "meta-llama/Llama-3.3-70B-Instruct"  # input 0.13 → 0.15
PRICED_B = "deepseek-ai/DeepSeek-R1-0528"  # output 8.75 → 7
QUOTA = "mistralai/Mistral-Large-Instruct-2411"  # chat quota 500,000 → 250,000
STATUS = "openai/gpt-oss-120b"  # active → inactive
CAPABILITY = "Qwen/Qwen3-Next-80B-A3B-Instruct"  # supports_images_input false → true
LIMIT = "zai-org/GLM-4.6"  # context window 200,000 → 128,000
REMOVED = "openai/gpt-oss-20b"


def by_name(models: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(m for m in models if m["name"] == name)


def changed(models: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Two prices, a quota, a status, a capability flag and a context window changed; one
    model removed; and volatile fields moved everywhere (which must not show)."""
    models = copy.deepcopy(models)
    by_name(models, PRICED_A)["metadata"]["input_token_price"] = "0.15"
    by_name(models, PRICED_B)["metadata"]["output_token_price"] = "7.00"
    by_name(models, QUOTA)["chat_daily_quota_tier_1"] = 250_000
    by_name(models, STATUS)["status"] = "inactive"
    by_name(models, CAPABILITY)["metadata"]["supports_images_input"] = True
    by_name(models, LIMIT)["metadata"]["context_window"] = 128_000
    models.remove(by_name(models, REMOVED))
    for model in models:
        model["updated_at"] = "2026-11-29T12:00:00Z"
        model["metadata"]["trendiness"] = 3
    return models


def cli(data_dir: Path, destination: str, *args: str) -> tuple[int, str, str]:
    done = iomodels_in_process(
        "changes", "--data-dir", str(data_dir), "--destination", destination, *args
    )
    return done.returncode, done.stdout, done.stderr


def expected_rows(original: list[dict[str, Any]], run_id: str, observed_at: str) -> list[dict]:
    def row(name: str, kind: str, field: str | None, old: Any, new: Any, rel: Any) -> dict:
        return {
            "observed_at": observed_at,
            "run_id": run_id,
            "model_id": by_name(original, name)["model_id"],
            "name": name,
            "kind": kind,
            "field": field,
            "old_value": old,
            "new_value": new,
            "relative_change": rel,
        }

    def rel(old: str, new: str) -> float:
        return float(round((Decimal(new) - Decimal(old)) / Decimal(old), 6))

    rows = [
        row(PRICED_B, "price", "output_price", 8.75, 7.0, rel("8.75", "7")),
        row(QUOTA, "quota", "chat_daily_quota_tier_1", 500_000, 250_000, -0.5),
        row(STATUS, "status", "status", "active", "inactive", None),
        row(REMOVED, "removed", None, None, None, None),
        row(PRICED_A, "price", "input_price", 0.13, 0.15, rel("0.13", "0.15")),
        row(CAPABILITY, "capability", "supports_images_input", False, True, None),
        row(LIMIT, "limit", "context_window", 200_000, 128_000, -0.36),
    ]
    return sorted(rows, key=lambda r: r["name"].casefold())


@pytest.mark.slow
def test_changes_lists_exactly_what_a_load_changed(  # type: ignore[no-untyped-def]
    replica, loaded_once, catalogue_file: Path, load, sql, data_dir: Path, destination: str
) -> None:
    original = load_catalogue(catalogue_file)
    write_catalogue(catalogue_file, changed(original))
    with receiver() as hook:
        load(replica, "--notify", hook.url)
        run_id, started_at = sql(
            "select run_id, started_at from analytics.load_runs order by started_at desc limit 1"
        )[0]
        code, out, err = cli(data_dir, destination, "--format", "json", "--exit-code")
        assert (code, err) == (1, "")
        listed = json.loads(out)
        expected = expected_rows(original, run_id, started_at.isoformat())
        assert listed == expected  # field by field: values typed, volatile fields absent
        assert [p["body"] for p in hook.posts] == [
            {
                "text": "iomodels: 2 price changes, 1 quota change, 1 capability change, "
                "1 limit change, 1 status change, 1 model removed\n"
                + "\n".join(
                    [
                        "• deepseek-ai/DeepSeek-R1-0528: output_price 8.75 → 7 (-20.0%)",
                        "• meta-llama/Llama-3.3-70B-Instruct: input_price 0.13 → 0.15 (+15.4%)",
                        "• mistralai/Mistral-Large-Instruct-2411: chat_daily_quota_tier_1 "
                        "500,000 → 250,000 (-50.0%)",
                        "• openai/gpt-oss-120b: status active → inactive",
                        "• openai/gpt-oss-20b: model removed",
                        "• Qwen/Qwen3-Next-80B-A3B-Instruct: supports_images_input no → yes",
                        "• zai-org/GLM-4.6: context_window 200,000 → 128,000 (-36.0%)",
                    ]
                ),
                "run_id": run_id,
                "changes": listed,
            }
        ]
        assert hook.posts[0]["content_type"] == "application/json"
        assert sql("select notification from analytics.load_runs where run_id = ?", [run_id]) == [
            ("sent",)
        ]
        assert sql("select url, outcome, http_status, attempts from analytics.notifications") == [
            (hook.url.split("/hooks/")[0] + "/…", "sent", 200, 1)
        ]

        load(replica, "--notify", hook.url)  # nothing changed: no POST, nothing listed
        assert len(hook.posts) == 1
    assert cli(data_dir, destination, "--format", "json", "--exit-code") == (0, "[]\n", "")
    assert cli(data_dir, destination) == (0, "no changes\n", "")

    # over a period: both loads' changes; kinds and small moves filtered out
    code, out, _ = cli(data_dir, destination, "--since", "1h", "--format", "json")
    assert len(json.loads(out)) == len(original) + len(expected)
    code, out, _ = cli(
        data_dir, destination, "--since", "1h", "--kind", "price,limit", "--kind", "removed",
        "--min-relative-change", "0.2", "--format", "json",
    )  # fmt: skip
    assert [(r["name"], r["field"]) for r in json.loads(out)] == [
        (PRICED_B, "output_price"),  # -20%: kept at 0.2
        (REMOVED, None),
        (LIMIT, "context_window"),
    ]  # and not the input price (+15.4%)
    assert sql(
        "select quota, old_quota, new_quota, relative_change, run_id from analytics.quota_changes"
    ) == [("chat", 500_000, 250_000, -0.5, run_id)]


@pytest.mark.parametrize("destination", ["duckdb"])  # formatting is the same on both
def test_markdown_and_table_formats(  # type: ignore[no-untyped-def]
    replica, loaded_once, catalogue_file: Path, load, data_dir, destination
):
    original = load_catalogue(catalogue_file)
    write_catalogue(catalogue_file, changed(original))
    load(replica)
    code, out, _ = cli(data_dir, destination, "--format", "markdown", "--kind", "limit")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "**iomodels:** 1 limit change"
    assert lines[2] == "| observed (UTC) | model | kind | field | old | new | change |"
    assert lines[4].endswith(
        "| zai-org/GLM-4.6 | limit | context_window | 200,000 | 128,000 | -36.0% |"
    )
    code, out, _ = cli(data_dir, destination, "--kind", "status")
    assert out.splitlines()[0] == "1 status change"
    assert "openai/gpt-oss-120b" in out and "active" in out and "(1 row)" in out


@pytest.mark.slow
def test_a_model_that_comes_back_is_compared_with_its_last_listed_version(  # type: ignore[no-untyped-def]
    replica, loaded_once, catalogue_file: Path, load, data_dir: Path, destination: str
) -> None:
    original = load_catalogue(catalogue_file)
    write_catalogue(catalogue_file, [m for m in original if m["name"] != REMOVED])
    load(replica)
    back = copy.deepcopy(original)
    by_name(back, REMOVED)["metadata"]["input_token_price"] = "0.06"
    write_catalogue(catalogue_file, back)
    load(replica)
    _, out, _ = cli(data_dir, destination, "--format", "json")
    assert [(r["kind"], r["field"], r["old_value"], r["new_value"]) for r in json.loads(out)] == [
        ("price", "input_price", 0.03, 0.06),
        ("reappeared", None, None, None),
    ]


@pytest.mark.slow
@pytest.mark.parametrize("destination", ["duckdb"])  # the webhook step is the same on both
@pytest.mark.parametrize("answer", [500, "hang"])
def test_a_failing_webhook_warns_once_and_the_load_stands(  # type: ignore[no-untyped-def]
    replica, loaded_once, catalogue_file: Path, load, sql, data_dir: Path, destination: str, answer
) -> None:
    original = load_catalogue(catalogue_file)
    write_catalogue(catalogue_file, changed(original))
    with receiver(500 if answer == 500 else 200, hang=answer == "hang") as hook:
        # the real command line, for its real stderr; the URL from the environment
        env = {"IOMODELS_NOTIFY_URL": hook.url, "IOMODELS_NOTIFY_TIMEOUT_S": "0.5"}
        done = iomodels(
            "load", "--base-url", replica, "--data-dir", str(data_dir),
            "--destination", destination, env=env,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert len(hook.posts) == 3  # bounded: three attempts
    why = "HTTP 500" if answer == 500 else "no answer within 0.5s"
    [line] = done.stderr.splitlines()  # one line (after the log's timestamp)
    assert line.endswith(
        f"iomodels: warning: webhook {hook.url.split('/hooks/')[0]}/… failed after 3 attempts "
        f"({why}); the load itself succeeded"
    )
    assert "notified 0 of 1 webhooks" in done.stdout
    assert sql("select count(*) from analytics.model_changes where kind = 'price'") == [(2,)]
    assert sql("select notification from analytics.load_runs order by started_at desc limit 1") == [
        ("failed",)
    ]
    assert sql("select outcome, http_status, attempts, message from analytics.notifications") == [
        ("failed", 500 if answer == 500 else None, 3, why)
    ]


def test_bad_options_exit_2_with_one_line(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path)]
    for args, message in [
        (["--since", "yesterday"], "--since must be an ISO time"),
        (["--kind", "price,cost"], "--kind takes price, quota"),
        (["--min-relative-change", "-1"], "--min-relative-change must not be negative"),
    ]:
        (tmp_path / "io_models.duckdb").touch()  # the options are checked before reading
        done = iomodels("changes", *data, *args)
        assert done.returncode == 2, done.stderr
        assert len(done.stderr.splitlines()) == 1 and message in done.stderr
    done = iomodels("load", "--notify", "ftp://example.com/hooks/secret-token", *data)
    assert done.returncode == 2
    assert "secret-token" not in done.stderr and len(done.stderr.splitlines()) == 1
