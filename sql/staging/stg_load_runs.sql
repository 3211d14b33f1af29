-- one row per load, successful or not, as the load recorded it; load_id is dlt's load
-- of the row (its record, for a failed load).
create or replace view analytics_staging.stg_load_runs as
select
    run_id,
    _dlt_load_id as load_id,
    started_at,
    finished_at,
    outcome,
    message,
    is_full,
    query,
    base_url,
    response_shape,
    key_scope,
    fields_lacking,
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
