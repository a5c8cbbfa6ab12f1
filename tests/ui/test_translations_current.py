"""Every user-facing string in ui/ is in the Vietnamese translation file (nobody forgot lupdate), and
the committed .qm the kiosk loads says what the .ts says (nobody forgot lrelease)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "assets" / "translations" / "motcua_vi.ts"
QM = TS.with_suffix(".qm")


def _tool(name: str) -> Path:
    tool = Path(sys.executable).with_name(name)
    if not tool.exists():
        tool = Path(shutil.which(name) or "")
    if not tool.is_file():
        pytest.fail(f"{name} is missing: it ships with pyside6-essentials")
    return tool


def _messages(path: Path) -> set[tuple[str, str]]:
    root = ET.parse(path).getroot()
    return {(ctx.findtext("name"), m.findtext("source"))
            for ctx in root.findall("context") for m in ctx.findall("message")}


def test_translation_file_covers_every_source_string(tmp_path):
    lupdate = _tool("pyside6-lupdate")
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


def test_the_committed_qm_is_the_compiled_ts(qapp, tmp_path):
    """Compiled again here and compared by what it translates (not by lrelease's bytes): every
    message of the .ts reads the same through the committed .qm, the fresh one and the .ts."""
    from PySide6.QtCore import QTranslator

    fresh = tmp_path / "fresh.qm"
    subprocess.run([str(_tool("pyside6-lrelease")), str(TS), "-qm", str(fresh), "-silent"],
                   check=True, timeout=120)
    committed, compiled = QTranslator(), QTranslator()
    assert committed.load(str(QM)) and compiled.load(str(fresh))
    stale = []
    for context in ET.parse(TS).getroot().findall("context"):
        name = context.findtext("name")
        for message in context.findall("message"):
            source, wanted = message.findtext("source"), message.findtext("translation") or ""
            got = committed.translate(name, source)
            assert compiled.translate(name, source) == wanted
            if got != wanted:
                stale.append((name, source, got))
    assert not stale, f"run scripts/update_translations.sh to compile motcua_vi.qm: {stale[:3]}"
