"""One read of the catalogue: pages → flat rows → gate → change detection → Arrow tables.

Free of dlt: it yields (table name, Arrow table) pairs that the dlt source routes to tables,
so the whole flow is testable without a pipeline. Memory holds a batch of rows at a time.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from typing import Any

from pipelines.errors import IomodelsError, PaginationInconsistent
from pipelines.extract.client import CatalogueClient
from pipelines.extract.fetch import iter_pages, rows_named
from pipelines.extract.gate import CompletenessGate
from pipelines.extract.pages import OPENAI_LIST, Page
from pipelines.transform.batches import BATCH_ROWS, PendingRows, TableBatch, arrow, missing_tables
from pipelines.transform.flatten import flatten_model, usable_model_id
from pipelines.transform.history import (
    REMOVED,
    Prior,
    absences,
    classify,
    row_hash,
    tombstone,
)
from pipelines.transform.run_stats import PassCounts, RunStats

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
    ) -> None:
        self.client = client
        self.prior = prior
        self.stats = stats
        self.page_size = page_size
        self.workers = workers

    def new_pass(self) -> Pass:
        self.stats.pagination_attempts += 1
        self.stats.counts = PassCounts()
        return Pass(self, self.stats.counts)


class Pass:
    """One pagination from page 1: its own gate, counters, notes and outcome.

    `batches()` never raises our own errors into dlt: it ends the stream and keeps the error in
    `failure`, so that the load decides (paginate again, or fail) without unwrapping dlt's.
    """

    def __init__(self, run: CatalogueRun, counts: PassCounts) -> None:
        self.client, self.prior, self.stats = run.client, run.prior, run.stats
        self.page_size, self.workers = run.page_size, run.workers
        self.counts = counts
        self.failure: IomodelsError | None = None
        self._quarantined_names: set[str | None] = set()  # names of quarantined rows
        self._notes: list[str] = []  # what the load_runs message says

    def batches(self) -> Iterator[TableBatch]:
        """Arrow tables for model_versions, model_tags, quarantine, data_quality, load_runs."""
        try:
            yield from self._batches()
        except IomodelsError as exc:
            self.failure = exc

    def _batches(self) -> Iterator[TableBatch]:
        stats, counts = self.stats, self.counts
        gate = CompletenessGate()
        pending = PendingRows()
        yield from missing_tables(self.prior)
        fetch_s = flatten_s = 0.0
        pages = iter_pages(self.client, self.page_size, stats.query, self.workers)
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
        gate.finish()
        yield from pending.flush(0)
        stats.timings.update(fetch=round(fetch_s, 3), flatten=round(flatten_s, 3))
        if stats.is_full:
            yield from self._retirements(gate.seen_ids)
        note = "; ".join(self._notes) or None
        yield "load_runs", arrow("load_runs", [stats.load_run_row("ok", note)])

    def _read_page(self, page: Page, gate: CompletenessGate, pending: PendingRows) -> None:
        tally, observed_at, run_id = self.counts, self.stats.started_at, self.stats.run_id
        versions, tags = pending.rows["model_versions"], pending.rows["model_tags"]
        quarantine, problems = pending.rows["quarantine"], pending.rows["data_quality"]
        counts = (len(versions), len(quarantine), len(problems))
        if page.shape == OPENAI_LIST:
            self._keep_known_ids(page.rows)
        for raw in page.rows:
            flat = flatten_model(raw)
            if flat.row is None:
                name = raw.get("name") if isinstance(raw, dict) else None
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
            tags.extend(
                {"model_id": row["model_id"], "observed_at": observed_at, "position": i, "tag": t}
                for i, t in enumerate(flat.tags)
            )
        tally.versions_written += len(versions) - counts[0]
        tally.quarantined += len(quarantine) - counts[1]
        tally.quality_issues += len(problems) - counts[2]

    def _keep_known_ids(self, rows: list[Any]) -> None:
        """An OpenAI-style list has no model_id: give a known name its recorded id, so that a
        switch between the two response shapes is not read as every model replaced."""
        ids_by_name = {v.name: m for m, v in self.prior.versions.items() if v.name}
        for raw in rows:
            if isinstance(raw, dict) and raw.get("name") in ids_by_name:
                raw["model_id"] = ids_by_name[raw["name"]]

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

    def _retirements(self, seen: set[str]) -> Iterator[TableBatch]:
        """Tombstones for models a complete, full read no longer lists, once confirmed."""
        plan = absences(self.prior, seen, self._quarantined_names)
        if plan.kept:
            self._notes.append(f"{len(plan.kept)} absent models kept: rows were quarantined")
        listed = self._still_listed(plan.to_confirm)
        if listed:
            example = self.prior.versions[min(listed)].name
            raise PaginationInconsistent(
                f"{len(listed)} models missing from the pages are still listed (e.g. {example}):"
                " rows moved between pages while we read them"
            )
        if not plan.retire:
            return
        versions, stats = self.prior.versions, self.stats
        rows = [tombstone(m, versions[m], stats.started_at, stats.run_id) for m in plan.retire]
        self.counts.changes[REMOVED] = len(rows)
        self.counts.versions_written += len(rows)
        yield "model_versions", arrow("model_versions", rows)
