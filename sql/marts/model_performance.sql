-- one row per model per day observed: the day's latest average latency and throughput.
-- the live shape's daily figures; they never make a version (see model_history).
create or replace view analytics.model_performance as
with ranked as (
    select
        model_id,
        name,
        day,
        avg_latency_ms_per_day,
        avg_throughput_per_day,
        observed_at,
        row_number() over (partition by model_id, day order by observed_at desc) as newest
    from analytics_staging.stg_model_performance
)

select
    model_id,
    name,
    day,
    avg_latency_ms_per_day,
    avg_throughput_per_day,
    observed_at
from ranked
where newest = 1
