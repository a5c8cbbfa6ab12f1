"""Every user-facing string in ui/ is in the Vietnamese translation file (nobody forgot lupdate)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "assets" / "translations" / "motcua_vi.ts"


def _messages(path: Path) -> set[tuple[str, str]]:
    root = ET.parse(path).getroot()
    return {(ctx.findtext("name"), m.findtext("source"))
            for ctx in root.findall("context") for m in ctx.findall("message")}


def test_translation_file_covers_every_source_string(tmp_path):
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    if not lupdate.exists():
        lupdate = Path(shutil.which("pyside6-lupdate") or "")
    if not lupdate.is_file():
        pytest.fail("pyside6-lupdate is missing: it ships with pyside6-essentials")
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (ROOT / "ui").rglob("*.py"))
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh), "-source-language", "en",
                    "-target-language", "vi_VN", "-silent"], check=True, timeout=120)
    missing = _messages(fresh) - _messages(TS)
    assert not missing, f"run scripts/update_translations.sh and translate: {sorted(missing)[:5]}"


def test_every_vietnamese_translation_is_finished():
    """Vietnamese is complete: a string left unfinished would show in English to the citizen."""
    root = ET.parse(TS).getroot()
    unfinished = [m.findtext("source") for m in root.iter("message")
                  if m.find("translation").get("type") == "unfinished"
                  or not (m.findtext("translation") or "").strip()]
    assert not unfinished, f"translate in {TS.name}: {unfinished[:5]}"
