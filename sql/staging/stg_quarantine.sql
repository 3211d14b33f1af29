-- rows that could not be loaded as models (no usable model_id), with their raw json.
create or replace view analytics_staging.stg_quarantine as
select observed_at, run_id, page, reason, raw_json
from io_intelligence.quarantine
