-- one row per load dlt completed, and when: the moment a load's rows were all in.
create or replace view analytics_staging.stg_dlt_loads as
select
    load_id,
    inserted_at as loaded_at
from io_intelligence._dlt_loads
where status = 0
