"""The command line parses every command without importing the replica; `iomodels replica`
gets its arguments (and their help) when it is the command."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pipelines.options import build_parser


def test_other_commands_never_import_the_replica() -> None:
    code = (
        "import sys\n"
        "from pipelines.options import build_parser\n"
        "build_parser().parse_args(['query', 'select 1'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('pipelines.replica')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_replica_command_has_its_arguments() -> None:
    args = build_parser().parse_args(["replica", "--port", "0", "--synthetic", "500"])
    assert (args.command, args.port, args.synthetic) == ("replica", 0, 500)


def test_the_replica_help_lists_its_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["replica", "--help"])
    assert exit_.value.code == 0
    assert "--synthetic N" in capsys.readouterr().out
