-- one row per load, successful or not: when, how much was read and what came of it.
-- finished_at: when dlt had loaded the run's rows (for a failed load, its record); the load
-- itself wrote the time it finished reading the catalogue, which loads without dlt's
-- record of them (none today) fall back to.
-- notification: what came of posting the load's changes to webhooks (sent, failed,
-- partly_failed), null when nothing was posted.
create or replace view analytics.load_runs as
with notified as (
    select
        run_id,
        case
            when min(outcome) = max(outcome) then min(outcome)
            else 'partly_failed'
        end as notification
    from analytics_staging.stg_notifications
    group by run_id
)

select
    runs.run_id,
    runs.started_at,
    coalesce(loads.loaded_at, runs.finished_at) as finished_at,
    cast(round(cast(
        extract(epoch from (coalesce(loads.loaded_at, runs.finished_at) - runs.started_at))
        as decimal(18, 6)
    ), 3) as double precision) as duration_s,
    runs.outcome,
    runs.message,
    runs.is_full,
    runs.query,
    runs.base_url,
    -- documented | live (loads before the live shape was read as such said paginated, openai_list)
    case runs.response_shape
        when 'paginated' then 'documented' when 'openai_list' then 'live' else runs.response_shape
    end as response_shape,
    runs.key_scope,
    runs.fields_lacking,
    runs.pages,
    runs.rows_seen,
    runs.versions_written,
    runs.models_added,
    runs.models_changed,
    runs.models_removed,
    runs.models_reappeared,
    runs.quarantined,
    runs.quality_issues,
    runs.pagination_attempts,
    notified.notification
from analytics_staging.stg_load_runs as runs
left join analytics_staging.stg_dlt_loads as loads on loads.load_id = runs.load_id
left join notified on notified.run_id = runs.run_id
