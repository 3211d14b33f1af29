"""Small things a new user trips over, each a clear line and the right exit code."""

from __future__ import annotations

import http.server
import json
import os
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CATALOGUE, iomodels, load_catalogue
from tests.replica_process import running_replica

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("loaded")
    with running_replica("--catalogue", str(CATALOGUE)) as url:
        result = iomodels("load", "--base-url", url, "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    return data_dir


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("", "nothing to run: the SQL is empty"),
        ("  ;  ", "nothing to run: the SQL is empty"),
        ("select 1; select 2", "query runs one statement at a time, and this SQL has 2"),
    ],
)
def test_query_needs_exactly_one_statement(loaded: Path, sql: str, message: str) -> None:
    result = iomodels("query", sql, "--data-dir", str(loaded))
    assert result.returncode == 2
    assert result.stderr.strip() == f"iomodels: error: {message}"


def test_query_json_gives_tags_as_json_not_as_a_string(loaded: Path) -> None:
    result = iomodels(
        "query",
        "select name, tags, extra_fields from analytics.models order by name",
        "--data-dir",
        str(loaded),
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    expected = {m["name"]: m.get("metadata", {}).get("tags") or [] for m in load_catalogue()}
    assert {r["name"]: r["tags"] for r in rows} == expected
    assert any(len(r["tags"]) > 1 for r in rows)


@pytest.mark.parametrize("command", [["query", "select 1"], ["report"]])
def test_a_data_dir_that_is_a_file_says_so(tmp_path: Path, command: list[str]) -> None:
    afile = tmp_path / "data"
    afile.write_text("not a folder")
    result = iomodels(*command, "--data-dir", str(afile))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"iomodels: error: --data-dir {afile} is a file, not the folder of a load's data"
    )


@pytest.mark.parametrize(("loaded_as", "asked_for"), [("parquet", "duckdb"), ("duckdb", "parquet")])
def test_reading_the_other_destination_names_the_one_loaded(
    tmp_path: Path, loaded_as: str, asked_for: str
) -> None:
    from pipelines.present.connect import database_file

    database_file(loaded_as, tmp_path).touch()  # what a load into `loaded_as` leaves
    result = iomodels("report", "--data-dir", str(tmp_path), "--destination", asked_for)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"iomodels: error: no data at {database_file(asked_for, tmp_path)}, but {tmp_path} "
        f"holds a {loaded_as} load: add --destination {loaded_as} "
        f"(or set IOMODELS_DESTINATION={loaded_as})"
    )


def test_loading_into_a_file_says_so(tmp_path: Path) -> None:
    afile = tmp_path / "data"
    afile.write_text("not a folder")
    result = iomodels("load", "--base-url", "http://127.0.0.1:9", "--data-dir", str(afile))
    assert result.returncode == 2
    assert result.stderr.strip().endswith(
        f"iomodels: error: cannot use --data-dir {afile}: it is a file, not a folder"
    )


def test_a_read_only_data_dir_is_exit_2(tmp_path: Path) -> None:
    data_dir = tmp_path / "readonly"
    data_dir.mkdir()
    data_dir.chmod(0o555)
    tmp_path.chmod(0o755)
    command = [sys.executable, "-m", "pipelines", "load", "--base-url", "http://127.0.0.1:9"]
    command += ["--data-dir", str(data_dir)]
    if os.geteuid() == 0:  # root writes anywhere: without the capability to, it does not
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv")
        drop = "-dac_override,-dac_read_search"
        command = ["setpriv", f"--bounding-set={drop}", f"--inh-caps={drop}", *command]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=60, cwd=PROJECT, env=dict(os.environ)
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().endswith(
        f"iomodels: error: cannot use --data-dir {data_dir}: it is not writable"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timeout", "0"], "--timeout must be more than 0 seconds, not 0"),
        (["--timeout", "-1"], "--timeout must be more than 0 seconds, not -1"),
        (
            ["--base-url", "https://api.example.com/api/v1/models"],
            "--base-url is the API root, without /api/v1/models: use https://api.example.com",
        ),
        (
            ["--base-url", "http://127.0.0.1:9/api/v1/models/?page=2"],
            "--base-url must not carry a query string or fragment (the load adds page, "
            "page_size and q itself): use http://127.0.0.1:9/api/v1/models",
        ),
    ],
)
def test_option_mistakes_get_a_hint(tmp_path: Path, args: list[str], message: str) -> None:
    result = iomodels(
        "load", "--base-url", "http://127.0.0.1:9", *args, "--data-dir", str(tmp_path)
    )
    assert result.returncode == 2
    assert result.stderr.strip().endswith(f"iomodels: error: {message}")


class _HtmlSite(http.server.BaseHTTPRequestHandler):
    requests = 0

    def do_GET(self) -> None:
        type(self).requests += 1
        body = b"<!DOCTYPE html><html><body><h1>Welcome to our docs</h1></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def html_site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _HtmlSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_base_url_answering_html_fails_at_once_with_a_hint(
    tmp_path: Path, html_site: str
) -> None:
    _HtmlSite.requests = 0
    result = iomodels("load", "--base-url", html_site, "--data-dir", str(tmp_path))
    assert result.returncode == 3
    assert result.stderr.strip().endswith(
        "HTTP 200 answered an HTML page, not JSON; is --base-url the API root "
        "(e.g. https://api.intelligence.io.solutions)?"
    )
    assert _HtmlSite.requests == 1  # not retried


@pytest.mark.slow
def test_make_demo_prints_commands_that_can_be_copied(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(PROJECT / "scripts" / "demo.py")],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    commands = [line[2:] for line in result.stdout.splitlines() if line.startswith("$ iomodels ")]
    assert len(commands) >= 5
    assert all(shlex.split(c)[-2:] == ["--data-dir", "data/demo"] for c in commands)
    # pasted as printed, a command works
    query = next(c for c in commands if " query " in c)
    pasted = subprocess.run(
        [sys.executable, "-m", "pipelines", *shlex.split(query)[1:]],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert pasted.returncode == 0, pasted.stderr
    assert "deepseek-ai/DeepSeek-R1-0528" in pasted.stdout
