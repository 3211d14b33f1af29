"""What keeps a data dir the same size after a year of hourly loads, and dlt off the terminal.

dlt keeps every completed load package (its files, schema and state, ~15 files a load) under
`.dlt/<pipeline>/load/loaded`; nothing here reads them again once a load is published, so they
go after a successful publish. A failed load's packages are left for its explanation (and the
next load drops them). dlt's own log goes to a small rotating file under `.dlt`.
"""

from __future__ import annotations

import logging
import logging.handlers
import shutil
from pathlib import Path

from pipelines.settings import DLT_LOG_FILE

DLT_LOGGER = "dlt"
DLT_LOG_BYTES = 1_000_000  # one file this size plus one rotated: bounded


def prune_completed_packages(working_dir: str | Path) -> int:
    """Delete the load packages dlt completed; returns how many went."""
    loaded = Path(working_dir) / "load" / "loaded"
    removed = 0
    for package in sorted(loaded.glob("*")) if loaded.is_dir() else []:
        shutil.rmtree(package, ignore_errors=True)
        removed += 1
    return removed


def dlt_log_to_file(dlt_dir: Path) -> None:
    """Point dlt's logger at `dlt_dir/dlt.log` instead of stderr.

    dlt reuses the first handler it finds on its logger when it sets logging up, so a file
    handler placed there first keeps dlt's warnings and tracebacks out of a user's terminal
    and cron mail (our own one-line errors say what failed).
    """
    logger = logging.getLogger(DLT_LOGGER)
    for handler in logger.handlers[:]:
        logger.removeHandler(handler)
        handler.close()
    dlt_dir.mkdir(parents=True, exist_ok=True)
    logger.addHandler(
        logging.handlers.RotatingFileHandler(
            dlt_dir / DLT_LOG_FILE, maxBytes=DLT_LOG_BYTES, backupCount=1, encoding="utf-8"
        )
    )
    logger.propagate = False
