"""Staff hints through the real window: the pill shows only while a staff member assists and opens
a floating card that says the right thing at each step (the procedure's documents at REQUIREMENTS,
the card's fields at FORM), never holds a personal value, sits under the header below the keyboard
and the dashboard, never changes the window's minimum size (1280x800 in every theme), goes with the
assistance (session end, sign-out, expiry), and reads in Vietnamese and English."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QLineEdit

from kiosk.domain.flow import Step
from kiosk.domain.paths import PROFILES_DIR
from test_ui_journey import (CRIMINAL_RECORD, choose, click, fill_criminal_record_rest,
                             to_criminal_record_review,
                             identify_with_card, submit_from_review)
from ui_helpers import finish_form, make_config, wait_chip_result, wait_step

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints", "pipewire")]

ROOT = Path(__file__).resolve().parents[2]
STAFF_ID, PIN = "NV001", "402718"
MARRIAGE = "1.000894"
PHONE = "0912345678"


@pytest.fixture
def kiosk_config(tmp_path, request):
    overrides = {"ops.metrics_enabled": False, **getattr(request, "param", {})}
    return make_config(tmp_path, **overrides)


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
    """What the card shows at each step the window enters: (card open, heading + text)."""
    hints, seen = window.staff_mode.hints, {}

    def on_step(step: Step) -> None:
        seen[step] = (hints.isVisible(), hints.heading.text() + "\n" + hints.text.text())

    window.step_changed.connect(on_step)
    return seen


def shown(window) -> str:
    """The hints as staff read them: the card, opened with its pill when it is closed."""
    hints = window.staff_mode.hints
    if not hints.isVisible():
        assert hints.pill.isVisible()
        hints.pill.click()  # not a touch: a touch on the window extends the staff session
    assert hints.isVisible() and hints.pill.isChecked()
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
    assert not hints.isVisible() and not hints.pill.isVisible() and hints.lines == []
    sign_in(qtbot, window)  # signed in, dashboard open, but nobody is being assisted
    click(qtbot, window.staff_mode.dashboard.close_button)
    assert not hints.isVisible() and not hints.pill.isVisible() and hints.text.text() == ""
    assert window.header.brand_title.isVisible() and window.header.staff_widget is None
    assert seen and not any(visible for visible, _ in seen.values())


def test_assisted_journey_shows_each_steps_hint_and_no_personal_data(qtbot, qapp, window,
                                                                     services, staff, profile):
    from ui.look import apply_theme

    apply_theme(qapp, "normal")  # as the kiosk runs: sizes depend on the theme
    window.set_language("en")
    mode, hints = window.staff_mode, window.staff_mode.hints
    seen = record(window)
    qapp.processEvents()  # the new look laid out
    stack_before = window_rect(window.stack, window)
    start_assisting(qtbot, window)
    pill = hints.pill
    assert pill.isVisible() and not hints.isVisible()  # closed by default: it would cover fields
    assert pill.text() == "Staff hints (1)"
    qtbot.waitUntil(lambda: pill.height() >= 48, timeout=5_000)
    assert window.header.isAncestorOf(pill) and window.header.isAncestorOf(mode.badge)
    click(qtbot, pill)
    assert hints.isVisible() and pill.isChecked() and "ID card on the reader" in shown(window)
    qapp.processEvents()
    header, card, stack = (window_rect(w, window) for w in (window.header, hints, window.stack))
    assert stack == stack_before  # laid over the screen: the layout did not move
    assert header.bottom() < card.top() and stack.contains(card)  # under the header
    assert card.width() <= 0.45 * window.width() and card.right() > 0.9 * window.width()
    assert hints.text.height() <= hints.scroll.viewport().height()  # fitted: no scrolling
    assert not hints.scroll.verticalScrollBar().isVisible()
    hints.text.setText("\n".join(["• " + "check this " * 20] * 30))  # far longer than any step's
    hints.place()
    qapp.processEvents()
    assert hints.height() <= 0.6 * window.height() and stack.contains(window_rect(hints, window))
    assert hints.scroll.verticalScrollBar().isVisible()  # it scrolls inside its own frame
    assert window_rect(window.stack, window) == stack_before
    hints.show_step(window.flow.step)  # back to the step's own hints, fitted again
    qapp.processEvents()
    assert not hints.scroll.verticalScrollBar().isVisible() and "ID card" in hints.text.text()
    assert hints.close_button.height() >= 48
    click(qtbot, hints.close_button)
    assert not hints.isVisible() and not pill.isChecked() and pill.isVisible()
    click(qtbot, pill)  # open again: it stays open from step to step from now on

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
    line = next(e for e in form.findChildren(QLineEdit)  # a field on the form's page now
                if e.isVisible() and e.property("keyboard") is not None and not e.isReadOnly())
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    line.setFocus(Qt.OtherFocusReason)
    dock = window.keyboard_dock
    qtbot.waitUntil(dock.isVisible, timeout=5_000)
    qtbot.waitUntil(lambda: not window_rect(dock, window).intersects(window_rect(line, window)),
                    timeout=5_000)
    click(qtbot, hints.close_button)  # closed and opened again while the keys are up: the card
    click(qtbot, hints.pill)          # goes under them, not above (and the field keeps the focus)
    assert hints.isVisible() and dock.isVisible() and line.hasFocus()
    layers = window.children()
    assert layers.index(hints) < layers.index(dock)
    dock.move(dock.x(), hints.y())  # where the keys dock at the top: they are drawn over the card
    overlap = window_rect(dock, window).intersected(window_rect(hints, window))
    assert not overlap.isEmpty()
    hit = window.childAt(overlap.center())
    assert hit is dock or dock.isAncestorOf(hit)
    click(qtbot, dock.hide_button)
    fill_criminal_record_rest(qtbot, form)
    assert finish_form(qtbot, window)
    assert "Read each answer" in shown(window)

    mode.open()  # the dashboard over an assisted session covers the card too
    assert window.childAt(window_rect(hints, window).center()) is not hints
    assert not hints.isAncestorOf(window.childAt(window_rect(hints, window).center()))
    click(qtbot, mode.dashboard.close_button)
    receipt = submit_from_review(qtbot, window)
    assert receipt.status.value == "sent"
    assert "personally" in seen[Step.CONSENT][1] and "91/2025/QH15" in seen[Step.CONSENT][1]
    assert "queued" in seen[Step.SUBMITTING][1]
    assert "Sent:" in shown(window) and "staff dashboard" in shown(window)

    every_hint = "\n".join(text for _, text in seen.values()) + shown(window)
    for value in personal_values(profile):
        assert value not in every_hint, "a personal value reached a staff hint"

    click(qtbot, window.screens[Step.RECEIPT].primary_button)
    wait_step(qtbot, window, Step.WELCOME)
    assert seen[Step.WELCOME] == (False, "\n")  # the citizen's session ended: hints went with it
    assert not hints.isVisible() and not hints.pill.isVisible() and hints.lines == []
    assert window.header.brand_title.isVisible() and not mode.badge.isVisible()


def test_queued_receipt_hint_then_sign_out_removes_the_hints(qtbot, window, services, staff,
                                                             profile):
    window.set_language("en")
    mode, hints = window.staff_mode, window.staff_mode.hints
    services.embedded_portal.stop()
    start_assisting(qtbot, window)
    to_criminal_record_review(qtbot, window, services, profile)
    receipt = submit_from_review(qtbot, window)
    assert receipt.status.value == "queued"
    assert hints.pill.isVisible() and "Queued offline" in shown(window)
    assert hints.isVisible() and "“Q-”" in shown(window)

    mode.open()
    click(qtbot, mode.dashboard.sign_out_button)
    assert mode.assisted_by is None
    assert not hints.isVisible() and not hints.pill.isVisible()
    assert hints.text.text() == "" and hints.heading.text() == "" and hints.pill.text() == ""


def test_expired_staff_session_removes_the_hints(qtbot, window, services, staff):
    mode, hints = window.staff_mode, window.staff_mode.hints
    session = services.ops.staff.authenticate(STAFF_ID, PIN)
    mode.signin.signed_in.emit(session.extended(session.started_at, 1.0))  # a 1 s session
    mode.set_assisting(True)  # not a click: a touch would extend the session
    hints.pill.click()  # not a touch either
    assert hints.isVisible() and hints.lines
    qtbot.waitUntil(lambda: mode.session is None, timeout=5_000)
    assert not hints.isVisible() and not hints.pill.isVisible() and hints.lines == []
    assert hints.text.text() == ""


# -- the screen's size --------------------------------------------------------------------------------
SCREEN_W, SCREEN_H = 1280, 800
#: the largest theme only: re-theming the whole application at every step is slow (every widget is
#: re-polished), and tests/ui/test_screens_fit.py runs the assisted scenes in all three themes
THEMES = ("large",)


def themed(qapp, window):
    """Each (language, theme) in turn, applied to the application as ``ui.app`` does."""
    from ui.look import apply_theme

    for language in ("vi", "en"):
        window.set_language(language)
        for theme in THEMES:
            apply_theme(qapp, theme)
            qapp.processEvents()
            yield language, theme


def check_screen_size(qapp, window, sizes: dict, header_heights: dict) -> None:
    """In each theme and language, with the card closed and open: the window's minimum size fits
    the kiosk's 1280x800 screen, the header too and keeps its height (the screen below does not
    move), and the pill is a touch target."""
    hints, step = window.staff_mode.hints, window.flow.step
    for language, theme in themed(qapp, window):
        for open_ in (False, True):
            if open_:
                hints.open_card()
            else:
                hints.close_card()
            qapp.processEvents()
            size = window.minimumSizeHint()
            sizes[(step, language, theme, open_)] = size.toTuple()
            where = f"{step.value}, {language}, {theme}, card {'open' if open_ else 'closed'}"
            assert size.width() <= SCREEN_W and size.height() <= SCREEN_H, (where, size)
            header = window.header.minimumSizeHint()
            assert header.width() <= SCREEN_W, where
            assert header.height() == header_heights[(language, theme)], where
            assert hints.pill.isVisible() and hints.pill.sizeHint().height() >= 48, where
            assert hints.isVisible() is open_, where
            if open_:
                card = window_rect(hints, window)
                assert window.rect().contains(card) and card.width() <= 0.45 * SCREEN_W


# a kiosk as deployed: the demo strip (make run's virtual card and camera buttons) is off; it alone
# adds ~55 px under the screens, and with it the window's minimum is past 800 px with no hints at all
@pytest.mark.parametrize("kiosk_config", [{"ui.demo_controls": False}], indirect=True)
def test_hints_never_push_the_window_past_the_screen(qtbot, qapp, window, services, staff,
                                                     profile):
    assert window.demo_panel is None
    window.resize(SCREEN_W, SCREEN_H)
    heights = {key: window.header.minimumSizeHint().height() for key in themed(qapp, window)}
    start_assisting(qtbot, window)
    sizes: dict = {}
    check_screen_size(qapp, window, sizes, heights)  # WELCOME
    services.card_reader.insert(profile)
    wait_chip_result(qtbot, window)
    check_screen_size(qapp, window, sizes, heights)  # IDENTIFY, the chip's result shown
    click(qtbot, window.screens[Step.IDENTIFY].primary_button)
    wait_step(qtbot, window, Step.CHOOSE)
    check_screen_size(qapp, window, sizes, heights)
    tile = next(t for t in window.screens[Step.CHOOSE].buttons if t.procedure.code == MARRIAGE)
    click(qtbot, tile)
    wait_step(qtbot, window, Step.REQUIREMENTS)
    check_screen_size(qapp, window, sizes, heights)  # REQUIREMENTS: the longest list of hints
    click(qtbot, window.screens[Step.REQUIREMENTS].primary_button)
    wait_step(qtbot, window, Step.FORM)
    check_screen_size(qapp, window, sizes, heights)
    window.flow.cancel()  # REVIEW and CONSENT with the criminal record (its form is quick)
    wait_step(qtbot, window, Step.WELCOME)
    assert window.staff_mode.assisted_by is None  # the session ended with the assistance
    window.set_language("en")
    start_assisting(qtbot, window)
    identify_with_card(qtbot, window, services, profile)
    choose(qtbot, window, CRIMINAL_RECORD)
    fill_criminal_record_rest(qtbot, window.screens[Step.FORM])
    assert finish_form(qtbot, window)
    wait_step(qtbot, window, Step.REVIEW)
    check_screen_size(qapp, window, sizes, heights)
    click(qtbot, window.screens[Step.REVIEW].primary_button)
    wait_step(qtbot, window, Step.CONSENT)
    check_screen_size(qapp, window, sizes, heights)
    with qtbot.waitSignal(window.submission_finished, timeout=20_000):
        click(qtbot, window.screens[Step.CONSENT].primary_button)
    wait_step(qtbot, window, Step.RECEIPT)
    check_screen_size(qapp, window, sizes, heights)
    assert len(sizes) == 8 * 2 * len(THEMES) * 2  # every step, in each language, theme, state


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
TS = ROOT / "assets" / "translations" / "motcua_vi.ts"


def test_every_hint_has_a_vietnamese_line_with_the_same_placeholders():
    """(That every hint is in the file at all is tests/ui/test_translations_current.py's job.)"""
    import re

    root = ET.parse(TS).getroot()
    hints = [ctx for ctx in root.findall("context") if ctx.findtext("name") == "StaffHints"]
    messages = [(m.findtext("source"), m.findtext("translation")) for ctx in hints
                for m in ctx.findall("message")]
    assert len(messages) > 20
    for source, target in messages:
        assert target and target != source, source
        assert sorted(re.findall(r"\{\w+\}", source)) == sorted(re.findall(r"\{\w+\}", target))


def test_hints_read_in_vietnamese_and_switch_to_english(qtbot, window, services, staff, profile):
    # the kiosk's own Vietnamese catalogue (assets/translations/motcua_vi.qm)
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
    window.set_language("en")
    qtbot.waitUntil(lambda: "Staff hints · Form" in shown(window), timeout=5_000)
    text = shown(window)
    assert "Filled in from the card" in text
    assert window.flow.procedure.field("full_name").label.en in text
    assert "Đã điền sẵn" not in text

