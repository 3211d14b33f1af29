"""The report sections' column specs: declared once, read by the terminal, JSON and HTML
reports, and `iomodels cost`; each column writes its values in its declared format."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from pipelines.present import cost, report_data
from pipelines.present.report_columns import (
    CHEAPEST_MODELS,
    PRICING_SUMMARY,
    QUOTA_BY_CAPABILITY,
    QUOTA_SUMMARY,
    SPECS,
    VIEW_SECTIONS,
    WORKLOAD_COST,
    Column,
    field_text,
    value_text,
)
from pipelines.present.report_html import sections
from pipelines.store.views import sql_dir


def test_every_section_has_one_spec_with_distinct_columns() -> None:
    assert list(SPECS) == [
        "quota_summary", "quota_by_capability", "pricing_summary", "cheapest_models",
        "model_speed", "price_changes", "catalog_changes", "workload_cost",
    ]  # fmt: skip
    for spec in SPECS.values():
        keys = [c.key for c in spec.columns]
        assert len(keys) == len(set(keys)), spec.key
        read = [c.key for c in spec.read()]
        assert spec.select() == ", ".join(c.sql for c in spec.read()), spec.key
        assert set(c.key for c in spec.terminal()) <= set(read), spec.key
        assert set(c.key for c in spec.data()) <= set(read), spec.key


def test_every_column_a_view_section_reads_is_in_its_view() -> None:
    for spec in VIEW_SECTIONS:
        (view,) = [p for p in sql_dir().rglob("*.sql") if p.stem.endswith(spec.view)]
        text = view.read_text()
        for col in spec.columns:
            if col.source is None:  # else an expression over the view's columns
                assert col.key in text, (spec.key, col.key)


def test_the_renderers_read_the_specs() -> None:
    # the HTML tables are the specs' HTML columns, the cost command's the workload's
    assert CHEAPEST_MODELS.html() == sections.MODELS_TABLE
    assert QUOTA_SUMMARY.html() == sections.QUOTA_TABLE
    assert WORKLOAD_COST.data() == cost.TABLE
    assert [s.key for s in report_data.VIEW_SECTIONS] == [s.key for s in VIEW_SECTIONS]


def test_the_terminal_json_and_html_see_different_columns_of_one_spec() -> None:
    # the HTML table adds the cache prices; the JSON keeps the quota summary's unknown count
    assert [c.key for c in CHEAPEST_MODELS.terminal()] == [
        "price_rank", "name", "developer", "input_price", "output_price", "blended_price",
        "cache_read_discount",
    ]  # fmt: skip
    assert CHEAPEST_MODELS.select() == ", ".join(c.key for c in CHEAPEST_MODELS.terminal())
    assert "cache_write_price" in [c.key for c in CHEAPEST_MODELS.html()]
    assert "unknown_quota_models" in QUOTA_SUMMARY.select()
    assert "unknown_quota_models" not in [c.key for c in QUOTA_SUMMARY.html()]


def test_headings_short_for_the_terminal_long_for_html() -> None:
    chat = QUOTA_SUMMARY.column("chat_daily_quota")
    assert (chat.heading, chat.html_heading) == ("chat\ntok/day", "chat\ntokens/day")
    largest = QUOTA_BY_CAPABILITY.column("largest_quota_model")
    assert largest.html_heading == "largest quota model"  # the terminal's, on one line
    assert PRICING_SUMMARY.column("median_input_price").html_heading == "input price|median"
    assert WORKLOAD_COST.column("rank").heading == "#"


def test_columns_write_values_in_their_format() -> None:
    spec = SPECS
    assert spec["cheapest_models"].column("input_price").text(Decimal("0.0500")) == "0.05"
    assert spec["workload_cost"].column("total_cost").text(Decimal("12.3")) == "12.30"
    assert spec["workload_cost"].column("saving_vs_median").text(Decimal("0.3")) == "+0.30"
    quota = spec["quota_summary"].column("chat_daily_quota")
    assert (quota.text(13_500_000), quota.text(13_500_000, compact=True)) == ("13,500,000", "13.5M")
    assert quota.text(None) == "unknown"  # a quota nobody published is not zero
    assert spec["price_changes"].column("relative_change").text(-0.2311) == "-23.1%"
    assert spec["cheapest_models"].column("cache_read_discount").text(0.725) == "72.5%"
    assert spec["model_speed"].column("avg_latency_ms_per_day").text(1530) == "1,530.0"
    assert spec["quota_by_capability"].column("capability").text("audio_speech") == "speech"
    observed = spec["price_changes"].column("observed_at")
    later = datetime(2026, 11, 23, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    assert observed.text(later) == "2026-11-23 08:00:00"
    assert observed.text(datetime(2026, 11, 23, 8, 0)) == "2026-11-23 08:00:00"  # naive: UTC
    assert Column("developer", "developer").text(None) == "—"


def test_numeric_columns_are_right_aligned() -> None:
    assert [c.numeric for c in WORKLOAD_COST.columns] == [
        True, False, False, True, True, True, True, True,
    ]  # fmt: skip


def test_the_change_log_sections_write_fields_and_values_readably() -> None:
    changes = SPECS["catalog_changes"]
    assert changes.view == "model_changes" and SPECS["price_changes"].view == "model_changes"
    assert field_text("chat_daily_quota_tier_1") == "chat quota"
    assert field_text("removed") == "removed"  # a catalogue event: its kind
    assert field_text("some_new_field") == "some new field"
    assert value_text("13500000") == "13,500,000"
    assert value_text("13500000", compact=True) == "13.5M"
    assert (value_text("0.13"), value_text("true"), value_text("inactive")) == (
        "0.13", "yes", "inactive",
    )  # fmt: skip
    assert changes.column("old_value").text(None) == "—"
    assert changes.column("new_value").text("4000000", compact=True) == "4.0M"
    # the JSON has the log's own columns; the tables show one derived "change" label
    assert [c.key for c in changes.data()] == [
        "observed_at", "name", "kind", "field", "old_value", "new_value", "relative_change",
    ]  # fmt: skip
    assert [c.key for c in changes.terminal()] == [
        "observed_at", "name", "change", "old_value", "new_value",
    ]  # fmt: skip
