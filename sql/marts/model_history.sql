-- every recorded version of every model, typed, with the interval in which it was current.
-- the base of every other model view: a version is written only when something changed.
create or replace view analytics.model_history as
with versions as (
    select
        *,
        lead(observed_at) over (partition by model_id order by observed_at) as valid_to
    from analytics_staging.stg_model_versions
)

select
    model_id,
    name,
    description,
    status,
    is_present and status = 'active' as is_active,
    developer,
    short_description,
    version,
    "precision",
    license,
    tool_support,
    image_url,
    context_window,
    max_tokens,
    trendiness,
    chat_daily_quota_tier_1,
    api_completions_daily_quota_tier_1,
    embeddings_daily_quota_tier_1,
    audio_transcriptions_daily_quota_tier_1,
    audio_speech_daily_quota_tier_1,
    enable_api_chat_completions,
    enable_api_embeddings,
    enable_audio_stt,
    enable_audio_tts,
    enable_chat_ui,
    supports_images_input,
    supports_prompt_cache,
    supports_attestation,
    max_model_len,
    input_price,
    output_price,
    cache_read_price,
    cache_write_price,
    tags,
    extra_fields,
    source_shape,
    prices_as_sent,
    created_at,
    updated_at,
    change,
    is_present,
    observed_at as valid_from,
    valid_to,
    valid_to is null as is_latest,
    row_hash,
    run_id
from versions
