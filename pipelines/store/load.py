"""`iomodels load`: one load, from the lock to the published views.

The steps: lock the data dir → stage the destination → read the latest versions → extract
(paginate, validate, detect changes; again from page 1 if the catalogue shifted) → normalise →
load → views → publish → prune. A failure before publishing leaves the previous data as it was
and is itself recorded in load_runs; so is an interruption (SIGINT, SIGTERM).
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from pipelines.errors import (
    ApiError,
    GateError,
    IomodelsError,
    PaginationInconsistent,
    one_line,
)
from pipelines.extract.fetch import Pagination
from pipelines.settings import (
    DLT_DIR,
    DLT_LOAD_WORKERS,
    LOAD_ONE_JOB_AT_A_TIME,
    NOTIFY_ATTEMPTS,
    PAGINATION_ATTEMPTS,
)
from pipelines.store.housekeeping import dlt_log_to_file, prune_completed_packages
from pipelines.store.load_start import LoadConfig, Started, started_load
from pipelines.store.notify import notify_changes
from pipelines.store.targets import Target
from pipelines.store.webhook import Delivery
from pipelines.transform.batches import failed_run_batches
from pipelines.transform.catalogue_run import CatalogueRun
from pipelines.transform.run_stats import RunStats

log = logging.getLogger("iomodels")


@dataclass(frozen=True)
class LoadResult:
    stats: RunStats
    destination: str
    location: str  # the DuckDB file readers open, or the database (without its password)
    deliveries: list[Delivery] = field(default_factory=list)


def run_load(config: LoadConfig, started: Started | None = None) -> LoadResult:
    """One load; `started` is its beginning (store/load_start.py) when the caller made it."""
    if started is None:
        with started_load(config) as started:
            return run_load(config, started)
    # The system allocator hands freed Arrow buffers back; the bundled one keeps them, which
    # costs ~17 MiB of peak RSS at 100k models (the batches come and go).
    pa.set_memory_pool(pa.system_memory_pool())
    stats, deliveries = _load(config, started)
    return LoadResult(stats, started.target.name, started.target.location, deliveries)


def _load_workers(rows: int) -> int:
    """dlt's load jobs side by side each pin their buffers under DuckDB's one memory limit (a
    300k-model load ran out so): a large load runs them one at a time. A real catalogue's few
    small jobs run side by side (0.17 s less at 21 models)."""
    return 1 if rows > LOAD_ONE_JOB_AT_A_TIME else DLT_LOAD_WORKERS


def _load(config: LoadConfig, started: Started) -> tuple[RunStats, list[Delivery]]:
    target = started.target
    prior, made_tables = target.read_prior()
    stats = RunStats(
        run_id=uuid.uuid4().hex,
        started_at=datetime.now(UTC),
        base_url=config.base_url,
        query=config.q,
        key_scope="key" if config.api_key is not None else "guest",
    )
    pipeline = _pipeline(config, target)
    run = CatalogueRun(
        started.client, prior, stats, page_size=config.page_size, workers=config.workers,
        made_tables=made_tables,
    )  # fmt: skip
    timings = stats.timings
    try:
        with _stage(timings, "extract"):
            _extract(pipeline, run, started.first_pages)
        with _stage(timings, "normalize"):
            pipeline.normalize()
        with _stage(timings, "load"):
            pipeline.load(workers=_load_workers(run.stats.counts.rows_seen))
    except BaseException as exc:
        # The previous data stay; the failure itself (an interruption too) is recorded in
        # load_runs and published. A load stopped in dlt's load step may have written part of
        # its rows into the staged copy, so that starts again from the published data first.
        # If even the record cannot be written, nothing is published and the first error is told.
        interrupt = _interruption(exc)
        try:
            if not isinstance(exc, ApiError | GateError):
                target.restage()
            _record_failure(pipeline, target, run, exc, interrupt)
            target.publish()
        except Exception as record_exc:
            log.warning("could not record the failed load: %s", type(record_exc).__name__)
        if interrupt is not None:
            raise interrupt from None
        if "OutOfMemory" in one_line(exc) or "Out of Memory" in one_line(exc):
            raise IomodelsError(
                f"DuckDB ran out of memory under its {config.duckdb_memory} limit; set "
                "IOMODELS_DUCKDB_MEMORY higher (e.g. 512MB) and load again"
            ) from None
        raise
    mark = time.perf_counter()
    deliveries = notify_changes(
        pipeline,
        target,
        stats,
        config.notify_urls,
        attempts=NOTIFY_ATTEMPTS,
        timeout_s=config.notify_timeout_s,
        backoff_s=config.retry.backoff_s,
    )
    if deliveries:
        timings["notify"] = round(time.perf_counter() - mark, 3)
    with _stage(timings, "views_and_publish"):
        target.publish()
    pruned = prune_completed_packages(pipeline.working_dir)
    log.info("pruned %d completed dlt load package(s)", pruned)
    return stats, deliveries


@contextlib.contextmanager
def _stage(timings: dict[str, float], name: str) -> Iterator[None]:
    """Time one stage into the run's timings, and say so at -v."""
    log.info("%s ...", name.replace("_", " "))
    mark = time.perf_counter()
    yield
    timings[name] = round(time.perf_counter() - mark, 3)
    log.info("%s took %.2fs", name.replace("_", " "), timings[name])


