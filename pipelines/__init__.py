"""iomodels: the IO Intelligence model catalogue, loaded with dlt into DuckDB, Parquet or
PostgreSQL."""

__version__ = "0.1.0"
