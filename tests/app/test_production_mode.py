"""`kiosk run` refuses to start a production kiosk with any demo part, `kiosk doctor` fails on the
same, and the sample production config in deploy/ passes doctor once its placeholders are filled."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.portal.embedded import EmbeddedPortal

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "deploy" / "kiosk.production.toml"
TOKEN = "kiosk-03-token"


def kiosk(*args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env=env)


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[EmbeddedPortal]:
    with EmbeddedPortal(tmp_path / "portal.sqlite3", token=TOKEN) as p:
        yield p


def filled_sample(tmp_path: Path, portal_url: str) -> Path:
    """The sample with every placeholder replaced, as an installer would."""
    values = {"kiosk name": "HCM-Q1-KIOSK-03", "unit code": "H12.22.10",
              "https://portal address": portal_url, "token issued to this kiosk": TOKEN}
    text = SAMPLE.read_text(encoding="utf-8")
    placeholders = set(re.findall(r'=\s*"<([^<>"]+)>"', text))
    assert {p.split(",")[0] for p in placeholders} == set(values)
    for placeholder in placeholders:
        text = text.replace(f'"<{placeholder}>"', json.dumps(values[placeholder.split(",")[0]]))
    text = text.replace('"/var/lib/motcua-kiosk"', json.dumps(str(tmp_path / "data")))
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_run_refuses_production_with_demo_parts_naming_each_key(tmp_path: Path):
    config = tmp_path / "kiosk.toml"
    config.write_text('[kiosk]\nmode = "production"\nkiosk_id = "HCM-Q1-KIOSK-03"\n'
                      '[store]\ndata_dir = "%s"\n' % (tmp_path / "data"), encoding="utf-8")
    done = kiosk("run", "--config", str(config))
    assert done.returncode == 2, done.stderr
    for key in ("devices.card_reader", "devices.camera", "devices.scanner", "portal.url",
                "ui.demo_controls", "portal.token"):
        assert f"- {key}: " in done.stderr
    assert "kiosk.kiosk_id" not in done.stderr  # set: not a problem
    log = (tmp_path / "data" / "logs" / "kiosk.jsonl").read_text(encoding="utf-8")
    assert "Refusing to start" in log and "devices.card_reader" in log


def test_run_options_cannot_bring_the_demo_back(tmp_path: Path, portal: EmbeddedPortal):
    config = filled_sample(tmp_path, portal.url)
    done = kiosk("run", "--config", str(config), "--devices", "virtual", "--portal", "embedded")
    assert done.returncode == 2
    assert "- devices.card_reader: " in done.stderr and "- portal.url: " in done.stderr


def test_doctor_fails_on_the_same_problems(tmp_path: Path):
    config = tmp_path / "kiosk.toml"
    config.write_text('[kiosk]\nmode = "production"\n[portal]\nverify_tls = false\n'
                      'url = "https://portal.example.vn"\n', encoding="utf-8")
    done = kiosk("doctor", "--json", "--config", str(config), "--data-dir", str(tmp_path / "d"),
                 *[a for c in ("qt", "printer", "pcscd", "camera", "portal") for a in ("--skip", c)])
    assert done.returncode == 1, done.stderr
    mode = next(c for c in json.loads(done.stdout)["checks"] if c["name"] == "mode")
    assert mode["status"] == "FAIL"
    assert [p["key"] for p in mode["details"]["problems"]] == [
        "devices.card_reader", "devices.camera", "devices.scanner", "ui.demo_controls",
        "portal.token", "kiosk.kiosk_id", "portal.verify_tls"]


def test_the_sample_production_config_needs_its_placeholders_filled(tmp_path: Path):
    done = kiosk("config", "show", "--config", str(SAMPLE))
    assert done.returncode == 2
    assert "still holds the sample's placeholder" in done.stderr


def test_the_filled_sample_passes_doctor(tmp_path: Path, portal: EmbeddedPortal):
    """Everything but the two checks that need this kiosk's own hardware (the card reader behind
    pcscd and the camera), against the reference portal on loopback."""
    config = filled_sample(tmp_path, portal.url)
    (tmp_path / "data").mkdir(mode=0o700)
    assert kiosk("audit", "keygen", "--config", str(config)).returncode == 0  # installation step
    done = kiosk("doctor", "--json", "--config", str(config), "--skip", "pcscd", "--skip", "camera")
    checks = {c["name"]: c for c in json.loads(done.stdout)["checks"]}
    assert done.returncode == 0, json.dumps(checks, indent=1)
    assert checks["mode"]["status"] == "PASS"
    assert checks["portal"]["status"] == "PASS"
