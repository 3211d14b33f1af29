-- one row per field that could not be taken as sent, per load: what was sent and what was done.
create or replace view analytics.data_quality as
select observed_at, run_id, model_id, name, field, raw_value, problem
from analytics_staging.stg_data_quality
