-- one row per developer: models, active models and the daily quotas of its active models.
-- sums are cast to bigint: duckdb would widen them to hugeint and postgres to numeric.
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
    cast(coalesce(sum(chat_daily_quota_tier_1) filter (where is_active), 0) as bigint)
        as chat_daily_quota,
    cast(coalesce(sum(api_completions_daily_quota_tier_1) filter (where is_active), 0) as bigint)
        as api_completions_daily_quota,
    cast(coalesce(sum(embeddings_daily_quota_tier_1) filter (where is_active), 0) as bigint)
        as embeddings_daily_quota,
    cast(coalesce(
        sum(audio_transcriptions_daily_quota_tier_1) filter (where is_active), 0
    ) as bigint) as audio_transcriptions_daily_seconds,
    cast(coalesce(sum(audio_speech_daily_quota_tier_1) filter (where is_active), 0) as bigint)
        as audio_speech_daily_characters
from models
group by 1
