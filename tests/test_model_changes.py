"""analytics.model_changes tracks every column of analytics.models but the untracked ones, and
the pure helpers behind `changes`: summaries, typed values, times, secret webhook URLs."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from pipelines.errors import UsageError
from pipelines.present.timespec import ago, parse_duration, parse_since
from pipelines.settings import CHANGE_KINDS, UNTRACKED_COLUMNS
from pipelines.store.changes import summary_text, summary_title, typed_value
from pipelines.store.views import sql_dir
from pipelines.store.webhook import WebhookUrl

TRACKED_LINE = re.compile(r"'(\w+)', '(\w+)',\s+(?:null|prev_|cast\()")


def tracked_fields() -> dict[str, str]:
    text = (sql_dir() / "marts" / "model_changes.sql").read_text()
    return {field: kind for kind, field in TRACKED_LINE.findall(text)}


def test_every_column_of_models_is_tracked_or_deliberately_not(
    con: duckdb.DuckDBPyConnection,
) -> None:
    columns = {
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'analytics' and table_name = 'models'"
        ).fetchall()
    }
    tracked = tracked_fields()
    assert set(tracked) == columns - set(UNTRACKED_COLUMNS)
    assert "updated_at" not in tracked and "trendiness" not in tracked
    assert set(tracked.values()) <= set(CHANGE_KINDS)
    assert {f for f, k in tracked.items() if k == "capability"} == {
        c for c in columns if c.startswith(("enable_", "supports_"))
    }


def test_the_view_gives_the_same_rows_as_price_and_catalogue_changes(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """On the report tests' two real loads: the price rows match price_changes exactly."""
    prices = con.execute(
        "select model_id, replace(field, '_price', ''), relative_change from "
        "analytics.model_changes where kind = 'price' order by all"
    ).fetchall()
    assert (
        prices
        == con.execute(
            "select model_id, price, relative_change from analytics.price_changes order by all"
        ).fetchall()
    )
    assert prices  # the second load re-priced models
    events = con.execute(
        "select model_id, kind from analytics.model_changes "
        "where kind in ('added', 'removed', 'reappeared', 'status') order by all"
    ).fetchall()
    assert (
        events
        == con.execute(
            "select model_id, replace(change, 'status_changed', 'status') "
            "from analytics.catalog_changes order by all"
        ).fetchall()
    )


def record(kind: str, name: str = "m", **values: object) -> dict[str, object]:
    base = {"kind": kind, "name": name, "model_id": "id", "field": None, "old_value": None,
            "new_value": None, "relative_change": None}  # fmt: skip
    return {**base, **values}


def test_summary_titles() -> None:
    assert summary_title([]) == "no changes"
    rows = [record("removed"), record("price"), record("price"), record("price")]
    assert summary_title(rows) == "3 price changes, 1 model removed"
    assert summary_title([record("added"), record("added"), record("reappeared")]) == (
        "2 models added, 1 model back"
    )
    many = [record("price", field="input_price", old_value=1.0, new_value=2.5,
                   relative_change=1.5)] * 12  # fmt: skip
    text = summary_text(many).splitlines()
    assert text[0] == "iomodels: 12 price changes"
    assert text[1] == "• m: input_price 1 → 2.5 (+150.0%)"
    assert text[-1] == "… and 2 more" and len(text) == 12


def test_typed_values() -> None:
    assert typed_value("price", "0.0000001") == pytest.approx(1e-7)
    assert typed_value("quota", "1000000") == 1_000_000
    assert typed_value("limit", "128000") == 128_000
    assert typed_value("capability", "true") is True
    assert typed_value("capability", "false") is False
    assert typed_value("status", "active") == "active"
    assert typed_value("price", None) is None


def test_times_and_durations() -> None:
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    assert parse_since("24h", now) == now - timedelta(days=1)
    assert parse_since("7d", now) == now - timedelta(days=7)
    assert parse_since("2026-11-23T00:00Z", now) == datetime(2026, 11, 23, tzinfo=UTC)
    assert parse_since("2026-11-23", now) == datetime(2026, 11, 23, tzinfo=UTC)
    assert parse_duration("90m", "--max-age") == timedelta(minutes=90)
    for bad in ("yesterday", "-1h", "h", ""):
        with pytest.raises(UsageError):
            parse_since(bad, now)
    assert [ago(timedelta(seconds=s)) for s in (5, 600, 3600, 3900, 90000)] == [
        "5s", "10m", "1h", "1h 5m", "1d 1h",
    ]  # fmt: skip


def test_webhook_urls_never_show_their_token() -> None:
    url = WebhookUrl("https://hooks.example.com/services/T00/B00/tok3n?token=tok3n")
    assert str(url) == repr(url).split("'")[1] == "https://hooks.example.com/…"
    assert "tok3n" not in f"{url} {url!r} {[url]}"
    assert url.reveal().endswith("?token=tok3n")
    for bad in ("ftp://host/tok3n", "https:///tok3n", "http://host:99999/tok3n", "tok3n"):
        with pytest.raises(UsageError) as caught:
            WebhookUrl(bad)
        assert "tok3n" not in str(caught.value)
