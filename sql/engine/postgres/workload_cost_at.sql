-- what a workload costs on each priced model (active, with an input and an output price):
--   select * from analytics.workload_cost(10000000, 2000000, 4000000) order by sort_order;
--   select * from analytics.workload_cost_at(timestamptz '2026-11-23 00:00+00', 10000000, 2000000);
-- arguments are token counts; input tokens include the cached ones, which cost the cache-read
-- price where the model has one, else the input price. prices are usd per million tokens, so
-- every cost is exact: tokens x price x 0.000001, a decimal of scale 16 (usd).
-- rank: 1 = cheapest, equal totals share a rank; sort_order breaks ties by name, then model_id
-- (byte order).
-- saving_vs_median: the median model's total minus this one's (> 0: cheaper than the median).
--
-- a set-returning sql function here (duckdb: a table macro with the same body, in
-- sql/engine/duckdb/workload_cost_at.sql; keep the two bodies alike).
create or replace function analytics.workload_cost_at(
    t timestamptz,
    input_tokens numeric,
    output_tokens numeric,
    cached_input_tokens numeric default 0
)
returns table (
    model_id text,
    name text,
    developer text,
    input_price numeric,
    cached_input_price numeric,
    output_price numeric,
    input_cost numeric,
    cached_input_cost numeric,
    output_cost numeric,
    total_cost numeric,
    rank bigint,
    sort_order bigint,
    median_cost numeric,
    saving_vs_median numeric
)
language sql
stable
as $$
with workload as (
    -- 38 digits: duckdb multiplies decimals of width 18 in 64 bits, which overflows at
    -- 100m tokens x a price of 2.0000000000
    select
        case
            when input_tokens < 0 or output_tokens < 0 or cached_input_tokens < 0
                then analytics_staging.fail('workload_cost: token counts must not be negative')
            when cached_input_tokens > input_tokens
                then analytics_staging.fail(
                    'workload_cost: cached_input_tokens are part of input_tokens: '
                    || 'they cannot be more'
                )
        end as invalid,
        cast(input_tokens as numeric(38, 0)) - cast(cached_input_tokens as numeric(38, 0))
            as uncached_count,
        cast(cached_input_tokens as numeric(38, 0)) as cached_count,
        cast(output_tokens as numeric(38, 0)) as output_count
),

priced as (
    select
        model_id,
        name,
        developer,
        input_price,
        coalesce(cache_read_price, input_price) as cached_input_price,
        output_price
    from analytics.catalogue_as_of(t)
    where is_active and input_price is not null and output_price is not null
),

costs as (
    -- times 0.000001 rather than / 1000000: decimal division would return a double
    select
        priced.model_id,
        priced.name,
        priced.developer,
        priced.input_price,
        priced.cached_input_price,
        priced.output_price,
        cast(workload.uncached_count * priced.input_price * 0.000001 as numeric(38, 16))
            as input_cost,
        cast(workload.cached_count * priced.cached_input_price * 0.000001 as numeric(38, 16))
            as cached_input_cost,
        cast(workload.output_count * priced.output_price * 0.000001 as numeric(38, 16))
            as output_cost
    from priced
    cross join workload
    where workload.invalid is null
),

ranked as (
    select
        costs.*,
        input_cost + cached_input_cost + output_cost as total_cost,
        rank() over (order by input_cost + cached_input_cost + output_cost) as rank,
        row_number() over (
            -- "c": byte order, the same on both engines whatever the database's locale
            order by input_cost + cached_input_cost + output_cost, name collate "C",
                model_id collate "C"
        ) as sort_order,
        count(*) over () as models
    from costs
),

median as (
    -- the middle total, or the mean of the two middle ones: exact, unlike percentile_cont
    select
        cast(
            sum(total_cost) * case when mod(max(models), 2) = 0 then 0.5 else 1 end
            as numeric(38, 17)
        ) as median_cost
    from ranked
    where 2 * sort_order between models and models + 2
)

select
    ranked.model_id,
    ranked.name,
    ranked.developer,
    ranked.input_price,
    ranked.cached_input_price,
    ranked.output_price,
    ranked.input_cost,
    ranked.cached_input_cost,
    ranked.output_cost,
    cast(ranked.total_cost as numeric(38, 16)) as total_cost,
    ranked.rank,
    ranked.sort_order,
    median.median_cost,
    cast(median.median_cost - ranked.total_cost as numeric(38, 17)) as saving_vs_median
from ranked
cross join median
$$
