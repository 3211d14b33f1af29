"""Constants: defaults, limits, names, exit codes and the field lists of the API's models.

Imported by the fast commands (query, report): keep it free of heavy imports.
"""

from __future__ import annotations

DEFAULT_BASE_URL = "https://api.intelligence.io.solutions"
MODELS_PATH = "/api/v1/models"
API_KEY_ENV = "IOINTELLIGENCE_API_KEY"
# Where dlt's secrets.toml may hold the key instead: [sources.io_intelligence] api_key = "..."
API_KEY_SECRET_PATH = "sources.io_intelligence.api_key"  # noqa: S105 (a name, not a key)

MAX_PAGE_SIZE = 100  # the spec's maximum for page_size
DEFAULT_PAGE_SIZE = 100
DEFAULT_WORKERS = 4
# Pages a load reads ahead while it sets itself up (store/load_start.py): ~0.3 s of pages at 4-8
# workers and 50 ms per request, at most ~17 MB parsed; once the rows flow, pages are consumed
# as fast as they come and the requests ahead are what keeps the workers busy.
PAGES_AHEAD_AT_START = 48
LOAD_SWITCH_INTERVAL_S = 0.0005  # sys.setswitchinterval during a load (store/load_start.py)
MAX_WORKERS = 32
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_RETRIES = 5  # attempts after the first one
DEFAULT_BACKOFF_S = 0.5  # first retry delay; doubles each time, with jitter
MAX_BACKOFF_S = 30.0
DEFAULT_RETRY_BUDGET_S = 120.0  # total time one request may spend retrying
PAGINATION_ATTEMPTS = 3  # full re-paginations when the catalogue shifts under us
DEFAULT_LOCK_WAIT_S = 30.0

# The report's "typical workload" (input tokens with the cached ones, output, cached input):
# a month of a busy chat assistant, three input tokens or more for every output token.
TYPICAL_WORKLOAD = ("10M", "2M", "0")
COST_CHART_TOP = 15  # models in the HTML report's workload cost chart

DATASET = "io_intelligence"
DUCKDB_FILE = "io_models.duckdb"
PARQUET_DIR = "parquet"
PARQUET_VIEWS_FILE = "io_models_parquet.duckdb"  # views over the Parquet files, for BI tools
STAGING_DIR = ".staging"
DLT_DIR = ".dlt"
LOCK_FILE = ".iomodels.lock"
DLT_LOG_FILE = "dlt.log"  # under DLT_DIR: dlt's own log, kept off the terminal
# Published DuckDB files are written in this storage format so that DuckDB 1.2 and later
# (the 1.x CLI, BI drivers that lag DuckDB's releases) can open them; 2.0's own is unreadable
# to 1.x. README states it as the minimum reader version.
READER_STORAGE_VERSION = "v1.2.0"
# Postgres: credentials the dlt way; dlt loads into a schema of its own, which one transaction
# publishes into DATASET; one load at a time per database (a session advisory lock).
POSTGRES_CREDENTIALS_ENV = "DESTINATION__POSTGRES__CREDENTIALS"
POSTGRES_INCOMING = "io_intelligence_incoming"
POSTGRES_LOCK_KEY = 0x696F6D6F64656C73  # "iomodels"

# Exit codes (DESIGN.md)
EXIT_OK = 0
EXIT_USAGE = 2
EXIT_API = 3
EXIT_GATE = 4
EXIT_BUSY = 75

# The two response shapes of GET /api/v1/models (README, "What the live endpoint returns").
DOCUMENTED_SHAPE = "documented"  # the spec's data + pagination, prices as text per million
LIVE_SHAPE = "live"  # an OpenAI/vLLM list, prices as numbers per token, daily performance
TOKENS_PER_PRICE_UNIT = 1_000_000  # prices are kept in USD per million tokens
PRICE_SIGNIFICANT_DIGITS = 9  # a per-token float carries ~16; 9 drop the noise, keep any price

