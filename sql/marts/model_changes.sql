-- one row per changed field of a model between consecutive versions in which it was listed
-- (a removal and its return compare the versions on either side), plus one row per catalogue
-- event (added, removed, reappeared: field and values null). values are text; numbers are
-- shown exactly, without trailing zeros.
-- the tracked fields are the `values` list below: a new column of analytics.models gets one
-- line there (tests/test_model_changes.py fails until it has one, or is listed as untracked in
-- settings.UNTRACKED_COLUMNS). volatile fields (updated_at, trendiness) are never listed.
create or replace view analytics.model_changes as
with listed as (
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
        created_at,
        valid_from,
        run_id,
        row_number() over (partition by model_id order by valid_from) as version_number
    from analytics.listed_versions
),

-- numbers go in old_number/new_number (typed, for the relative change), the rest as text
field_changes as (
    select
        cur.valid_from as observed_at,
        cur.run_id,
        cur.model_id,
        cur.name,
        f.kind,
        f.field,
        f.old_text,
        f.new_text,
        f.old_number,
        f.new_number
    from listed as cur
    inner join listed as prev
        on prev.model_id = cur.model_id and prev.version_number = cur.version_number - 1
    cross join lateral (values
        ('price', 'input_price', null, null, prev.input_price, cur.input_price),
        ('price', 'output_price', null, null, prev.output_price, cur.output_price),
        ('price', 'cache_read_price', null, null, prev.cache_read_price, cur.cache_read_price),
        ('price', 'cache_write_price', null, null, prev.cache_write_price, cur.cache_write_price),
        ('quota', 'chat_daily_quota_tier_1', null, null,
            prev.chat_daily_quota_tier_1, cur.chat_daily_quota_tier_1),
        ('quota', 'api_completions_daily_quota_tier_1', null, null,
            prev.api_completions_daily_quota_tier_1, cur.api_completions_daily_quota_tier_1),
        ('quota', 'embeddings_daily_quota_tier_1', null, null,
            prev.embeddings_daily_quota_tier_1, cur.embeddings_daily_quota_tier_1),
        ('quota', 'audio_transcriptions_daily_quota_tier_1', null, null,
            prev.audio_transcriptions_daily_quota_tier_1,
            cur.audio_transcriptions_daily_quota_tier_1),
        ('quota', 'audio_speech_daily_quota_tier_1', null, null,
            prev.audio_speech_daily_quota_tier_1, cur.audio_speech_daily_quota_tier_1),
        ('status', 'status', prev.status, cur.status, null, null),
        ('capability', 'enable_api_chat_completions',
            cast(prev.enable_api_chat_completions as varchar),
            cast(cur.enable_api_chat_completions as varchar), null, null),
        ('capability', 'enable_api_embeddings', cast(prev.enable_api_embeddings as varchar),
            cast(cur.enable_api_embeddings as varchar), null, null),
        ('capability', 'enable_audio_stt', cast(prev.enable_audio_stt as varchar),
            cast(cur.enable_audio_stt as varchar), null, null),
        ('capability', 'enable_audio_tts', cast(prev.enable_audio_tts as varchar),
            cast(cur.enable_audio_tts as varchar), null, null),
        ('capability', 'enable_chat_ui', cast(prev.enable_chat_ui as varchar),
            cast(cur.enable_chat_ui as varchar), null, null),
        ('capability', 'supports_images_input', cast(prev.supports_images_input as varchar),
            cast(cur.supports_images_input as varchar), null, null),
        ('capability', 'supports_prompt_cache', cast(prev.supports_prompt_cache as varchar),
            cast(cur.supports_prompt_cache as varchar), null, null),
        ('capability', 'supports_attestation', cast(prev.supports_attestation as varchar),
            cast(cur.supports_attestation as varchar), null, null),
        ('limit', 'context_window', null, null, prev.context_window, cur.context_window),
        ('limit', 'max_model_len', null, null, prev.max_model_len, cur.max_model_len),
        ('limit', 'max_tokens', null, null, prev.max_tokens, cur.max_tokens),
        ('metadata', 'name', prev.name, cur.name, null, null),
        ('metadata', 'description', prev.description, cur.description, null, null),
        ('metadata', 'developer', prev.developer, cur.developer, null, null),
        ('metadata', 'short_description', prev.short_description, cur.short_description,
            null, null),
        ('metadata', 'version', prev.version, cur.version, null, null),
        ('metadata', 'precision', prev."precision", cur."precision", null, null),
        ('metadata', 'license', prev.license, cur.license, null, null),
        ('metadata', 'tool_support', prev.tool_support, cur.tool_support, null, null),
        ('metadata', 'image_url', prev.image_url, cur.image_url, null, null),
        ('metadata', 'tags', prev.tags, cur.tags, null, null),
        ('metadata', 'extra_fields', prev.extra_fields, cur.extra_fields, null, null),
        ('metadata', 'created_at', cast(prev.created_at as varchar),
            cast(cur.created_at as varchar), null, null)
    ) as f (kind, field, old_text, new_text, old_number, new_number)
),

as_text as (
    select
        observed_at,
        run_id,
        model_id,
        name,
        kind,
        field,
        coalesce(
            old_text,
            case
                when old_number = 0 then '0'
                else rtrim(rtrim(cast(cast(old_number as decimal(38, 10)) as varchar), '0'), '.')
            end
        ) as old_value,
        coalesce(
            new_text,
            case
                when new_number = 0 then '0'
                else rtrim(rtrim(cast(cast(new_number as decimal(38, 10)) as varchar), '0'), '.')
            end
        ) as new_value,
        -- a fraction rounded in decimal arithmetic, a double on both engines (as price_changes)
        case
            when old_number > 0 then cast(round(
                cast((new_number - old_number) / old_number as decimal(38, 10)), 6
            ) as double precision)
        end as relative_change
    from field_changes
),

events as (
    select
        valid_from as observed_at,
        run_id,
        model_id,
        name,
        change as kind,
        cast(null as varchar) as field,
        cast(null as varchar) as old_value,
        cast(null as varchar) as new_value,
        cast(null as double precision) as relative_change
    from analytics.model_history
    where change in ('added', 'removed', 'reappeared')
)

select
    observed_at, run_id, model_id, name, kind, field, old_value, new_value, relative_change
from as_text
where old_value is distinct from new_value
union all
select
    observed_at, run_id, model_id, name, kind, field, old_value, new_value, relative_change
from events
