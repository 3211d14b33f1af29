"""The benchmark report's preamble: the machine, what each contender is, how it is measured."""

from __future__ import annotations

from typing import Any

from contenders import IOMODELS_WIDE, IOMODELS_WORKERS, WIDE_WORKERS
from plan import Results


def _machine_line(m: dict[str, Any]) -> str:
    return (
        f"{m['date']} · {m['nproc']} CPUs ({m['cpu']}), {m['memory_gib']} GiB RAM · "
        f"Linux {m['kernel']} · Python {m['python']} · dlt {m['dlt']} · duckdb {m['duckdb']} · "
        f"pyarrow {m['pyarrow']} · requests {m['requests']} · load average (1 min) "
        f"{m['load_average_start']} at start, {m['load_average_end']} at end"
    )


def _contenders_paragraph() -> str:
    return (
        "Contenders, each in its own process against the same local replica: **iomodels** "
        f"(`iomodels load --json`, DuckDB, {IOMODELS_WORKERS} workers, its default); "
        f"**{IOMODELS_WIDE}** (the same with `--workers {WIDE_WORKERS}`, in (b) only); "
        "**rest_api** (dlt's generic `rest_api` source, page-number paginator, page_size 100, "
        "Parquet load files, DuckDB); **naive** (a sequential `requests.get` loop to JSONL, "
        "then DuckDB `read_json`). "
        f"Both iomodels rows are shown because the default of {IOMODELS_WORKERS} concurrent "
        "requests is deliberately polite to the real API, while `--workers` is the user's knob "
        "for going faster; (b)'s speed targets are checked for each, against the latency bound "
        "of its own worker count, and its memory targets for the default row. "
        "Wall time is the whole process, start-up included; peak RSS is the "
        "process's own (`wait4` ru_maxrss). Rows are counted in each contender's DuckDB file "
        "and must equal the catalogue's size, else the run is FAILED. *vs iomodels* = wall ÷ "
        f"the default iomodels' ({IOMODELS_WORKERS} workers) wall in the same scenario (> 1: "
        "iomodels is faster; the re-run compares with the first run). *fetch floor* is a "
        f"reference, not a contender: {IOMODELS_WORKERS} threads ({WIDE_WORKERS} for *fetch "
        f"floor ({WIDE_WORKERS} threads)*, the reference of the {WIDE_WORKERS}-worker row) that "
        "only GET and parse every page (urllib3 and orjson, the cheapest client at hand), "
        "storing nothing; the best any loader with that many "
        "concurrent requests can do on this machine against this server, whose own work per "
        "page shares the same CPUs. Before a synthetic catalogue's scenarios, every page is "
        "read once, unmeasured: the replica keeps each generated row's JSON text once served, "
        "as a real server has its catalogue at hand, so no contender pays for generating rows "
        "and their order does not matter. *import dlt* is a reference too, in (a) only: "
        '`python -c "import dlt"`, the start-up any dlt loader pays, run in the same rounds as '
        "the real-size loads; so is the *dlt floor* (`bench/dlt_floor.py`): one GET of the "
        "page, then one bare `pipeline.run` of its rows into DuckDB, what any dlt loader pays "
        "beyond the import. *CPU s* is the process's own user + system time (`wait4` "
        "rusage), start-up included, and *CPU s / 1k rows* the same per 1,000 rows loaded: "
        "the figures a busy machine distorts least; *machine busy %* is the whole machine's "
        "CPU use during the run (the contender, the replica and anything else running), a "
        "sign of contention."
    )


def _sources_line(results: Results, m: dict[str, Any]) -> str:
    changed = (
        ""
        if m["iomodels_sources_end"] == m["iomodels_sources"]
        else f", **changed during the run** to `{m['iomodels_sources_end']}`: the runs "
        "measured different versions of iomodels"
    )
    return (
        f"Byte-code cache: {results.bytecode}. iomodels sources (sha256 of pipelines/ and sql/): "
        f"`{m['iomodels_sources']}`{changed}."
    )


def preamble(results: Results, machine: dict[str, Any]) -> list[str]:
    """The lines before the results table."""
    return [
        "# iomodels benchmark",
        "",
        _machine_line(machine),
        "",
        _contenders_paragraph(),
        "",
        _sources_line(results, machine),
        "",
    ]
