-- one row per field that could not be taken as sent, per load.
create or replace view analytics_staging.stg_data_quality as
select observed_at, run_id, model_id, name, field, raw_value, problem
from io_intelligence.data_quality
