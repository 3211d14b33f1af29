-- one row per developer: the spread of its models' prices and its cheapest model.
create or replace view analytics.pricing_summary as
with pricing as (
    select * from analytics.model_pricing
)

select
    coalesce(developer, '(unknown)') as developer,
    count(*) as priced_models,
    min(input_price) as min_input_price,
    median(input_price) as median_input_price,
    max(input_price) as max_input_price,
    min(output_price) as min_output_price,
    median(output_price) as median_output_price,
    max(output_price) as max_output_price,
    -- ties broken by name so the answer does not depend on scan order
    first(name order by blended_price, name) as cheapest_model,
    min(blended_price) as cheapest_blended_price
from pricing
group by all
order by developer
