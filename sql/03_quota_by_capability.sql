-- one row per capability: the active models offering it (quota > 0) and their daily quotas.
create or replace view analytics.quota_by_capability as
with active_models as (
    select * from analytics.models where is_active
),

quotas as (
    select name, 'chat' as capability, chat_daily_quota_tier_1 as daily_quota
    from active_models
    union all
    select name, 'api_completions', api_completions_daily_quota_tier_1 from active_models
    union all
    select name, 'embeddings', embeddings_daily_quota_tier_1 from active_models
    union all
    select name, 'audio_transcriptions', audio_transcriptions_daily_quota_tier_1
    from active_models
    union all
    select name, 'audio_speech', audio_speech_daily_quota_tier_1 from active_models
),

capabilities as (
    select * from (values
        (1, 'chat', 'tokens'),
        (2, 'api_completions', 'tokens'),
        (3, 'embeddings', 'tokens'),
        (4, 'audio_transcriptions', 'seconds'),
        (5, 'audio_speech', 'characters')
    ) as c (sort_order, capability, unit)
)

select
    capabilities.capability,
    count(quotas.daily_quota) as models,
    coalesce(sum(quotas.daily_quota), 0) as total_daily_quota,
    coalesce(max(quotas.daily_quota), 0) as largest_daily_quota,
    first(quotas.name order by quotas.daily_quota desc, quotas.name) as largest_quota_model,
    capabilities.unit
from capabilities
left join quotas
    on quotas.capability = capabilities.capability and quotas.daily_quota > 0
group by capabilities.capability, capabilities.unit, capabilities.sort_order
order by capabilities.sort_order
