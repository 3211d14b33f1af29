-- one row per webhook a load posted its changes to, as the load recorded it.
create or replace view analytics_staging.stg_notifications as
select run_id, notified_at, url, outcome, http_status, attempts, message
from io_intelligence.notifications
