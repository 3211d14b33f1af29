-- what a workload costs on each priced model of the catalogue now:
--   select * from analytics.workload_cost(10000000, 2000000, 4000000) order by sort_order;
-- the versions current at the end of time are the latest listed ones (see workload_cost_at).
create or replace function analytics.workload_cost(
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
select * from analytics.workload_cost_at(
    cast('infinity' as timestamptz), input_tokens, output_tokens, cached_input_tokens
)
$$
