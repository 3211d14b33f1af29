"""One read of the catalogue: pages → flat rows → gate → change detection → Arrow tables.

Free of dlt: it yields (table name, Arrow table) pairs that the dlt source routes to tables,
so the whole flow is testable without a pipeline. Memory holds a batch of rows at a time.
Both response shapes flow through here; each is flattened by its own module, and what a shape
lacks is carried from the model's latest version before change detection (`carry.py`).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator

from pipelines.errors import IomodelsError, PaginationInconsistent
from pipelines.extract.client import CatalogueClient
from pipelines.extract.fetch import Pagination, rows_named
from pipelines.extract.gate import CompletenessGate
from pipelines.extract.pages import Page
from pipelines.settings import LIVE_SHAPE
from pipelines.transform.batches import (
    BATCH_ROWS,
    PendingRows,
    TableBatch,
    arrow,
    arrow_batches,
    listing_tables,
    missing_tables,
)
from pipelines.transform.carry import carry_forward
from pipelines.transform.flatten import usable_model_id
from pipelines.transform.history import (
    REMOVED,
    Prior,
    absences,
    classify,
    row_hash,
    tombstone,
)
from pipelines.transform.live_shape import DOCUMENTED_LACKS_API_NAMES, LIVE_LACKS_API_NAMES
from pipelines.transform.retire import listing_changes, retirement_candidates
from pipelines.transform.run_stats import PassCounts, RunStats
from pipelines.transform.shaped_rows import flattened, performance_rows

# Page-by-page progress, for `-v` and the terminal's progress bar (present/console.py)
progress = logging.getLogger("iomodels.progress")


class CatalogueRun:
    """One read of the catalogue, in one or more passes: `new_pass()` starts a fresh one."""

    def __init__(
        self,
        client: CatalogueClient,
        prior: Prior,
        stats: RunStats,
        *,
        page_size: int,
        workers: int,
        made_tables: set[str] | None = None,
    ) -> None:
        self.client = client
        self.prior = prior
        # the raw tables dlt will find already made; the others are sent empty at first
        self.made_tables = set() if made_tables is None else made_tables
        self.stats = stats
        self.page_size = page_size
        self.workers = workers

    def new_pass(self, pages: Pagination | None = None) -> Pass:
        """A pass from page 1; `pages`, if given, is that pagination already started."""
        self.stats.pagination_attempts += 1
        self.stats.counts = PassCounts()
        return Pass(self, self.stats.counts, pages)


class Pass:
    """One pagination from page 1: its own gate, counters, notes and outcome.

    `batches()` never raises our own errors into dlt: it ends the stream and keeps the error in
    `failure`, so that the load decides (paginate again, or fail) without unwrapping dlt's.
    """

    def __init__(
        self, run: CatalogueRun, counts: PassCounts, pages: Pagination | None = None
    ) -> None:
        self.client, self.prior, self.stats = run.client, run.prior, run.stats
        self.made_tables = run.made_tables
        self.page_size, self.workers = run.page_size, run.workers
        self.counts = counts
        self._pages = pages
        self.failure: IomodelsError | None = None
        self._quarantined_names: set[str | None] = set()  # names of quarantined rows

    def batches(self) -> Iterator[TableBatch]:
        """Arrow tables for every raw table: versions, tags, quarantine, data quality,
        performance, listings and the load_runs row."""
        try:
            yield from self._batches()
        except IomodelsError as exc:
            self.failure = exc

    def _batches(self) -> Iterator[TableBatch]:
        stats, counts = self.stats, self.counts
        gate = CompletenessGate()
        pending = PendingRows(stats.started_at)
        yield from missing_tables(self.made_tables)
        with self._pages or Pagination(
            self.client, self.page_size, stats.query, self.workers
        ) as pages:
            yield from self._page_batches(iter(pages), gate, pending)
        gate.finish()
        yield from pending.flush(0)
        retired: list[str] = []
        if stats.is_full:
            yield from self._retirements(gate.seen_ids, retired)
        listings = listing_changes(self.prior, stats.listing_scope, gate.seen_ids, retired)
        yield from listing_tables(stats.listing_scope, listings, stats.started_at, stats.run_id)
        note = "; ".join(counts.notes) or None
        yield "load_runs", arrow("load_runs", [stats.load_run_row("ok", note)])

    def _page_batches(
        self, pages: Iterator[Page], gate: CompletenessGate, pending: PendingRows
    ) -> Iterator[TableBatch]:
        """The rows of every page, as Arrow tables once a batch is full."""
        stats, counts = self.stats, self.counts
        fetch_s = flatten_s = 0.0
        while True:
            mark = time.perf_counter()
            page = next(pages, None)
            fetch_s += time.perf_counter() - mark
            if page is None:
                break
            mark = time.perf_counter()
            gate.check_page(page)
            counts.pages, counts.rows_seen = gate.pages_seen, gate.rows_seen
            counts.response_shape = page.shape
            counts.fields_lacking = (
                LIVE_LACKS_API_NAMES if page.shape == LIVE_SHAPE else DOCUMENTED_LACKS_API_NAMES
            )
            self._read_page(page, gate, pending)
            progress.info(
                "fetched page %d of %d (%d models so far)",
                page.number,
                page.total_pages,
                counts.rows_seen,
                extra={"page": page.number, "pages": page.total_pages},
            )
            ready = list(pending.flush(BATCH_ROWS))
            flatten_s += time.perf_counter() - mark
            yield from ready
        stats.timings.update(fetch=round(fetch_s, 3), flatten=round(flatten_s, 3))

    def _read_page(self, page: Page, gate: CompletenessGate, pending: PendingRows) -> None:
        tally, observed_at, run_id = self.counts, self.stats.started_at, self.stats.run_id
        versions, tags = pending.rows["model_versions"], pending.tags
        quarantine, problems = pending.rows["quarantine"], pending.rows["data_quality"]
        performance = pending.rows["model_performance"]
        counts = (len(versions), len(quarantine), len(problems), len(performance))
        for raw, flat, derived in flattened(page, self.prior):
            if flat.row is None:
                name = raw.get("name", raw.get("id")) if isinstance(raw, dict) else None
                self._quarantined_names.add(name if isinstance(name, str) else None)
                quarantine.append(
                    {
                        "run_id": run_id,
                        "observed_at": observed_at,
                        "page": page.number,
                        "reason": flat.quarantine_reason,
                        "raw_json": json.dumps(raw, sort_keys=True, default=str),
                    }
                )
                continue
            row = flat.row
            gate.check_id(row["model_id"], page.number)
            for p in flat.problems:
                problems.append(
                    {
                        "run_id": run_id,
                        "observed_at": observed_at,
                        "model_id": row["model_id"],
                        "name": row["name"],
                        "field": p.field,
                        "raw_value": p.raw_value,
                        "problem": p.problem,
                    }
                )
            if flat.performance is not None:
                performance.extend(
                    performance_rows(row, flat.performance, self.prior, observed_at, run_id)
                )
            carry_forward(row, self.prior, page.shape, derived)
            digest = row_hash(row)
            change = classify(self.prior.versions.get(row["model_id"]), digest)
            if change is None:
                continue
            tally.changes[change] = tally.changes.get(change, 0) + 1
            row.update(
                change=change,
                is_present=True,
                row_hash=digest,
                observed_at=observed_at,
                run_id=run_id,
            )
            versions.append(row)
            # the live shape has no tags: a version it writes keeps the carried ones
            row_tags = flat.tags if page.shape != LIVE_SHAPE else json.loads(row["tags"] or "[]")
            tags.add(row["model_id"], row_tags)
        tally.versions_written += len(versions) - counts[0]
        tally.quarantined += len(quarantine) - counts[1]
        tally.quality_issues += len(problems) - counts[2]
        tally.performance_rows += len(performance) - counts[3]

    def _still_listed(self, named: dict[str, str]) -> set[str]:
        """The ids among `named` (id → name) that a search by name still finds."""
        if not named:
            return set()
        found = rows_named(self.client, sorted(set(named.values())), self.page_size, self.workers)
        return {
            model_id
            for model_id, name in named.items()
            if any(
                isinstance(row, dict) and usable_model_id(row.get("model_id")) == model_id
                for row in found[name]
            )
        }

    def _retirements(self, seen: set[str], retired: list[str]) -> Iterator[TableBatch]:
        """Tombstones for models a complete, full read no longer lists, once confirmed; only
        models its own listing scope listed before (retire.py). Fills `retired`."""
        notes = self.counts.notes
        candidates, note = retirement_candidates(self.prior, self.stats.listing_scope)
        if note:
            notes.append(note)
        plan = absences(self.prior, seen, self._quarantined_names, candidates)
        if plan.kept:
            notes.append(f"{len(plan.kept)} absent models kept: rows were quarantined")
        # the live list is one complete body: only a pagination can miss a row
        to_confirm = plan.to_confirm if self.counts.response_shape != LIVE_SHAPE else {}
        listed = self._still_listed(to_confirm)
        if listed:
            example = self.prior.versions[min(listed)].name
            raise PaginationInconsistent(
                f"{len(listed)} models missing from the pages are still listed (e.g. {example}):"
                " rows moved between pages while we read them"
            )
        if not plan.retire:
            return
        versions, stats = self.prior.versions, self.stats
        retired.extend(plan.retire)
        rows = (tombstone(m, versions[m], stats.started_at, stats.run_id) for m in plan.retire)
        self.counts.changes[REMOVED] = len(plan.retire)
        self.counts.versions_written += len(plan.retire)
        yield from arrow_batches("model_versions", rows)
