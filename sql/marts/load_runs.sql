-- one row per load, successful or not: when, how much was read and what came of it.
create or replace view analytics.load_runs as
select
    run_id,
    started_at,
    finished_at,
    cast(round(
        cast(extract(epoch from (finished_at - started_at)) as decimal(18, 6)), 3
    ) as double precision) as duration_s,
    outcome,
    message,
    is_full,
    query,
    base_url,
    -- documented | live (loads before the live shape was read as such said paginated, openai_list)
    case response_shape
        when 'paginated' then 'documented' when 'openai_list' then 'live' else response_shape
    end as response_shape,
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
from analytics_staging.stg_load_runs
