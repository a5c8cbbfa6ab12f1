"""Staff hints through the real window: the strip shows only while a staff member assists, says the
right thing at each step (the procedure's documents at REQUIREMENTS, the card's fields at FORM),
never holds a personal value, sits under the header without covering fields or the keyboard, goes
with the assistance (session end, sign-out), and reads in Vietnamese and English."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from kiosk.flow import Step
from kiosk.paths import PROFILES_DIR
from test_ui_journey import (CRIMINAL_RECORD, choose, click, fill_criminal_record_rest,
                             identify_with_card, submit_from_review)
from ui_helpers import make_config, wait_chip_result, wait_step

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints", "pipewire")]

ROOT = Path(__file__).resolve().parents[2]
TSV = ROOT / "docs" / "helpers" / "tr-H.tsv"
STAFF_ID, PIN = "NV001", "402718"
MARRIAGE = "1.000894"
PHONE = "0912345678"


@pytest.fixture
def kiosk_config(tmp_path):
    return make_config(tmp_path, **{"ops.metrics_enabled": False})


@pytest.fixture
def staff(services):
    services.ops.staff.add(STAFF_ID, PIN, by="ADMIN1")
    return services.ops.staff


def sign_in(qtbot, window) -> None:
    """Sign in as a staff member would (the real scrypt check, on the worker)."""
    mode = window.staff_mode
    mode.open()
    panel = mode.signin
    qtbot.keyClicks(panel.staff_id, STAFF_ID)
    panel.pin.setText(PIN)
    click(qtbot, panel.sign_in_button)
    qtbot.waitUntil(mode.dashboard.isVisible, timeout=10_000)


def start_assisting(qtbot, window) -> None:
    sign_in(qtbot, window)
    click(qtbot, window.staff_mode.dashboard.assist_button)
    assert window.staff_mode.assisted_by == STAFF_ID


def record(window) -> dict[Step, tuple[bool, str]]:
    """What the strip shows at each step the window enters: (visible, heading + text)."""
    hints, seen = window.staff_mode.hints, {}

    def on_step(step: Step) -> None:
        seen[step] = (hints.isVisible(), shown(window))

    window.step_changed.connect(on_step)
    return seen


def shown(window) -> str:
    hints = window.staff_mode.hints
    return hints.heading.text() + "\n" + hints.text.text()


def window_rect(widget, window) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def personal_values(profile) -> list[str]:
    values = [profile.id_number, profile.id_number[-6:], profile.full_name, PHONE,
              profile.date_of_birth.strftime("%d/%m/%Y"), profile.date_of_birth.isoformat()]
    for name in ("residence", "place_of_origin", "old_id_number", "father_name", "mother_name",
                 "spouse_name", "identifying_marks"):
        if getattr(profile, name):
            values.append(getattr(profile, name))
    words = [w for v in values if " " in v for w in v.replace(",", " ").split() if len(w) > 3]
    return values + [w for w in words if not w[0].isdigit()]


def test_no_hints_without_an_assisted_session(qtbot, window, services, staff, profile):
    window.set_language("en")
    hints = window.staff_mode.hints
    seen = record(window)
    identify_with_card(qtbot, window, services, profile)
    choose(qtbot, window, CRIMINAL_RECORD)
    assert not hints.isVisible() and hints.lines == []
    sign_in(qtbot, window)  # signed in, dashboard open, but nobody is being assisted
    click(qtbot, window.staff_mode.dashboard.close_button)
    assert not hints.isVisible() and hints.text.text() == ""
    assert seen and not any(visible for visible, _ in seen.values())


def test_assisted_journey_shows_each_steps_hint_and_no_personal_data(qtbot, window, services,
                                                                     staff, profile):
    window.set_language("en")
    mode, hints = window.staff_mode, window.staff_mode.hints
    seen = record(window)
    start_assisting(qtbot, window)
    assert hints.isVisible() and "ID card on the reader" in shown(window)
    header, strip, stack = (window_rect(w, window) for w in (window.header, hints, window.stack))
    assert header.bottom() < strip.top() and strip.bottom() < stack.top()  # a strip, not an overlay

    services.card_reader.insert(profile)
    wait_chip_result(qtbot, window)
    assert "Identify" in shown(window) and "CAN" in shown(window) and "Amber" in shown(window)
    click(qtbot, window.screens[Step.IDENTIFY].primary_button)
    wait_step(qtbot, window, Step.CHOOSE)
    assert "ignores accents" in shown(window)
    choose(qtbot, window, CRIMINAL_RECORD)

    procedure = window.flow.procedure
    bring = procedure.documents_to_bring
    visible, text = seen[Step.REQUIREMENTS]
    assert visible and not bring  # the criminal record: the databases hold everything
    assert "does not need to bring any document" in text
    for document in (d for d in procedure.documents if d.held_by_national_db):
        assert document.en in text.split("already hold:")[1]

    form = window.screens[Step.FORM]
    text = shown(window)
    for field_id in ("full_name", "date_of_birth", "sex", "residence"):
        assert procedure.field(field_id).label.en in text.split("Filled in from the card:")[1]
    assert "USB keyboard" in text and "Telex" in text
    line = form.rows["phone"].editor.line
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    line.setFocus(Qt.OtherFocusReason)
    dock = window.keyboard_dock
    qtbot.waitUntil(dock.isVisible, timeout=5_000)
    qtbot.waitUntil(lambda: not window_rect(dock, window).intersects(window_rect(line, window)),
                    timeout=5_000)
    assert not window_rect(hints, window).intersects(window_rect(line, window))
    overlap = window_rect(dock, window).intersected(window_rect(hints, window))
    if not overlap.isEmpty():  # docked at the top: the keys are drawn over the strip, not under
        hit = window.childAt(overlap.center())
        assert hit is dock or dock.isAncestorOf(hit)
    click(qtbot, dock.hide_button)
    fill_criminal_record_rest(qtbot, form)
    click(qtbot, form.primary_button)
    assert "Read each answer" in shown(window)

    mode.open()  # the dashboard over an assisted session covers the strip too
    assert window.childAt(window_rect(hints, window).center()) is not hints
    assert not hints.isAncestorOf(window.childAt(window_rect(hints, window).center()))
    click(qtbot, mode.dashboard.close_button)
    receipt = submit_from_review(qtbot, window)
    assert receipt.status.value == "sent"
    assert "personally" in seen[Step.CONSENT][1] and "13/2023" in seen[Step.CONSENT][1]
    assert "queued" in seen[Step.SUBMITTING][1]
    assert "Sent:" in shown(window) and "staff dashboard" in shown(window)

    every_hint = "\n".join(text for _, text in seen.values()) + shown(window)
    for value in personal_values(profile):
        assert value not in every_hint, "a personal value reached a staff hint"

    click(qtbot, window.screens[Step.RECEIPT].primary_button)
    wait_step(qtbot, window, Step.WELCOME)
    assert seen[Step.WELCOME] == (False, "\n")  # the citizen's session ended: hints went with it
    assert not hints.isVisible() and hints.lines == []


def test_queued_receipt_hint_then_sign_out_removes_the_strip(qtbot, window, services, staff,
                                                             profile):
    window.set_language("en")
    mode, hints = window.staff_mode, window.staff_mode.hints
    services.embedded_portal.stop()
    start_assisting(qtbot, window)
    identify_with_card(qtbot, window, services, profile)
    choose(qtbot, window, CRIMINAL_RECORD)
    form = window.screens[Step.FORM]
    fill_criminal_record_rest(qtbot, form)
    click(qtbot, form.primary_button)
    receipt = submit_from_review(qtbot, window)
    assert receipt.status.value == "queued"
    assert hints.isVisible() and "Queued offline" in shown(window) and "“Q-”" in shown(window)

    mode.open()
    click(qtbot, mode.dashboard.sign_out_button)
    assert mode.assisted_by is None
    assert not hints.isVisible() and hints.text.text() == "" and hints.heading.text() == ""


def test_expired_staff_session_removes_the_strip(qtbot, window, services, staff):
    mode, hints = window.staff_mode, window.staff_mode.hints
    session = services.ops.staff.authenticate(STAFF_ID, PIN)
    mode.signin.signed_in.emit(session.extended(session.started_at, 1.0))  # a 1 s session
    mode.set_assisting(True)  # not a click: a touch would extend the session
    assert hints.isVisible()
    qtbot.waitUntil(lambda: mode.session is None, timeout=5_000)
    assert not hints.isVisible() and hints.lines == []


def test_low_confidence_address_is_flagged_for_staff(qtbot, window, services, staff):
    from devices.card.profiles import load_profile

    window.set_language("en")
    profile = load_profile(PROFILES_DIR / "04-hoang-thi-su.toml")  # an old address, province only
    start_assisting(qtbot, window)
    identify_with_card(qtbot, window, services, profile)
    seen = record(window)
    choose(qtbot, window, MARRIAGE)
    procedure = window.flow.procedure
    bring = procedure.documents_to_bring
    requirements = seen[Step.REQUIREMENTS][1]
    assert f"bring or photograph {len(bring)} document(s): " in requirements and len(bring) == 2
    assert all(d.en in requirements.split("document(s): ")[1].split("\n")[0] for d in bring)
    held = [d.en for d in procedure.documents if d.held_by_national_db]
    assert held and all(name in requirements.split("already hold:")[1] for name in held)
    label = procedure.field("residence_address").label.en
    text = shown(window)
    assert f"“{label}”: the old address on the card could not be matched" in text
    assert label not in text.split("Filled in from the card:")[1].split("\n")[0]
    for value in personal_values(profile):
        assert value not in text


# -- Vietnamese --------------------------------------------------------------------------------------
def tsv_entries() -> list[tuple[str, str, str]]:
    rows = []
    for line in TSV.read_text(encoding="utf-8").splitlines():
        if line.strip():
            context, source, target = line.split("\t")
            rows.append((context, source.replace("\\n", "\n"), target.replace("\\n", "\n")))
    return rows


def lupdate_sources(tmp_path: Path) -> set[tuple[str, str]]:
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    if not lupdate.exists():
        lupdate = Path(shutil.which("pyside6-lupdate") or "")
    fresh = tmp_path / "hints.ts"
    subprocess.run([str(lupdate), str(ROOT / "ui" / "staff" / "hints.py"), "-ts", str(fresh),
                    "-silent"], check=True, timeout=120)
    root = ET.parse(fresh).getroot()
    return {(ctx.findtext("name"), m.findtext("source"))
            for ctx in root.findall("context") for m in ctx.findall("message")}


def tsv_translator(tmp_path: Path) -> QTranslator:
    """The TSV as a compiled translation (what the lead's merge into motcua_vi.ts will give)."""
    root = ET.Element("TS", version="2.1", language="vi_VN", sourcelanguage="en")
    contexts: dict[str, ET.Element] = {}
    for context, source, target in tsv_entries():
        if context not in contexts:
            contexts[context] = ET.SubElement(root, "context")
            ET.SubElement(contexts[context], "name").text = context
        message = ET.SubElement(contexts[context], "message")
        ET.SubElement(message, "source").text = source
        ET.SubElement(message, "translation").text = target
    ts, qm = tmp_path / "tr-H.ts", tmp_path / "tr-H.qm"
    ET.ElementTree(root).write(ts, encoding="utf-8", xml_declaration=True)
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(qm)], check=True, timeout=120)
    translator = QTranslator()
    assert translator.load(str(qm))
    return translator


