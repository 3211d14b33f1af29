-- one row per (model, tag) of the models in the catalogue now.
create or replace view analytics.model_tags as
with current_models as (
    select model_id, name, valid_from from analytics.models
),

tags as (
    select model_id, observed_at, tag from analytics_staging.stg_model_tags
)

select
    current_models.model_id,
    current_models.name,
    tags.tag
from current_models
inner join tags
    on tags.model_id = current_models.model_id
    and tags.observed_at = current_models.valid_from
