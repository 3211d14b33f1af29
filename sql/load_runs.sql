-- one row per load, successful or not: when, how much was read and what came of it.
create or replace view analytics.load_runs as
select
    run_id,
    started_at,
    finished_at,
    round(epoch(finished_at) - epoch(started_at), 3) as duration_s,
    outcome,
    message,
    is_full,
    query,
    base_url,
    response_shape,
    pages,
    rows_seen,
    versions_written,
    models_added,
    models_changed,
    models_removed,
    models_reappeared,
    quarantined,
    quality_issues,
    pagination_attempts
from io_intelligence.load_runs
order by started_at
