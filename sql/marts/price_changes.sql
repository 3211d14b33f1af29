-- one row per observed change of one price of one model, between consecutive versions in
-- which the model was listed (a removal and its return compare the prices on either side).
create or replace view analytics.price_changes as
with listed as (
    select
        model_id,
        name,
        valid_from,
        input_price,
        output_price,
        cache_read_price,
        cache_write_price
    from analytics.model_history
    where is_present
),

paired as (
    select
        model_id,
        name,
        valid_from as observed_at,
        row_number() over by_model as version_number,
        lag(input_price) over by_model as old_input,
        input_price as new_input,
        lag(output_price) over by_model as old_output,
        output_price as new_output,
        lag(cache_read_price) over by_model as old_cache_read,
        cache_read_price as new_cache_read,
        lag(cache_write_price) over by_model as old_cache_write,
        cache_write_price as new_cache_write
    from listed
    window by_model as (partition by model_id order by valid_from)
),

by_price as (
    select model_id, name, observed_at, version_number,
        'input' as price, old_input as old_price, new_input as new_price
    from paired
    union all
    select model_id, name, observed_at, version_number, 'output', old_output, new_output
    from paired
    union all
    select model_id, name, observed_at, version_number, 'cache_read', old_cache_read, new_cache_read
    from paired
    union all
    select model_id, name, observed_at, version_number,
        'cache_write', old_cache_write, new_cache_write
    from paired
)

select
    model_id,
    name,
    price,
    old_price,
    new_price,
    -- a fraction rounded in decimal arithmetic, shown as a double on both engines
    case
        when old_price > 0 then cast(round(
            cast((new_price - old_price) / old_price as decimal(38, 10)), 6
        ) as double precision)
    end as relative_change,
    observed_at
from by_price
where version_number > 1 and old_price is distinct from new_price
