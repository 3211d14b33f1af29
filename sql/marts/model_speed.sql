-- one row per model in the catalogue now with performance figures: its latest day's average
-- latency and throughput beside its prices ("which cheap models are fast").
create or replace view analytics.model_speed as
with latest_day as (
    select
        model_id,
        day,
        avg_latency_ms_per_day,
        avg_throughput_per_day,
        row_number() over (partition by model_id order by day desc) as newest
    from analytics.model_performance
)

select
    models.model_id,
    models.name,
    models.developer,
    latest_day.day,
    latest_day.avg_latency_ms_per_day,
    latest_day.avg_throughput_per_day,
    pricing.input_price,
    pricing.output_price,
    pricing.blended_price
from analytics.models as models
inner join latest_day
    on latest_day.model_id = models.model_id and latest_day.newest = 1
left join analytics.model_pricing as pricing
    on pricing.model_id = models.model_id
