-- one row per priced model (active, with an input and an output price), ranked by blended
-- price: three input tokens for every output token, the usual chat mix.
create or replace view analytics.model_pricing as
with priced as (
    select
        model_id,
        name,
        developer,
        input_price,
        output_price,
        cache_read_price,
        cache_write_price
    from analytics.models
    where is_active and input_price is not null and output_price is not null
),

blended as (
    select
        model_id,
        name,
        developer,
        input_price,
        output_price,
        cache_read_price,
        cache_write_price,
        -- times 0.25 rather than / 4: decimal division would return a double in duckdb
        cast((3 * input_price + output_price) * 0.25 as decimal(18, 10)) as blended_price,
        case
            when input_price > 0 and cache_read_price is not null
                then cast(round(
                    cast(1 - cache_read_price / input_price as decimal(38, 10)), 4
                ) as double precision)
        end as cache_read_discount
    from priced
)

select
    model_id,
    name,
    developer,
    input_price,
    output_price,
    cache_read_price,
    cache_write_price,
    blended_price,
    cache_read_discount,
    rank() over (order by blended_price) as price_rank
from blended
