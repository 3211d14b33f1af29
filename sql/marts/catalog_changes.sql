-- the name DESIGN gave analytics.catalogue_changes first, kept for the dashboards that use it.
create or replace view analytics.catalog_changes as
select model_id, name, change, old_status, new_status, observed_at
from analytics.catalogue_changes
