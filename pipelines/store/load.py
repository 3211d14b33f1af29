"""`iomodels load`: one load, from the lock to the published views.

The steps: lock the data dir → stage the destination → read the latest versions → extract
(paginate, validate, detect changes; again from page 1 if the catalogue shifted) → normalise →
load → views → publish. A failure before publishing leaves the previous data as it was and is
itself recorded in load_runs.
"""

from __future__ import annotations

import contextlib
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
    IomodelsError,
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
    except (ApiError, GateError) as exc:
        _drop_pending(pipeline)
        outcome = "api_error" if isinstance(exc, ApiError) else "gate_failed"
        _record_failure(pipeline, run, outcome, str(exc))
        target.publish()
        raise
    except Exception as exc:
        # Unexpected: keep the previous data, and try to say so in load_runs
        with contextlib.suppress(Exception):
            _drop_pending(pipeline)
            _record_failure(pipeline, run, "error", type(exc).__name__)
            target.publish()
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


def _our_error(exc: BaseException) -> IomodelsError | None:
    """dlt wraps what a resource raises; find ours in the chain of causes."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, IomodelsError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _extract(pipeline: Any, run: CatalogueRun) -> None:
    from dlt.pipeline.exceptions import PipelineStepFailed

    from pipelines.store.source import io_intelligence

    for attempt in range(1, PAGINATION_ATTEMPTS + 1):
        try:
            pipeline.extract(io_intelligence(run.batches))
            return
        except PipelineStepFailed as exc:
            cause = _our_error(exc)
            if cause is None:
                raise
            _drop_pending(pipeline)
            if not isinstance(cause, PaginationInconsistent):
                raise cause from None
            if attempt == PAGINATION_ATTEMPTS:
                raise GateError(
                    f"the catalogue did not hold still over {attempt} paginations; nothing was "
                    f"written: {cause}"
                ) from None
            log.warning("pagination %d was inconsistent (%s); paginating again", attempt, cause)


def _record_failure(pipeline: Any, run: CatalogueRun, outcome: str, message: str) -> None:
    from pipelines.store.source import io_intelligence

    row = run.stats.load_run_row(outcome, message)
    pipeline.run(io_intelligence(lambda: failed_run_batches(run.prior, row)))
