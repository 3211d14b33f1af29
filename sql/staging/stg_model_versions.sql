-- every recorded version of every model, as the loads wrote it, with its prices typed.
-- the only reader of io_intelligence.model_versions: a version is written only when something
-- changed (added, changed, removed, reappeared).
create or replace view analytics_staging.stg_model_versions as
select
    model_id,
    name,
    description,
    status,
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
    -- the live shape's own fields (null until a live-shape load saw the model)
    supports_attestation,
    max_model_len,
    -- usd per million tokens
    analytics_staging.price_decimal(input_token_price) as input_price,
    analytics_staging.price_decimal(output_token_price) as output_price,
    analytics_staging.price_decimal(cache_read_token_price) as cache_read_price,
    analytics_staging.price_decimal(cache_write_token_price) as cache_write_price,
    tags,
    extra_fields,
    -- which response shape the values came from, and the prices exactly as it sent them
    source_shape,
    prices_as_sent,
    created_at,
    updated_at,
    change,
    is_present,
    row_hash,
    observed_at,
    run_id
from io_intelligence.model_versions
