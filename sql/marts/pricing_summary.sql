-- one row per developer: the spread of its models' prices and its cheapest model.
-- medians are cast back to decimal: postgres computes percentile_cont in double precision.
create or replace view analytics.pricing_summary as
with pricing as (
    select
        coalesce(developer, '(unknown)') as developer,
        name,
        input_price,
        output_price,
        blended_price,
        -- ties broken by name so the answer does not depend on scan order
        row_number() over (
            partition by coalesce(developer, '(unknown)') order by blended_price, name
        ) as cheapness
    from analytics.model_pricing
)

select
    developer,
    count(*) as priced_models,
    min(input_price) as min_input_price,
    cast(percentile_cont(0.5) within group (order by input_price) as decimal(18, 10))
        as median_input_price,
    max(input_price) as max_input_price,
    min(output_price) as min_output_price,
    cast(percentile_cont(0.5) within group (order by output_price) as decimal(18, 10))
        as median_output_price,
    max(output_price) as max_output_price,
    max(name) filter (where cheapness = 1) as cheapest_model,
    min(blended_price) as cheapest_blended_price
from pricing
group by 1
