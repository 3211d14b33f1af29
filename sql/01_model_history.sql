-- every recorded version of every model, typed, with the interval in which it was current.
-- the base of every other model view: a version is written only when something changed.
create or replace view analytics.model_history as
with versions as (
    select * from io_intelligence.model_versions
),

intervals as (
    select
        *,
        lead(observed_at) over by_model as valid_to
    from versions
    window by_model as (partition by model_id order by observed_at)
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
    precision,
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
    -- usd per million tokens; try_cast because a bad price is left null, never fatal
    try_cast(input_token_price as decimal(18, 10)) as input_price,
    try_cast(output_token_price as decimal(18, 10)) as output_price,
    try_cast(cache_read_token_price as decimal(18, 10)) as cache_read_price,
    try_cast(cache_write_token_price as decimal(18, 10)) as cache_write_price,
    tags,
    extra_fields,
    created_at,
    updated_at,
    change,
    is_present,
    observed_at as valid_from,
    valid_to,
    valid_to is null as is_latest,
    row_hash,
    run_id
from intervals
