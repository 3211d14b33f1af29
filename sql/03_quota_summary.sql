-- one row per developer: models, active models and the daily quotas of its active models.
create or replace view analytics.quota_summary as
with models as (
    select * from analytics.models
)

select
    coalesce(developer, '(unknown)') as developer,
    count(*) as models,
    count(*) filter (where is_active) as active_models,
    coalesce(sum(chat_daily_quota_tier_1) filter (where is_active), 0) as chat_daily_quota,
    coalesce(sum(api_completions_daily_quota_tier_1) filter (where is_active), 0)
        as api_completions_daily_quota,
    coalesce(sum(embeddings_daily_quota_tier_1) filter (where is_active), 0)
        as embeddings_daily_quota,
    coalesce(sum(audio_transcriptions_daily_quota_tier_1) filter (where is_active), 0)
        as audio_transcriptions_daily_seconds,
    coalesce(sum(audio_speech_daily_quota_tier_1) filter (where is_active), 0)
        as audio_speech_daily_characters
from models
group by all
order by developer
