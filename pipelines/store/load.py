"""`iomodels load`: one load, from the lock to the published views.

The steps: lock the data dir → stage the destination → read the latest versions → extract
(paginate, validate, detect changes; again from page 1 if the catalogue shifted) → normalise →
load → views → publish. A failure before publishing leaves the previous data as it was and is
itself recorded in load_runs.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipelines.errors import (
    ApiError,
    GateError,
    PaginationInconsistent,
    UsageError,
)
from pipelines.extract.client import ApiKey, CatalogueClient
from pipelines.extract.retry import RetryPolicy
from pipelines.settings import DATASET, DLT_DIR, PAGINATION_ATTEMPTS
from pipelines.store.lock import DataDirLock
from pipelines.store.targets import Target, make_target
from pipelines.transform.batches import failed_run_batches
from pipelines.transform.catalogue_run import CatalogueRun
from pipelines.transform.run_stats import RunStats

log = logging.getLogger("iomodels")


@dataclass(frozen=True)
class LoadConfig:
    base_url: str
    destination: str
    data_dir: Path
    page_size: int
    q: str | None
    workers: int
    lock_wait_s: float
    retry: RetryPolicy
    api_key: ApiKey | None = None
    guest_session_id: str | None = None


@dataclass(frozen=True)
class LoadResult:
    stats: RunStats
    destination: str
    query_file: Path


def run_load(config: LoadConfig) -> LoadResult:
    try:
        config.data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot use --data-dir {config.data_dir}: {exc.strerror}") from None
    with DataDirLock(config.data_dir, config.lock_wait_s):
        target = make_target(config.destination, config.data_dir)
        target.prepare()
        try:
            stats = _load(config, target)
        finally:
            target.discard()
    return LoadResult(stats, target.name, target.query_file)


def _load(config: LoadConfig, target: Target) -> RunStats:
    prior = target.read_prior()
    stats = RunStats(
        run_id=uuid.uuid4().hex,
        started_at=datetime.now(UTC),
        base_url=config.base_url,
        query=config.q,
    )
    pipeline = _pipeline(config, target)
    client = CatalogueClient(
        config.base_url, config.api_key, config.guest_session_id, config.retry, config.workers
    )
    run = CatalogueRun(client, prior, stats, page_size=config.page_size, workers=config.workers)
    timings = stats.timings
    try:
        mark = time.perf_counter()
        _extract(pipeline, run)
        timings["extract"] = round(time.perf_counter() - mark, 3)
        mark = time.perf_counter()
        pipeline.normalize()
        timings["normalize"] = round(time.perf_counter() - mark, 3)
        mark = time.perf_counter()
        pipeline.load()
        timings["load"] = round(time.perf_counter() - mark, 3)
    except Exception as exc:
        # The previous data stay; the failure itself is recorded in load_runs and published.
        # If even that cannot be written, nothing is published and the first error is told.
        try:
            _record_failure(pipeline, run, exc)
            target.publish()
        except Exception as record_exc:
            log.warning("could not record the failed load: %s", type(record_exc).__name__)
        raise
    finally:
        client.close()
    mark = time.perf_counter()
    target.publish()
    timings["views_and_publish"] = round(time.perf_counter() - mark, 3)
    return stats


def _pipeline(config: LoadConfig, target: Target) -> Any:
    import dlt

    pipeline = dlt.pipeline(
        pipeline_name=f"iomodels_{target.name}",
        destination=target.dlt_destination(),
        dataset_name=DATASET,
        pipelines_dir=str((config.data_dir / DLT_DIR).resolve()),
    )
    if pipeline.has_pending_data:
        log.warning("dropping unfinished load packages of an interrupted load")
        _drop_pending(pipeline)
    return pipeline


def _drop_pending(pipeline: Any) -> None:
    """Our loads re-read the whole catalogue, so a left-over package is stale, never needed."""
    pipeline.abort_packages()


def _extract(pipeline: Any, run: CatalogueRun) -> None:
    """Extract one pass at a time until a pass is consistent; a pass ends its stream rather
    than raise into dlt, so its failure is read from the pass, not from dlt's exception."""
    from pipelines.store.source import io_intelligence

    for attempt in range(1, PAGINATION_ATTEMPTS + 1):
        one_pass = run.new_pass()
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


def _record_failure(pipeline: Any, run: CatalogueRun, exc: Exception) -> None:
    """The failed load's own load_runs row, and nothing of the catalogue."""
    from pipelines.store.source import io_intelligence

    if isinstance(exc, ApiError):
        outcome, message = "api_error", str(exc)
    elif isinstance(exc, GateError):
        outcome, message = "gate_failed", str(exc)
    else:
        outcome, message = "error", type(exc).__name__
    _drop_pending(pipeline)
    row = run.stats.load_run_row(outcome, message)
    pipeline.run(io_intelligence(lambda: failed_run_batches(run.prior, row)))
