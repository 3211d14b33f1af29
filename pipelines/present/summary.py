"""The one-screen summary `iomodels load` prints, or its JSON form."""

from __future__ import annotations

import json
import shlex
from typing import TYPE_CHECKING

from pipelines.present.query import json_value

if TYPE_CHECKING:  # the read path never imports the load path
    from pipelines.store.load import LoadResult


def load_summary(
    result: LoadResult, seconds: float, *, as_json: bool, hints: list[str] | None = None
) -> str:
    """The summary; `hints` (what to run next, with these options: the data dir and
    destination the load used, unless defaults) only for a person at a terminal."""
    stats = result.stats
    notes = stats.counts.notes
    row = stats.load_run_row("ok", "; ".join(notes) or None)
    if as_json:
        doc = {k: json_value(v) for k, v in row.items()}
        doc.update(
            destination=result.destination,
            database=result.location,
            seconds=round(seconds, 3),
            timings=stats.timings,
            notifications=[
                {"url": d.url, "sent": d.sent, "http_status": d.status, "attempts": d.attempts}
                for d in result.deliveries
            ],
        )
        return json.dumps(doc, indent=2)
    scope = "full catalogue" if stats.is_full else f"filtered by --q {stats.query!r}"
    lines = [
        f"Loaded {row['rows_seen']} models ({scope}) from {row['base_url']} in {seconds:.1f}s",
        f"  into     {result.location} ({result.destination})",
        f"  pages    {row['pages']} (paginated {row['pagination_attempts']}x), "
        f"{row['response_shape']} shape, as {row['key_scope']}",
        f"  history  {row['versions_written']} new versions: {row['models_added']} added, "
        f"{row['models_changed']} changed, {row['models_removed']} removed, "
        f"{row['models_reappeared']} reappeared",
        f"  quality  {row['quarantined']} quarantined rows, {row['quality_issues']} field issues"
        + ("  (see analytics.data_quality)" if row["quality_issues"] else ""),
        *(f"  note     {note}" for note in notes),
    ]
    if result.deliveries:
        sent = sum(d.sent for d in result.deliveries)
        lines.append(f"  notified {sent} of {len(result.deliveries)} webhooks")
    if hints is not None:
        options = "".join(f" {shlex.quote(option)}" for option in hints)
        lines.append(
            f"next: iomodels report{options}   |   "
            f'iomodels query{options} "select * from analytics.models"'
        )
    return "\n".join(lines)
