-- one row per webhook a load posted its changes to (`iomodels load --notify`): the url as shown
-- (scheme and host: the rest may hold a token), sent or failed, the last http status, attempts.
create or replace view analytics.notifications as
select run_id, notified_at, url, outcome, http_status, attempts, message
from analytics_staging.stg_notifications
