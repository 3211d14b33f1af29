"""iomodels: the IO Intelligence model catalogue, loaded with dlt into DuckDB or Parquet."""

__version__ = "0.1.0"
