"""The per-model fast paths (memoised prices, tag lists and hashes) give exactly what the plain
rules give: the same rows, the same problems every time, and the same hashes as every stored
version was written with (a different hash would make every model look changed)."""

from __future__ import annotations

import copy
import hashlib
import json
from decimal import Decimal
from typing import Any

from pipelines.settings import PRICE_FIELDS
from pipelines.transform.flatten import flatten_model
from pipelines.transform.history import HASHED_FIELDS, LATER_FIELDS, row_hash
from pipelines.transform.numbers import plain as decimal_text
from tests.conftest import load_catalogue


def plain_hash(row: dict[str, Any]) -> str:
    """The hash as first written: every price canonicalised afresh, values as a list."""
    values = [
        (None if row[n] is None else decimal_text(Decimal(row[n]))) if n in PRICE_FIELDS else row[n]
        for n in HASHED_FIELDS
    ]
    values += [(n, row[n]) for n in LATER_FIELDS if row[n] is not None]
    return hashlib.sha256(repr(values).encode()).hexdigest()[:32]


def test_hashes_and_tags_are_those_of_the_plain_rules_on_every_pass() -> None:
    models = load_catalogue()
    for _ in range(2):  # the second pass is served from the memos
        for model in models:
            flat = flatten_model(model)
            assert flat.row is not None
            assert flat.row["tags"] == json.dumps(flat.tags)
            assert row_hash(flat.row) == plain_hash(flat.row), model["name"]


def test_a_notation_of_a_price_hashes_as_its_value_after_it_was_seen() -> None:
    model = load_catalogue()[0]
    prices = ("0.1", "0.10", "0.100")
    hashes = set()
    for text in (*prices, *prices):
        other = copy.deepcopy(model)
        other["metadata"]["input_token_price"] = text
        flat = flatten_model(other)
        assert flat.row is not None and flat.row["input_token_price"] == text
        hashes.add(row_hash(flat.row))
    assert len(hashes) == 1


def test_a_bad_price_is_reported_each_time_it_is_read() -> None:
    model = load_catalogue()[0]
    for value in ("0.0000004", "N/A", 0.5, ["0.1"], "0.0000004"):
        problems = []
        for _ in range(2):
            other = copy.deepcopy(model)
            other["metadata"]["output_token_price"] = value
            problems.append([p.field for p in flatten_model(other).problems])
        assert problems == [["output_token_price"], ["output_token_price"]], value


def test_extra_fields_are_still_found_beside_known_ones() -> None:
    model = copy.deepcopy(load_catalogue()[0])
    model["region"] = "eu"
    model["metadata"]["quantised_by"] = "io"
    flat = flatten_model(model)
    assert flat.row is not None
    assert json.loads(flat.row["extra_fields"]) == {
        "metadata": {"quantised_by": "io"},
        "region": "eu",
    }


def test_tag_list_text_is_json_dumps_exactly_whatever_the_characters() -> None:
    from pipelines.transform.flatten import tags_json

    for tags in ([], ["Chat"], ["Open weights", "é", 'say "hi"', "back\\slash", "☃", "\x01\n"]):
        assert tags_json(tags) == json.dumps(tags)


def test_tag_columns_give_the_rows_tag_dicts_gave() -> None:
    from datetime import UTC, datetime

    import pyarrow as pa

    from pipelines.transform.batches import TagColumns
    from pipelines.transform.schemas import TAG_SCHEMA

    at = datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    columns = TagColumns(at)
    lists = {"a": ["x", "y"], "b": [], "c": ["z"]}
    for model_id, tags in lists.items():
        columns.add(model_id, tags)
    rows = [
        {"model_id": m, "observed_at": at, "position": i, "tag": t}
        for m, tags in lists.items()
        for i, t in enumerate(tags)
    ]
    assert columns.table().equals(pa.Table.from_pylist(rows, schema=TAG_SCHEMA))
    assert TagColumns(at).table().equals(pa.Table.from_pylist([], schema=TAG_SCHEMA))


def test_listing_columns_give_the_tables_the_listing_rows_gave() -> None:
    from datetime import UTC, datetime

    import pyarrow as pa

    from pipelines.transform.batches import BATCH_ROWS, listing_tables
    from pipelines.transform.history import Prior
    from pipelines.transform.retire import listing_changes, listing_rows
    from pipelines.transform.schemas import LISTING_SCHEMA

    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    prior = Prior.empty()
    prior.listed = {"documented/guest": {"b"}}
    seen = {"a", "b", "c", *(f"m{i:05}" for i in range(BATCH_ROWS + 1))}
    retired = ["d"]
    rows = list(listing_rows(prior, "documented/guest", seen, retired, at, "run"))
    changes = listing_changes(prior, "documented/guest", seen, retired)
    tables = list(listing_tables("documented/guest", changes, at, "run"))
    assert [name for name, _ in tables] == ["model_listings"] * 2  # at most BATCH_ROWS each
    assert max(t.num_rows for _, t in tables) == BATCH_ROWS
    whole = pa.concat_tables(t for _, t in tables)
    assert whole.equals(pa.Table.from_pylist(rows, schema=LISTING_SCHEMA))
    assert [r["model_id"] for r in rows][:2] == ["a", "c"] and rows[-1]["model_id"] == "d"
    assert list(listing_tables("documented/guest", [], at, "run")) == []
