"""The changes as an Atom 1.0 feed (RFC 4287): one entry per load that changed something.

Entry ids come from the load's run_id, so a regenerated feed keeps them and feed readers
never show a load twice. The changes are an HTML table, escaped, in each entry's content.
"""

from __future__ import annotations

import html
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

import duckdb

from pipelines import __version__
from pipelines.settings import MODELS_PATH
from pipelines.store.changes import change_line, summary_title, value_text

ATOM = "http://www.w3.org/2005/Atom"
FEED_TITLE = "IO Intelligence model catalogue: changes"
TABLE_HEADINGS = ("model", "kind", "field", "old", "new", "change")

LATEST_LOAD_SQL = """
select finished_at, base_url from analytics.load_runs
where outcome = 'ok' order by started_at desc limit 1
"""


def entry_id(run_id: str) -> str:
    """urn:uuid:… for our runs (uuid4 hex); a tag: URI for any other run id."""
    try:
        return uuid.UUID(run_id).urn
    except ValueError:
        return f"tag:iomodels,2026:run/{run_id}"


def rfc3339(moment: datetime | str) -> str:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _cell(value: Any) -> str:
    return html.escape(value_text(value, missing=""))


def changes_html(records: list[dict[str, Any]]) -> str:
    """The HTML a feed reader shows: a one-line summary and a table of the changes."""
    rows = []
    for r in records:
        change = "" if r["relative_change"] is None else f"{r['relative_change'] * 100:+.1f}%"
        cells = (r["name"] or r["model_id"], r["kind"], r["field"], r["old_value"],
                 r["new_value"], change)  # fmt: skip
        rows.append("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in TABLE_HEADINGS)
    return (
        f"<p>{html.escape(summary_title(records))}</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _by_run(records: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    runs: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        runs.setdefault(record["run_id"], []).append(record)
    return sorted(runs.values(), key=lambda rs: rs[0]["observed_at"], reverse=True)


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def atom_feed(con: duckdb.DuckDBPyConnection, records: list[dict[str, Any]]) -> str:
    """The feed of `records` (a period's changes), newest load first."""
    latest = con.execute(LATEST_LOAD_SQL).fetchone()
    source = str(latest[1]) if latest and latest[1] else None
    runs = _by_run(records)
    if runs:
        updated = rfc3339(runs[0][0]["observed_at"])
    elif latest:
        updated = rfc3339(latest[0])
    else:
        updated = rfc3339(datetime(1970, 1, 1, tzinfo=UTC))
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", "tag:iomodels,2026:changes")
    _text(feed, "title", FEED_TITLE)
    _text(feed, "updated", updated)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "iomodels")
    _text(feed, "generator", "iomodels", version=__version__)
    if source and source.startswith(("http://", "https://")):
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="related", href=source + MODELS_PATH)
    for run in runs:
        first = run[0]
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", entry_id(first["run_id"]))
        _text(entry, "title", summary_title(run))
        _text(entry, "published", rfc3339(first["observed_at"]))
        _text(entry, "updated", rfc3339(first["observed_at"]))
        _text(entry, "summary", "; ".join(change_line(r) for r in run[:5]))
        _text(entry, "content", changes_html(run), type="html")
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True)