# Display names of the organisations that publish models, by the org prefix of a model id
# (`meta-llama/Llama-3.3-70B-Instruct`). One table for both shapes: it names the developer when
# the live list's `owned_by` names only the serving stack. An unknown prefix is used as is.
DEVELOPER_NAMES = {
    "meta-llama": "Meta",
    "mistralai": "Mistral AI",
    "zai-org": "Zhipu AI",
    "THUDM": "Zhipu AI",
    "deepseek-ai": "DeepSeek",
    "Qwen": "Qwen",
    "openai": "OpenAI",
    "moonshotai": "Moonshot AI",
    "BAAI": "BAAI",
    "hexgrad": "Hexgrad",
    "swiss-ai": "Swiss AI",
    "google": "Google",
    "microsoft": "Microsoft",
    "ibm-granite": "IBM",
    "nvidia": "NVIDIA",
    "intfloat": "intfloat",
    "LLM360": "LLM360",
    "CohereForAI": "Cohere",
}
# `owned_by` values that name a serving stack, not a developer (vLLM's default is "vllm").
SERVING_STACKS = frozenset(("vllm", "sglang", "tgi", "system", "io-intelligence", "io.net"))

# A per-million-token price below this is almost surely a per-token price sent by mistake.
IMPLAUSIBLE_PRICE_BELOW = "0.001"

QUOTA_FIELDS = (
    "chat_daily_quota_tier_1",
    "api_completions_daily_quota_tier_1",
    "embeddings_daily_quota_tier_1",
    "audio_transcriptions_daily_quota_tier_1",
    "audio_speech_daily_quota_tier_1",
)
PRICE_FIELDS = (
    "input_token_price",
    "output_token_price",
    "cache_write_token_price",
    "cache_read_token_price",
)
FLAG_FIELDS = (
    "enable_api_chat_completions",
    "enable_api_embeddings",
    "enable_audio_stt",
    "enable_audio_tts",
    "enable_chat_ui",
    "supports_images_input",
    "supports_prompt_cache",
)
INT_METADATA_FIELDS = ("trendiness", "max_tokens", "context_window")
TEXT_METADATA_FIELDS = (
    "image_url",
    "version",
    "developer",
    "short_description",
    "license",
    "tool_support",
    "precision",
)
STATUSES = ("active", "inactive")

# Fields whose change alone does not make a new version: updated_at moves on internal edits
# nobody sees, and trendiness is a popularity score that drifts daily. Versioning on them
# would make history grow with runs instead of with changes (README, "History").
VOLATILE_FIELDS = ("updated_at", "trendiness")

# Columns of analytics.models that analytics.model_changes does not track (every other column
# has a line in sql/marts/model_changes.sql; tests/test_model_changes.py keeps the two in step):
# the identity, values derived from others, bookkeeping, and the volatile fields.
UNTRACKED_COLUMNS = (
    "model_id",
    "is_active",  # status and presence; status is tracked, presence is an event
    "valid_from",
    "first_seen_at",
    "last_seen_at",
    "source_shape",  # which response shape a version came from: a switch is no change
    "prices_as_sent",  # the prices as the shape sent them (per token or per million)
    *VOLATILE_FIELDS,
)

# analytics.model_changes' kinds, in the order summaries and listings show them
CHANGE_KINDS = (
    "price",
    "quota",
    "capability",
    "limit",
    "status",
    "added",
    "removed",
    "reappeared",
    "metadata",
)
# Changes: the Atom feed covers this many days unless --since says otherwise.
FEED_DAYS = 30
# Webhooks: each POST may take this long, and is tried this many times in all (5xx, 429,
# timeouts and connection errors are retried, with the load's backoff).
NOTIFY_ENV = "IOMODELS_NOTIFY_URL"
NOTIFY_TIMEOUT_S = 10.0
NOTIFY_ATTEMPTS = 3
# status: a load older than this is stale
DEFAULT_MAX_AGE = "2h"

# What DuckDB may hold in memory while it loads before it writes buffers out to its temporary
# file (see store/targets/duckdb_file.py, DuckDBTarget.duckdb_config); IOMODELS_DUCKDB_MEMORY
DUCKDB_MEMORY_ENV = "IOMODELS_DUCKDB_MEMORY"
DUCKDB_MEMORY_LIMIT = "96MB"

# dlt's load step: parallel jobs (its default) unless a catalogue has more rows than this
DLT_LOAD_WORKERS = 20
LOAD_ONE_JOB_AT_A_TIME = 10_000
# objects a load allocates (net) between young garbage collections (Python's default: 700)
LOAD_GC_YOUNG_OBJECTS = 10_000
