"""`make demo`: the replica on a free port, two loads with a catalogue change between, a load
of the same catalogue in the live endpoint's shape, the report.

Runs the real commands a user would run, and leaves the data in data/demo for exploring.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pipelines.replica

DATA_DIR = Path("data/demo")
BUNDLED = Path(pipelines.replica.__file__).parent
IOMODELS = [sys.executable, "-m", "pipelines"]


def step(title: str) -> None:
    print(f"\n\033[1m== {title}\033[0m", flush=True)


def iomodels(*args: str) -> None:
    """Run a command, printed exactly as run (`--data-dir` included), so that it can be copied."""
    full = [*args, "--data-dir", str(DATA_DIR)]
    print("$ iomodels " + shlex.join(full), flush=True)
    subprocess.run([*IOMODELS, *full], check=True)


def live_shape(catalogue: Path) -> None:
    """The same catalogue from a replica answering as the live endpoint does."""
    live = subprocess.Popen(
        [*IOMODELS, "replica", "--port", "0", "--catalogue", str(catalogue), "--live-shape"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert live.stdout is not None
        url = live.stdout.readline().strip().removeprefix("replica listening on ")
        step(
            "5. the live endpoint's shape (an OpenAI/vLLM list, prices in USD per token as "
            f"floats, daily latency) at {url}: the same prices, nothing invented"
        )
        iomodels("load", "--base-url", url)
        iomodels(
            "query",
            "select response_shape, key_scope, versions_written, models_changed, "
            "models_removed, message from analytics.load_runs",
        )
        iomodels(
            "query",
            "select count(*) as price_changes_seen_by_the_live_load from analytics.price_changes "
            "where observed_at >= (select max(started_at) from analytics.load_runs)",
        )
        iomodels(
            "query",
            "select name, avg_latency_ms_per_day, avg_throughput_per_day, blended_price "
            "from analytics.model_speed order by avg_latency_ms_per_day limit 5",
        )
    finally:
        live.terminate()
        live.wait(timeout=10)


def main() -> int:
    shutil.rmtree(DATA_DIR, ignore_errors=True)  # the demo starts from nothing every time
    DATA_DIR.mkdir(parents=True)
    catalogue = DATA_DIR / "replica-catalogue.json"
    shutil.copyfile(BUNDLED / "catalogue.json", catalogue)
    replica = subprocess.Popen(
        [*IOMODELS, "replica", "--port", "0", "--catalogue", str(catalogue)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert replica.stdout is not None
        line = replica.stdout.readline().strip()
        if not line.startswith("replica listening on "):
            print(f"demo: the replica did not start ({line!r})", file=sys.stderr)
            return 1
        url = line.removeprefix("replica listening on ")
        step(f"1. the replica of the IO Intelligence API serves its catalogue at {url}")
        iomodels("load", "--base-url", url)
        step("2. the catalogue changes: two prices, one model retired, one removed, one new")
        changed = DATA_DIR / "replica-catalogue.json.tmp"
        shutil.copyfile(BUNDLED / "catalogue_next.json", changed)
        os.replace(changed, catalogue)  # the replica re-reads its file when it changes
        iomodels("load", "--base-url", url)
        step("3. the report")
        iomodels("report")
        step("4. what changed")
        iomodels(
            "query",
            "select name, price, old_price, new_price, relative_change "
            "from analytics.price_changes order by name, price",
        )
        iomodels(
            "query",
            "select name, change, old_status, new_status "
            "from analytics.catalog_changes where observed_at > "
            "(select min(observed_at) from analytics.catalog_changes) order by name",
        )
        live_shape(catalogue)
        step("6. the HTML report (with the live shape's price vs latency chart)")
        iomodels("report", "--html", str(DATA_DIR / "report.html"))
        print(
            f"\nOpen {DATA_DIR / 'report.html'} in a browser (it works offline)."
            f"\nThe data is in {DATA_DIR}/io_models.duckdb; explore it with\n"
            f"  .venv/bin/iomodels query --data-dir {DATA_DIR} "
            '"select * from analytics.models"'
        )
    finally:
        replica.terminate()
        replica.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
