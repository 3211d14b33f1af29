-- rows that could not be loaded as models (no usable model_id), with their raw json.
create or replace view analytics.quarantine as
select observed_at, run_id, page, reason, raw_json
from analytics_staging.stg_quarantine
