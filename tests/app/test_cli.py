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
