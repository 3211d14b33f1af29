-- one row per capability: the active models offering it (quota > 0) and their daily quotas.
-- sort_order is the order to show them in (chat first); views carry no order by.
-- a quota the response shape does not publish is unknown: totals are null when every active
-- model's quota is unknown, and unknown_quota_models counts the models not summed.
create or replace view analytics.quota_by_capability as
with active_models as (
    select
        name,
        chat_daily_quota_tier_1,
        api_completions_daily_quota_tier_1,
        embeddings_daily_quota_tier_1,
        audio_transcriptions_daily_quota_tier_1,
        audio_speech_daily_quota_tier_1
    from analytics.models
    where is_active
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

ranked as (
    select
        name,
        capability,
        daily_quota,
        -- ties broken by name so the answer does not depend on scan order
        row_number() over (partition by capability order by daily_quota desc, name) as place
    from quotas
    where daily_quota > 0
),

capabilities as (
    select sort_order, capability, unit from (values
        (1, 'chat', 'tokens'),
        (2, 'api_completions', 'tokens'),
        (3, 'embeddings', 'tokens'),
        (4, 'audio_transcriptions', 'seconds'),
        (5, 'audio_speech', 'characters')
    ) as c (sort_order, capability, unit)
),

unknown as (
    select capability, count(*) as models
    from quotas
    where daily_quota is null
    group by 1
),

known as (
    select capability, count(*) as models
    from quotas
    where daily_quota is not null
    group by 1
)

select
    capabilities.capability,
    count(ranked.daily_quota) as models,
    case when max(known.models) is not null or max(unknown.models) is null
        then cast(coalesce(sum(ranked.daily_quota), 0) as bigint) end as total_daily_quota,
    case when max(known.models) is not null or max(unknown.models) is null
        then coalesce(max(ranked.daily_quota), 0) end as largest_daily_quota,
    max(ranked.name) filter (where ranked.place = 1) as largest_quota_model,
    capabilities.unit,
    capabilities.sort_order,
    coalesce(max(unknown.models), 0) as unknown_quota_models
from capabilities
left join ranked on ranked.capability = capabilities.capability
left join unknown on unknown.capability = capabilities.capability
left join known on known.capability = capabilities.capability
group by capabilities.capability, capabilities.unit, capabilities.sort_order
