"""One read of the catalogue: pages → flat rows → gate → change detection → Arrow tables.

Free of dlt: it yields (table name, Arrow table) pairs that the dlt source routes to tables,
so the whole flow is testable without a pipeline. Memory holds a batch of rows at a time.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from pipelines.errors import GateError, PaginationInconsistent
from pipelines.extract.client import CatalogueClient
from pipelines.extract.fetch import iter_pages, rows_named
from pipelines.extract.gate import CompletenessGate
from pipelines.extract.pages import OPENAI_LIST, Page
from pipelines.transform.batches import BATCH_ROWS, PendingRows, TableBatch, arrow, missing_tables
from pipelines.transform.flatten import flatten_model, usable_model_id
from pipelines.transform.history import REMOVED, Prior, classify, row_hash, tombstone
from pipelines.transform.run_stats import RunStats


class CatalogueRun:
    """Reads the catalogue once; `batches()` may be called again after an inconsistency."""

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
        self._quarantined_names: set[str | None] = set()  # per read: names of quarantined rows
        self._notes: list[str] = []  # per read: what the load_runs message says

    def batches(self) -> Iterator[TableBatch]:
        """Arrow tables for model_versions, model_tags, quarantine, data_quality, load_runs."""
        stats = self.stats
        stats.pagination_attempts += 1
        stats.pages = stats.rows_seen = stats.versions_written = 0
        stats.quarantined = stats.quality_issues = 0
        stats.changes = {}
        gate = CompletenessGate()
        pending = PendingRows()
        self._quarantined_names, self._notes = set(), []
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
            stats.pages, stats.rows_seen = gate.pages_seen, gate.rows_seen
            stats.response_shape = page.shape
            self._read_page(page, gate, pending)
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
        stats, observed_at, run_id = self.stats, self.stats.started_at, self.stats.run_id
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
            stats.changes[change] = stats.changes.get(change, 0) + 1
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
        stats.versions_written += len(versions) - counts[0]
        stats.quarantined += len(quarantine) - counts[1]
        stats.quality_issues += len(problems) - counts[2]

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
        present = self.prior.present_ids()
        gone = sorted(present - seen)
        if gone and not seen:
            raise GateError(
                f"the API returned an empty catalogue; refusing to retire all {len(gone)} models"
            )
        versions = self.prior.versions
        # A quarantined row may be one of these models with its id broken this time.
        if None in self._quarantined_names:
            kept, gone = gone, []
        else:
            kept = [m for m in gone if versions[m].name in self._quarantined_names]
            gone = [m for m in gone if m not in kept]
        if kept:
            self._notes.append(f"{len(kept)} absent models kept: rows were quarantined")
        named = {m: name for m in gone if (name := versions[m].name)}
        listed = self._still_listed(named)
        if listed:
            example = versions[min(listed)].name
            raise PaginationInconsistent(
                f"{len(listed)} models missing from the pages are still listed (e.g. {example}):"
                " rows moved between pages while we read them"
            )
        if not gone:
            return
        stats = self.stats
        rows = [tombstone(m, versions[m], stats.started_at, stats.run_id) for m in gone]
        stats.changes[REMOVED] = len(rows)
        stats.versions_written += len(rows)
        yield "model_versions", arrow("model_versions", rows)
