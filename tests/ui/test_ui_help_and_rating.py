"""The citizen's "Call staff" on every screen: it says so aloud, shows on the key, lights the help
lamp where one is configured, is audited, shows on the staff dashboard, and staff answer it by
taking over in assisted mode; the session's end withdraws it. After "Done", a one-touch rating,
stored without personal data and shown on the dashboard."""

from __future__ import annotations

import json
import sqlite3

import pytest

from kiosk.domain.flow import Step
from test_ui_fee_printer import reach_receipt
from test_ui_journey import click, identify_with_card
from test_ui_staff import PIN, STAFF_ID, sign_in
from ui_helpers import make_config

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def kiosk_config(tmp_path):
    (tmp_path / "lamp").write_text("0", encoding="ascii")
    return make_config(tmp_path, **{"devices.help_light": str(tmp_path / "lamp")})


def audited(services) -> list[tuple[str, str, dict]]:
    lines = services.ops.audit.path.read_text(encoding="utf-8").splitlines()
    return [(d["actor"], d["action"], d.get("details") or {}) for d in map(json.loads, lines)]


def wait_audited(qtbot, window, action: str) -> None:
    qtbot.waitUntil(lambda: any(a == action for _, a, _ in audited(window.services)),
                    timeout=5000)


def test_call_staff_is_seen_heard_lit_audited_and_answered_by_taking_over(
        qtbot, window, services, profile, kiosk_config, tmp_path):
    key = window.header.call_staff
    assert key.isVisible() and key.text().endswith("Gọi hỗ trợ")
    identify_with_card(qtbot, window, services, profile)
    with qtbot.waitSignal(window.narrator.said, timeout=5000) as said:  # aloud, reading off
        click(qtbot, key)
    assert said.args[0].startswith("Đã gọi cán bộ") and key.isChecked()
    assert key.text().endswith("Đã gọi cán bộ")
    assert (tmp_path / "lamp").read_text() == "1"
    assert "motcua_help_requested 1" in services.ops.metrics.render()
    wait_audited(qtbot, window, "help.requested")
    assert ("citizen", "help.requested", {"step": "choose"}) in audited(services)
    services.ops.staff.add(STAFF_ID, PIN, by="ADMIN1")
    window.staff_mode.open()
    sign_in(qtbot, window)
    dashboard = window.staff_mode.dashboard
    assert dashboard.help_call.isVisible() and "(bước: " in dashboard.help_call.text()
    assert "choose" not in dashboard.help_call.text()  # the step's name, never its code
    assert dashboard.assist_button.text() == "Hỗ trợ người dân này"
    click(qtbot, dashboard.assist_button)  # staff take over the session the citizen is in
    assert window.staff_mode.assisted_by == STAFF_ID and window.flow.step is Step.CHOOSE
    assert not key.isChecked() and (tmp_path / "lamp").read_text() == "0"
    assert "motcua_help_requested 0" in services.ops.metrics.render()
    wait_audited(qtbot, window, "help.answered")
    assert (STAFF_ID, "help.answered", {"step": "choose"}) in audited(services)


def test_a_call_is_withdrawn_by_the_key_or_by_the_session_ending(qtbot, window, services,
                                                                 profile):
    key = window.header.call_staff
    click(qtbot, key)
    click(qtbot, key)  # "never mind"
    assert not key.isChecked() and not window.help_call.active
    identify_with_card(qtbot, window, services, profile)
    click(qtbot, key)
    click(qtbot, window.screens[Step.CHOOSE].cancel_button)
    click(qtbot, window.overlay.yes_button)
    assert not window.help_call.active  # the next citizen does not inherit the call
    wait_audited(qtbot, window, "help.ended")
    actions = [a for _, a, _ in audited(services)]
    assert actions.count("help.requested") == 2 and "help.cancelled" in actions


def test_a_rating_after_done_is_kept_without_personal_data_and_shown_to_staff(
        qtbot, window, services, profile, kiosk_config):
    screen, receipt = reach_receipt(qtbot, window, services, profile)
    with qtbot.waitSignal(window.card_bridge.card_removed, timeout=5000):
        services.card_reader.remove()  # the citizen took the card before "Done"
    click(qtbot, screen.primary_button)
    prompt = window.rating
    assert prompt.isVisible() and window.flow.step is Step.WELCOME
    click(qtbot, prompt.buttons[3])  # "Rất hài lòng": one touch
    assert prompt.question.text() == "Cảm ơn ông/bà đã đánh giá."
    qtbot.waitUntil(lambda: services.ops.ratings.summary().total == 1, timeout=5000)
    assert services.ops.ratings.summary().counts[3] == 1
    assert 'motcua_ratings_total{score="3"} 1' in services.ops.metrics.render()
    path = kiosk_config.data_path() / "ratings.sqlite3"
    with sqlite3.connect(path) as conn:
        kept = " ".join(str(v) for row in conn.execute("SELECT * FROM rating") for v in row)
    assert receipt.procedure_code in kept
    for personal in (profile.full_name, profile.id_number, receipt.dossier_code):
        assert personal not in kept
    qtbot.waitUntil(lambda: not prompt.isVisible(), timeout=5000)
    services.ops.staff.add(STAFF_ID, PIN, by="ADMIN1")
    window.staff_mode.open()
    sign_in(qtbot, window)
    dashboard = window.staff_mode.dashboard
    qtbot.waitUntil(lambda: dashboard.values["ratings"].text().startswith("1 lượt"), timeout=5000)
    name = window.flow.catalogue.get(receipt.procedure_code).name.get("vi")
    assert name in dashboard.values["today"].text()  # names, not codes, for staff


def test_the_card_left_on_the_reader_comes_before_the_rating(qtbot, window, services, profile):
    screen, _receipt = reach_receipt(qtbot, window, services, profile)
    click(qtbot, screen.primary_button)  # "Xong" with the card still on the reader
    assert window.card_guard.take_card.isVisible() and not window.rating.isVisible()
    with qtbot.waitSignal(window.card_guard.card_taken, timeout=5000):
        services.card_reader.remove()
    assert window.rating.isVisible() and window.citizen_view() is window.rating