def test_every_hint_has_a_vietnamese_line_with_the_same_placeholders(tmp_path):
    import re

    entries = {(c, s): t for c, s, t in tsv_entries()}
    missing = lupdate_sources(tmp_path) - set(entries)
    assert not missing, f"not in docs/helpers/tr-H.tsv: {sorted(missing)[:3]}"
    for (_, source), target in entries.items():
        assert target and target != source
        assert sorted(re.findall(r"\{\w+\}", source)) == sorted(re.findall(r"\{\w+\}", target))


def test_hints_read_in_vietnamese_and_switch_to_english(qtbot, window, services, staff, profile,
                                                        tmp_path):
    translator = tsv_translator(tmp_path)
    app = QApplication.instance()
    app.installTranslator(translator)
    try:
        window.set_language("vi")
        start_assisting(qtbot, window)
        assert "Gợi ý cho cán bộ" in shown(window) and "thẻ căn cước" in shown(window)
        identify_with_card(qtbot, window, services, profile)
        seen = record(window)
        choose(qtbot, window, MARRIAGE)
        bring = window.flow.procedure.documents_to_bring
        text = seen[Step.REQUIREMENTS][1]
        assert f"Người dân còn phải mang hoặc chụp {len(bring)} giấy tờ" in text
        assert all(d.vi in text for d in bring)
        assert "Đã điền sẵn từ thẻ" in shown(window)
        assert window.flow.procedure.field("full_name").label.vi in shown(window)
    finally:
        app.removeTranslator(translator)
    window.set_language("en")
    qtbot.waitUntil(lambda: "Staff hints · Form" in shown(window), timeout=5_000)
    text = shown(window)
    assert "Filled in from the card" in text
    assert window.flow.procedure.field("full_name").label.en in text
    assert "Đã điền sẵn" not in text
