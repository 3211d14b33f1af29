"""`iomodels changes --format atom`: a valid Atom feed, read back with feedparser."""

from __future__ import annotations

import copy
from pathlib import Path

import feedparser
import pytest

from tests.conftest import iomodels_in_process, load_catalogue, write_catalogue


def feed(data_dir: Path, *args: str) -> feedparser.FeedParserDict:
    done = iomodels_in_process("changes", "--data-dir", str(data_dir), "--format", "atom", *args)
    assert done.returncode == 0, done.stderr
    parsed = feedparser.parse(done.stdout)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


@pytest.mark.parametrize("destination", ["duckdb"])
def test_one_entry_per_changing_load_with_stable_ids(  # type: ignore[no-untyped-def]
    replica, loaded_once, catalogue_file: Path, load, sql, data_dir: Path
) -> None:
    models = load_catalogue(catalogue_file)
    changed = copy.deepcopy(models)
    changed[0]["metadata"]["input_token_price"] = "0.14"
    changed[1]["metadata"]["output_token_price"] = "0.7"
    changed[2]["metadata"]["input_token_price"] = "0.3"
    changed[3]["name"] = "deepseek-ai/<R1> & friends"  # markup in a name stays text
    removed = changed.pop(4)
    write_catalogue(catalogue_file, changed)
    load(replica)
    first_run, second_run = [
        r[0] for r in sql("select run_id from analytics.load_runs order by started_at")
    ]
    before = feed(data_dir)
    assert [e.title for e in before.entries] == [
        "3 price changes, 1 model removed, 1 other change",
        f"{len(models)} models added",
    ]
    ids = [e.id for e in before.entries]
    assert ids == [f"urn:uuid:{second_run[:8]}-{second_run[8:12]}-{second_run[12:16]}-"
                   f"{second_run[16:20]}-{second_run[20:]}", ids[1]]  # fmt: skip
    content = before.entries[0].content[0]
    assert content.type == "text/html"
    # feedparser sanitises but keeps the table; the name's markup arrives escaped, as text
    assert "<table>" in content.value and "deepseek-ai/&lt;R1&gt; &amp; friends" in content.value
    assert removed["name"] in content.value and "+7.7%" in content.value

    load(replica)  # a quiet load: the feed keeps its entries, ids and titles
    after = feed(data_dir)
    assert [(e.id, e.title, e.updated) for e in after.entries] == [
        (e.id, e.title, e.updated) for e in before.entries
    ]
    assert [e.title for e in feed(data_dir, "--kind", "removed").entries] == ["1 model removed"]
    assert feed(data_dir, "--since", "2099-01-01").entries == []
    assert first_run not in ids[0]
