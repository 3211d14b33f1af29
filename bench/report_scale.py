"""The reports at 5,000 and 50,000 models: build time, peak RSS and the HTML file's size.

For each size: the realistic synthetic catalogue (pipelines/replica/synthetic.py) is loaded,
then changed (5% of models re-priced, 1% removed, 1% added) and loaded again, so the report has
price changes, history and catalogue events to draw; then `iomodels report --html`, the
terminal report and `--json` are measured, each in its own process, the fastest of REPEAT runs.

    .venv/bin/python bench/report_scale.py            # 5,000 and 50,000 models
    .venv/bin/python bench/report_scale.py 2000       # other sizes
    .venv/bin/python bench/report_scale.py --keep DIR # load into DIR once, then reuse it
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from measure import ROOT, Measured, child_env, measure, python

SIZES = (5_000, 50_000)
TARGET_S = 2.0  # the bound on building each report
REPEAT = 3  # runs of each report; the fastest counts
LISTENING = "replica listening on "


@dataclass
class ReportRun:
    models: int
    html: Measured
    terminal: Measured
    json: Measured
    html_bytes: int

    @property
    def ok(self) -> bool:
        return self.html.ok and self.terminal.ok and self.json.ok

    @property
    def fast(self) -> bool:
        return self.ok and max(m.wall_s for m in (self.html, self.terminal, self.json)) <= TARGET_S

    def as_dict(self) -> dict[str, Any]:
        return {
            "models": self.models,
            "html_s": round(self.html.wall_s, 3),
            "html_peak_rss_mib": round(self.html.peak_rss_mib, 1),
            "html_bytes": self.html_bytes,
            "terminal_s": round(self.terminal.wall_s, 3),
            "terminal_peak_rss_mib": round(self.terminal.peak_rss_mib, 1),
            "json_s": round(self.json.wall_s, 3),
            "json_peak_rss_mib": round(self.json.peak_rss_mib, 1),
            "ok": self.ok,
        }


def catalogue(models: int) -> list[dict[str, Any]]:
    sys.path.insert(0, str(ROOT))
    from pipelines.replica.synthetic import SyntheticCatalogue

    generated = SyntheticCatalogue(models + models // 100)
    return [generated.model(i) for i in range(models)]


def changed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """5% re-priced, 1% removed, 1% added (the next indexes of the same generator)."""
    from pipelines.replica.synthetic import SyntheticCatalogue

    step = 100
    kept = [r for i, r in enumerate(rows) if i % step != 7]
    for i, row in enumerate(kept):
        if i % 20 == 3:
            meta = row["metadata"]
            meta["input_token_price"] = f"{float(meta['input_token_price']) * 0.8 + 0.01:.2f}"
    extra = SyntheticCatalogue(len(rows) + len(rows) // step)
    return kept + [extra.model(i) for i in range(len(rows), len(rows) + len(rows) // step)]


@contextlib.contextmanager
def replica(path: Path) -> Iterator[str]:
    argv = [python(), "-m", "pipelines.replica", "--port", "0", "--catalogue", str(path)]
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith(LISTENING):
            raise RuntimeError(f"the replica did not start: {line!r}")
        yield line.removeprefix(LISTENING).strip()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def write(path: Path, rows: list[dict[str, Any]]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(rows))
    os.replace(tmp, path)  # the replica re-reads its file when it changes


def iomodels(*args: str) -> list[str]:
    return [python(), "-m", "pipelines", *args]


def run_size(models: int, work: Path) -> ReportRun:
    data_dir, served = work / f"data-{models}", work / f"catalogue-{models}.json"
    if not (data_dir / "report.html").exists():  # a kept dir holds a finished load
        load_twice(models, data_dir, served)
    return measure_reports(models, data_dir)


def load_twice(models: int, data_dir: Path, served: Path) -> None:
    rows = catalogue(models)
    write(served, rows)
    with replica(served) as url:
        for attempt in range(2):
            if attempt:
                write(served, changed(rows))
            load = measure(
                iomodels("load", "--base-url", url, "--data-dir", str(data_dir)), env=child_env()
            )
            if not load.ok:
                raise RuntimeError(f"the load of {models:,} models failed: {load.stderr[-300:]}")


def best(argv: list[str], repeat: int = REPEAT) -> Measured:
    """The fastest of `repeat` runs (the machine may be shared: the others waited for a CPU)."""
    runs = [measure(argv, env=child_env()) for _ in range(repeat)]
    return min(runs, key=lambda m: (not m.ok, m.wall_s))


def measure_reports(models: int, data_dir: Path) -> ReportRun:
    html = data_dir / "report.html"
    built = best(iomodels("report", "--data-dir", str(data_dir), "--html", str(html)))
    terminal = best(iomodels("report", "--data-dir", str(data_dir)))
    as_json = best(iomodels("report", "--data-dir", str(data_dir), "--json"))
    size = html.stat().st_size if html.exists() else 0
    return ReportRun(models, built, terminal, as_json, size)


def markdown(runs: list[ReportRun]) -> str:
    lines = [
        "### The report at scale",
        "",
        "The realistic synthetic catalogue, loaded twice (5% re-priced, 1% removed, 1% added "
        f"between); each report built in its own process, the fastest of {REPEAT} runs. "
        f"Target: each in ≤ {TARGET_S:g} s.",
        "",
        "| models | HTML report | peak RSS | HTML size | terminal report | peak RSS "
        "| JSON report | peak RSS | target |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for r in runs:
        lines.append(
            f"| {r.models:,} | {r.html.wall_s:.2f} s | {r.html.peak_rss_mib:.0f} MiB | "
            f"{r.html_bytes / 1024:.0f} KiB | {r.terminal.wall_s:.2f} s | "
            f"{r.terminal.peak_rss_mib:.0f} MiB | {r.json.wall_s:.2f} s | "
            f"{r.json.peak_rss_mib:.0f} MiB | {'yes' if r.fast else 'NO'} |"
        )
    return "\n".join(lines) + "\n"


def run_all(work: Path, sizes: tuple[int, ...] = SIZES) -> list[ReportRun]:
    runs = []
    for models in sizes:
        print(f"report at {models:,} models ...", file=sys.stderr, flush=True)
        runs.append(run_size(models, work))
    return runs


def main(argv: list[str]) -> int:
    keep = None
    if "--keep" in argv:
        at = argv.index("--keep")
        keep, argv = Path(argv[at + 1]), argv[:at] + argv[at + 2 :]
    sizes = tuple(int(a) for a in argv) or SIZES
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        runs = run_all(keep, sizes)
    else:
        with tempfile.TemporaryDirectory(prefix="iomodels-report-scale-") as tmp:
            runs = run_all(Path(tmp), sizes)
    print(markdown(runs))
    return 0 if all(r.ok for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