def _interruption(exc: BaseException) -> KeyboardInterrupt | None:
    """SIGINT or SIGTERM (see cli), however deep dlt has wrapped it."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _pipeline(config: LoadConfig, target: Target) -> Any:
    dlt_log_to_file(config.data_dir / DLT_DIR)
    import dlt

    from pipelines.store.dlt_lookups import remember_config_lookups

    remember_config_lookups()

    pipeline = dlt.pipeline(
        pipeline_name=f"iomodels_{target.name}",
        destination=target.dlt_destination(),
        dataset_name=target.dataset_name,
        pipelines_dir=str((config.data_dir / DLT_DIR).resolve()),
    )
    if pipeline.has_pending_data:
        log.warning("dropping unfinished load packages of an interrupted load")
        _drop_pending(pipeline)
    return pipeline


def _drop_pending(pipeline: Any) -> None:
    """Our loads re-read the whole catalogue, so a left-over package is stale, never needed."""
    pipeline.abort_packages()


def _extract(pipeline: Any, run: CatalogueRun, first_pages: Pagination) -> None:
    """Extract one pass at a time until a pass is consistent; a pass ends its stream rather
    than raise into dlt, so its failure is read from the pass, not from dlt's exception.
    The first pass reads `first_pages`, started before the set-up; later ones start anew."""
    from pipelines.store.source import io_intelligence

    for attempt in range(1, PAGINATION_ATTEMPTS + 1):
        one_pass = run.new_pass(first_pages if attempt == 1 else None)
        pipeline.extract(io_intelligence(one_pass.batches))
        if one_pass.failure is None:
            return
        _drop_pending(pipeline)
        if not isinstance(one_pass.failure, PaginationInconsistent):
            raise one_pass.failure
        if attempt == PAGINATION_ATTEMPTS:
            raise GateError(
                f"the catalogue did not hold still over {attempt} paginations; nothing was "
                f"written: {one_pass.failure}"
            )
        log.warning(
            "pagination %d was inconsistent (%s); paginating again", attempt, one_pass.failure
        )


def _record_failure(
    pipeline: Any,
    target: Target,
    run: CatalogueRun,
    exc: BaseException,
    interrupt: KeyboardInterrupt | None,
) -> None:
    """The failed load's own load_runs row, and nothing of the catalogue."""
    from pipelines.store.source import io_intelligence

    if interrupt is not None:
        outcome, message = "interrupted", "interrupted"
    elif isinstance(exc, ApiError):
        outcome, message = "api_error", str(exc)
    elif isinstance(exc, GateError):
        outcome, message = "gate_failed", str(exc)
    else:
        outcome, message = "error", one_line(exc)
    _drop_pending(pipeline)
    row = run.stats.load_run_row(outcome, message)
    # the target's destination again: a restaged DuckDB file has a new connection
    destination = target.dlt_destination()
    pipeline.run(
        io_intelligence(lambda: failed_run_batches(run.made_tables, row)), destination=destination
    )
