-- one row per developer: models, active models and the daily quotas of its active models.
-- sums are cast to bigint: duckdb would widen them to hugeint and postgres to numeric.
-- a quota the response shape does not publish (the live list has none) is unknown: a sum is
-- null when no active model of the developer has a known quota, never a sum of zeros;
-- unknown_quota_models counts the active models whose chat quota is unknown.
create or replace view analytics.quota_summary as
with models as (
    select
        coalesce(developer, '(unknown)') as developer,
        is_active,
        chat_daily_quota_tier_1,
        api_completions_daily_quota_tier_1,
        embeddings_daily_quota_tier_1,
        audio_transcriptions_daily_quota_tier_1,
        audio_speech_daily_quota_tier_1
    from analytics.models
)

select
    developer,
    count(*) as models,
    count(*) filter (where is_active) as active_models,
    cast(case when count(*) filter (where is_active) = 0 then 0
        else sum(chat_daily_quota_tier_1) filter (where is_active) end as bigint)
        as chat_daily_quota,
    cast(case when count(*) filter (where is_active) = 0 then 0
        else sum(api_completions_daily_quota_tier_1) filter (where is_active) end as bigint)
        as api_completions_daily_quota,
    cast(case when count(*) filter (where is_active) = 0 then 0
        else sum(embeddings_daily_quota_tier_1) filter (where is_active) end as bigint)
        as embeddings_daily_quota,
    cast(case when count(*) filter (where is_active) = 0 then 0
        else sum(audio_transcriptions_daily_quota_tier_1) filter (where is_active) end as bigint)
        as audio_transcriptions_daily_seconds,
    cast(case when count(*) filter (where is_active) = 0 then 0
        else sum(audio_speech_daily_quota_tier_1) filter (where is_active) end as bigint)
        as audio_speech_daily_characters,
    count(*) filter (where is_active and chat_daily_quota_tier_1 is null) as unknown_quota_models
from models
group by 1
