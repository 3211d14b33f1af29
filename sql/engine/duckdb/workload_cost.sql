-- what a workload costs on each priced model of the catalogue now:
--   select * from analytics.workload_cost(10000000, 2000000, 4000000) order by sort_order;
-- the versions current at the end of time are the latest listed ones (see workload_cost_at).
create or replace macro analytics.workload_cost(
    input_tokens, output_tokens, cached_input_tokens := 0
) as table
select * from analytics.workload_cost_at(
    cast('infinity' as timestamptz), input_tokens, output_tokens, cached_input_tokens
)
