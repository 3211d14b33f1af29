-- one row per changed field of a model between consecutive versions in which it was listed
-- (a removal and its return compare the versions on either side), plus one row per catalogue
-- event (added, removed, reappeared: field and values null). values are text; numbers are
-- shown exactly, without trailing zeros.
-- the tracked fields are the branches of field_changes below: a new column of analytics.models
-- gets one there, and its prev_/cur_ pair in `pairs` (tests/test_model_changes.py fails until
-- it has one, or is listed as untracked in settings.UNTRACKED_COLUMNS). volatile fields
-- (updated_at, trendiness) are never listed.
create or replace view analytics.model_changes as
-- consecutive listed versions of a model, found on two narrow columns (sorting the wide rows
-- took most of the view's time), then each version joined with the one before it
with steps as (
    select
        model_id,
        valid_from,
        lag(valid_from) over (partition by model_id order by valid_from) as previous_from
    from analytics.listed_versions
),

pairs as materialized (
    select
        cur.valid_from as observed_at,
        cur.run_id,
        cur.model_id,
        cur.name,
        prev.input_price as prev_input_price,
        cur.input_price as cur_input_price,
        prev.output_price as prev_output_price,
        cur.output_price as cur_output_price,
        prev.cache_read_price as prev_cache_read_price,
        cur.cache_read_price as cur_cache_read_price,
        prev.cache_write_price as prev_cache_write_price,
        cur.cache_write_price as cur_cache_write_price,
        prev.chat_daily_quota_tier_1 as prev_chat_daily_quota_tier_1,
        cur.chat_daily_quota_tier_1 as cur_chat_daily_quota_tier_1,
        prev.api_completions_daily_quota_tier_1 as prev_api_completions_daily_quota_tier_1,
        cur.api_completions_daily_quota_tier_1 as cur_api_completions_daily_quota_tier_1,
        prev.embeddings_daily_quota_tier_1 as prev_embeddings_daily_quota_tier_1,
        cur.embeddings_daily_quota_tier_1 as cur_embeddings_daily_quota_tier_1,
        prev.audio_transcriptions_daily_quota_tier_1
            as prev_audio_transcriptions_daily_quota_tier_1,
        cur.audio_transcriptions_daily_quota_tier_1
            as cur_audio_transcriptions_daily_quota_tier_1,
        prev.audio_speech_daily_quota_tier_1 as prev_audio_speech_daily_quota_tier_1,
        cur.audio_speech_daily_quota_tier_1 as cur_audio_speech_daily_quota_tier_1,
        prev.status as prev_status,
        cur.status as cur_status,
        prev.enable_api_chat_completions as prev_enable_api_chat_completions,
        cur.enable_api_chat_completions as cur_enable_api_chat_completions,
        prev.enable_api_embeddings as prev_enable_api_embeddings,
        cur.enable_api_embeddings as cur_enable_api_embeddings,
        prev.enable_audio_stt as prev_enable_audio_stt,
        cur.enable_audio_stt as cur_enable_audio_stt,
        prev.enable_audio_tts as prev_enable_audio_tts,
        cur.enable_audio_tts as cur_enable_audio_tts,
        prev.enable_chat_ui as prev_enable_chat_ui,
        cur.enable_chat_ui as cur_enable_chat_ui,
        prev.supports_images_input as prev_supports_images_input,
        cur.supports_images_input as cur_supports_images_input,
        prev.supports_prompt_cache as prev_supports_prompt_cache,
        cur.supports_prompt_cache as cur_supports_prompt_cache,
        prev.supports_attestation as prev_supports_attestation,
        cur.supports_attestation as cur_supports_attestation,
        prev.context_window as prev_context_window,
        cur.context_window as cur_context_window,
        prev.max_model_len as prev_max_model_len,
        cur.max_model_len as cur_max_model_len,
        prev.max_tokens as prev_max_tokens,
        cur.max_tokens as cur_max_tokens,
        prev.name as prev_name,
        cur.name as cur_name,
        prev.description as prev_description,
        cur.description as cur_description,
        prev.developer as prev_developer,
        cur.developer as cur_developer,
        prev.short_description as prev_short_description,
        cur.short_description as cur_short_description,
        prev.version as prev_version,
        cur.version as cur_version,
        prev."precision" as prev_precision,
        cur."precision" as cur_precision,
        prev.license as prev_license,
        cur.license as cur_license,
        prev.tool_support as prev_tool_support,
        cur.tool_support as cur_tool_support,
        prev.image_url as prev_image_url,
        cur.image_url as cur_image_url,
        prev.tags as prev_tags,
        cur.tags as cur_tags,
        prev.extra_fields as prev_extra_fields,
        cur.extra_fields as cur_extra_fields,
        prev.created_at as prev_created_at,
        cur.created_at as cur_created_at,
        prev.source_shape as prev_source_shape,
        cur.source_shape as cur_source_shape
    from steps
    inner join analytics.listed_versions as cur
        on cur.model_id = steps.model_id and cur.valid_from = steps.valid_from
    inner join analytics.listed_versions as prev
        on prev.model_id = steps.model_id and prev.valid_from = steps.previous_from
    where steps.previous_from is not null
),

-- one branch per tracked field (a union of scans of `pairs`: a lateral values list over the
-- pairs' wide rows was several times slower on DuckDB). numbers go in old_number/new_number
-- (typed, for the relative change), the rest as text
field_changes (
    observed_at, run_id, model_id, name, kind, field, old_text, new_text, old_number, new_number
) as (
    select observed_at, run_id, model_id, name, 'price', 'input_price',
        null, null, prev_input_price, cur_input_price from pairs
    union all
    select observed_at, run_id, model_id, name, 'price', 'output_price',
        null, null, prev_output_price, cur_output_price from pairs
    union all
    select observed_at, run_id, model_id, name, 'price', 'cache_read_price',
        null, null, prev_cache_read_price, cur_cache_read_price from pairs
    union all
    select observed_at, run_id, model_id, name, 'price', 'cache_write_price',
        null, null, prev_cache_write_price, cur_cache_write_price from pairs
    union all
    select observed_at, run_id, model_id, name, 'quota', 'chat_daily_quota_tier_1',
        null, null, prev_chat_daily_quota_tier_1, cur_chat_daily_quota_tier_1 from pairs
    union all
    select observed_at, run_id, model_id, name, 'quota', 'api_completions_daily_quota_tier_1',
        null, null,
        prev_api_completions_daily_quota_tier_1,
        cur_api_completions_daily_quota_tier_1
    from pairs
    union all
    select observed_at, run_id, model_id, name, 'quota', 'embeddings_daily_quota_tier_1',
        null, null,
        prev_embeddings_daily_quota_tier_1,
        cur_embeddings_daily_quota_tier_1
    from pairs
    union all
    select observed_at, run_id, model_id, name, 'quota', 'audio_transcriptions_daily_quota_tier_1',
        null, null,
        prev_audio_transcriptions_daily_quota_tier_1,
        cur_audio_transcriptions_daily_quota_tier_1
    from pairs
    union all
    select observed_at, run_id, model_id, name, 'quota', 'audio_speech_daily_quota_tier_1',
        null, null,
        prev_audio_speech_daily_quota_tier_1,
        cur_audio_speech_daily_quota_tier_1
    from pairs
    union all
    select observed_at, run_id, model_id, name, 'status', 'status',
        prev_status, cur_status, null, null from pairs
    union all
    select observed_at, run_id, model_id, name, 'capability', 'enable_api_chat_completions',
        cast(prev_enable_api_chat_completions as varchar),
        cast(cur_enable_api_chat_completions as varchar),
        null, null
    from pairs
    union all
    select observed_at, run_id, model_id, name, 'capability', 'enable_api_embeddings',
        cast(prev_enable_api_embeddings as varchar),
        cast(cur_enable_api_embeddings as varchar),
        null, null
    from pairs
    union all
    select observed_at, run_id, model_id, name, 'capability', 'enable_audio_stt',
        cast(prev_enable_audio_stt as varchar),
        cast(cur_enable_audio_stt as varchar),
        null, null
    from pairs
    union all
    select observed_at, run_id, model_id, name, 'capability', 'enable_audio_tts',
        cast(prev_enable_audio_tts as varchar),
        cast(cur_enable_audio_tts as varchar),
        null, null
    from pairs
    union all
    select observed_at, run_id, model_id, name, 'capability', 'enable_chat_ui',
        cast(prev_enable_chat_ui as varchar),
        cast(cur_enable_chat_ui as varchar),
        null, null
    from pairs
    union all
    select observed_at, run_id, model_id, name, 'capability', 'supports_images_input',
        cast(prev_supports_images_input as varchar),
        cast(cur_supports_images_input as varchar),
        null, null
    from pairs
    union all
    select observed_at, run_id, model_id, name, 'capability', 'supports_prompt_cache',
        cast(prev_supports_prompt_cache as varchar),
        cast(cur_supports_prompt_cache as varchar),
        null, null
    from pairs
    union all
    select observed_at, run_id, model_id, name, 'capability', 'supports_attestation',
        cast(prev_supports_attestation as varchar),
        cast(cur_supports_attestation as varchar),
        null, null
    from pairs
    union all
    select observed_at, run_id, model_id, name, 'limit', 'context_window',
        null, null, prev_context_window, cur_context_window from pairs
    union all
    select observed_at, run_id, model_id, name, 'limit', 'max_model_len',
        null, null, prev_max_model_len, cur_max_model_len from pairs
    union all
    select observed_at, run_id, model_id, name, 'limit', 'max_tokens',
        null, null, prev_max_tokens, cur_max_tokens from pairs
    union all
    select observed_at, run_id, model_id, name, 'metadata', 'name',
        prev_name, cur_name, null, null from pairs
    union all
    select observed_at, run_id, model_id, name, 'metadata', 'description',
        prev_description, cur_description, null, null from pairs
    union all
    select observed_at, run_id, model_id, name, 'metadata', 'developer',
        prev_developer, cur_developer, null, null from pairs
    union all
    select observed_at, run_id, model_id, name, 'metadata', 'short_description',
        prev_short_description, cur_short_description, null, null from pairs
    union all
    select observed_at, run_id, model_id, name, 'metadata', 'version',
        prev_version, cur_version, null, null from pairs
    union all
    select observed_at, run_id, model_id, name, 'metadata', 'precision',
        prev_precision, cur_precision, null, null from pairs
    union all
    select observed_at, run_id, model_id, name, 'metadata', 'license',
        prev_license, cur_license, null, null from pairs
    union all
    select observed_at, run_id, model_id, name, 'metadata', 'tool_support',
        prev_tool_support, cur_tool_support, null, null from pairs
    union all
    select observed_at, run_id, model_id, name, 'metadata', 'image_url',
        prev_image_url, cur_image_url, null, null from pairs
    union all
    select observed_at, run_id, model_id, name, 'metadata', 'tags',
        prev_tags, cur_tags, null, null from pairs
    union all
    select observed_at, run_id, model_id, name, 'metadata', 'extra_fields',
        prev_extra_fields, cur_extra_fields, null, null from pairs
    union all
    select observed_at, run_id, model_id, name, 'metadata', 'created_at',
        cast(prev_created_at as varchar), cast(cur_created_at as varchar), null, null from pairs
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

-- what each response shape does not carry (transform/live_shape.py; checked against it by
-- tests/test_shape_switch_changes.py). across a switch of shape, such a field going from null
-- (never known) to a value was learned, not changed; extra_fields hold each shape's own keys
shape_lacks (shape, field) as (
    values
        ('documented', 'max_model_len'),
        ('documented', 'supports_attestation'),
        ('live', 'description'),
        ('live', 'status'),
        ('live', 'chat_daily_quota_tier_1'),
        ('live', 'api_completions_daily_quota_tier_1'),
        ('live', 'embeddings_daily_quota_tier_1'),
        ('live', 'audio_transcriptions_daily_quota_tier_1'),
        ('live', 'audio_speech_daily_quota_tier_1'),
        ('live', 'image_url'),
        ('live', 'version'),
        ('live', 'short_description'),
        ('live', 'enable_api_chat_completions'),
        ('live', 'enable_api_embeddings'),
        ('live', 'enable_audio_stt'),
        ('live', 'enable_audio_tts'),
        ('live', 'enable_chat_ui'),
        ('live', 'license'),
        ('live', 'tool_support'),
        ('live', 'tags')
),

learned as (
    select pairs.model_id, pairs.observed_at, shape_lacks.field
    from pairs
    inner join shape_lacks on shape_lacks.shape = pairs.prev_source_shape
    where pairs.prev_source_shape <> pairs.cur_source_shape
    union all
    select model_id, observed_at, 'extra_fields' as field
    from pairs
    where prev_source_shape <> cur_source_shape
),

changed as (
    select
        as_text.observed_at, as_text.run_id, as_text.model_id, as_text.name, as_text.kind,
        as_text.field, as_text.old_value, as_text.new_value, as_text.relative_change
    from as_text
    left join learned
        on learned.model_id = as_text.model_id
        and learned.observed_at = as_text.observed_at
        and learned.field = as_text.field
    where as_text.old_value is distinct from as_text.new_value
        and (
            learned.field is null
            or (as_text.old_value is not null and as_text.field <> 'extra_fields')
        )
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
from changed
union all
select
    observed_at, run_id, model_id, name, kind, field, old_value, new_value, relative_change
from events
