-- the live shape's daily performance figures, one row per model each time they were new or
-- moved; they never make a version (see stg_model_versions).
create or replace view analytics_staging.stg_model_performance as
select
    model_id,
    name,
    day,
    avg_latency_ms_per_day,
    avg_throughput_per_day,
    observed_at,
    run_id
from io_intelligence.model_performance
