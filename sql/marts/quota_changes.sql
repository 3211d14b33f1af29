-- one row per observed change of one daily quota of one model, like price_changes: between
-- consecutive versions in which the model was listed. quota is the capability, as in
-- quota_by_capability (chat, api_completions, embeddings, audio_transcriptions, audio_speech).
create or replace view analytics.quota_changes as
with quota_fields as (
    select observed_at, run_id, model_id, name, field, old_value, new_value, relative_change
    from analytics.model_changes
    where kind = 'quota'
)

select
    model_id,
    name,
    replace(field, '_daily_quota_tier_1', '') as quota,
    cast(old_value as bigint) as old_quota,
    cast(new_value as bigint) as new_quota,
    relative_change,
    observed_at,
    run_id
from quota_fields
