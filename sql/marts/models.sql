-- one row per model in the catalogue now: the latest version of every model still present.
create or replace view analytics.models as
with current_versions as (
    select * from analytics.model_history where is_latest and is_present
),

first_seen as (
    select model_id, min(valid_from) as first_seen_at
    from analytics.model_history
    where is_present
    group by model_id
),

last_full_load as (
    -- a complete load saw every present model, so that is when each was last seen
    select max(started_at) as seen_at
    from analytics_staging.stg_load_runs
    where outcome = 'ok' and is_full
)

select
    current_versions.model_id,
    current_versions.name,
    current_versions.description,
    current_versions.status,
    current_versions.is_active,
    current_versions.developer,
    current_versions.short_description,
    current_versions.version,
    current_versions."precision",
    current_versions.license,
    current_versions.tool_support,
    current_versions.image_url,
    current_versions.context_window,
    current_versions.max_tokens,
    current_versions.trendiness,
    current_versions.chat_daily_quota_tier_1,
    current_versions.api_completions_daily_quota_tier_1,
    current_versions.embeddings_daily_quota_tier_1,
    current_versions.audio_transcriptions_daily_quota_tier_1,
    current_versions.audio_speech_daily_quota_tier_1,
    current_versions.enable_api_chat_completions,
    current_versions.enable_api_embeddings,
    current_versions.enable_audio_stt,
    current_versions.enable_audio_tts,
    current_versions.enable_chat_ui,
    current_versions.supports_images_input,
    current_versions.supports_prompt_cache,
    current_versions.supports_attestation,
    current_versions.max_model_len,
    current_versions.input_price,
    current_versions.output_price,
    current_versions.cache_read_price,
    current_versions.cache_write_price,
    current_versions.tags,
    current_versions.extra_fields,
    current_versions.source_shape,
    current_versions.prices_as_sent,
    current_versions.created_at,
    current_versions.updated_at,
    current_versions.valid_from,
    first_seen.first_seen_at,
    greatest(current_versions.valid_from, last_full_load.seen_at) as last_seen_at
from current_versions
inner join first_seen on first_seen.model_id = current_versions.model_id
cross join last_full_load
