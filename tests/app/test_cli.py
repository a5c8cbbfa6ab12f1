"""The ``kiosk`` command as a person runs it: a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def kiosk(*args: str, env: dict[str, str] | None = None, timeout: float = 60):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")} | (env or {})
    return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env=full_env)


@pytest.mark.parametrize(
    "command",
    [(), ("run",), ("portal", "serve"), ("portal", "stats"), ("outbox", "status"), ("config", "show"),
     ("card", "read"), ("card", "emulate"), ("qr", "decode"), ("qr", "make"), ("bench", "outbox"),
     ("bench", "qr"), ("bench", "card")],
)
def test_help_on_each_command(command):
    result = kiosk(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert "usage: kiosk" in result.stdout


def test_config_show_prints_effective_config():
    result = kiosk("config", "show", "--json", env={"KIOSK_PORTAL_READ_TIMEOUT_S": "7"})
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["portal"]["read_timeout_s"] == 7.0
    assert data["portal"]["token"] == "***"


def test_broken_config_is_a_clear_error(tmp_path):
    file = tmp_path / "kiosk.toml"
    file.write_text("[portal]\nread_timeout_s = 'soon'\n")
    for command in (("config", "show"), ("run",)):
        result = kiosk(*command, "--config", str(file))
        assert result.returncode == 2
        assert "configuration error" in result.stderr
        assert "read_timeout_s: expected a number" in result.stderr
        assert "Traceback" not in result.stderr


def test_run_rejects_a_bad_portal_url():
    result = kiosk("run", "--portal", "localhost:8080")
    assert result.returncode == 2
    assert "'portal.url' must be 'embedded' or an http(s):// URL" in result.stderr


def _subcommand_helps(parser) -> dict[str, str]:
    import argparse

    choices = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {action.dest: action.help for action in choices._choices_actions}


def test_placeholder_help_matches_each_command_s_own():
    from kiosk.app.bench import BENCHMARKS
    from kiosk.app.cli import COMMANDS, build_parser
    from kiosk.app.cli.lazy import load_all

    parser = build_parser()
    assert _subcommand_helps(parser) == {name: text for name, _, text in COMMANDS}
    bench = parser._subparsers._group_actions[0].choices["bench"]
    load_all(bench._subparsers._group_actions[0])
    assert _subcommand_helps(bench) == {name: text for name, _, text in BENCHMARKS}
    assert list(_subcommand_helps(bench)) == [name for name, _, _ in BENCHMARKS]  # listed in order


HEAVY = ("offline_store.outbox", "kiosk.portal.client", "devices.card.chip.emulator", "sqlite_utils",
         "cv2", "PySide6")


@pytest.mark.parametrize("argv", [["--help"], ["config", "show"], ["--version"], ["bench", "--help"]])
def test_a_command_imports_only_what_it_needs(argv):
    code = (f"import sys\nfrom kiosk.app.cli import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n"
            f"    pass\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, env={k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
