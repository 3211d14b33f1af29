-- one row per model in the catalogue now: the latest version of every model still present.
create or replace view analytics.models as
with history as (
    select * from analytics.model_history
),

first_seen as (
    select model_id, min(valid_from) as first_seen_at
    from history
    where is_present
    group by model_id
),

last_full_load as (
    -- a complete load saw every present model, so that is when each was last seen
    select max(started_at) as seen_at
    from io_intelligence.load_runs
    where outcome = 'ok' and is_full
),

current_versions as (
    select * from history where is_latest and is_present
)

select
    current_versions.* exclude (is_latest, is_present, change, valid_to, row_hash, run_id),
    first_seen.first_seen_at,
    greatest(current_versions.valid_from, last_full_load.seen_at) as last_seen_at
from current_versions
inner join first_seen using (model_id)
cross join last_full_load
