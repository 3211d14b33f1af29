-- the tags of every version of every model, in the order the api listed them.
create or replace view analytics_staging.stg_model_tags as
select
    model_id,
    observed_at,
    "position",
    tag
from io_intelligence.model_tags
