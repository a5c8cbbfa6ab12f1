"""Staff mode through the real GUI: sign-in (and its lockout) against the real staff file, the
dashboard over the real outbox and embedded portal, an assisted journey, and a needs-attention
entry resolved by a staff retry, each checked in the real hash-chained audit log."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest
from PySide6.QtCore import Qt

from kiosk.domain.flow import Step
from kiosk.services.ops.audit import verify
from kiosk.portal.schema import canonical_hash
from test_ui_journey import (CRIMINAL_RECORD, choose, click, fill_criminal_record_rest,
                             identify_with_card, submit_from_review)
from ui_helpers import finish_form, make_config, visible_texts, wait_step
from datetime import UTC

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints", "pipewire")]

STAFF_ID, PIN = "NV001", "402718"
UNKNOWN_PROCEDURE = "9.999999"


@pytest.fixture
def kiosk_config(tmp_path):
    return make_config(tmp_path, **{"ops.metrics_enabled": False, "ops.staff_lockout_s": 60.0,
                                    "ops.staff_max_failures": 5.0})


@pytest.fixture
def staff(services):
    services.ops.staff.add(STAFF_ID, PIN, by="ADMIN1")
    return services.ops.staff


@pytest.fixture(autouse=True)
def english(request):
    """The assertions read English texts (Vietnamese is the kiosk's default)."""
    if "window" in request.fixturenames:
        request.getfixturevalue("window").set_language("en")


def audit_lines(services) -> list[dict]:
    path = services.ops.audit.path
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def actions(services) -> list[tuple[str, str]]:
    return [(line["actor"], line["action"]) for line in audit_lines(services)]


def audited(mode) -> list[str]:
    """The actions staff mode has finished writing (the line and its head are on disk)."""
    done: list[str] = []
    mode.audited.connect(done.append)
    return done


def type_and_sign_in(qtbot, mode, staff_id: str, pin: str) -> None:
    panel = mode.signin
    qtbot.waitUntil(panel.isVisible, timeout=5_000)
    panel.staff_id.clear()
    qtbot.keyClicks(panel.staff_id, staff_id)
    click(qtbot, panel.pin)
    for digit in pin:  # on the touch keypad, as staff at a kiosk without a keyboard would
        click(qtbot, panel.keypad.digit_buttons[digit])
    assert panel.pin.echoMode() == panel.pin.EchoMode.Password
    click(qtbot, panel.sign_in_button)
    assert panel.pin.text() == ""  # the PIN left the widget at once
    qtbot.waitUntil(lambda: not panel.checking, timeout=10_000)


def sign_in(qtbot, window) -> None:
    mode = window.staff_mode
    mode.open()
    type_and_sign_in(qtbot, mode, STAFF_ID, PIN)
    qtbot.waitUntil(mode.dashboard.isVisible, timeout=5_000)
    qtbot.waitUntil(lambda: mode.dashboard.snapshot is not None, timeout=10_000)


def test_long_press_and_shortcut_open_sign_in_and_staff_sign_in(qtbot, window, services, staff,
                                                                  caplog):
    mode = window.staff_mode
    emblem = window.header.emblem
    qtbot.mousePress(emblem, Qt.LeftButton)
    qtbot.mouseRelease(emblem, Qt.LeftButton)  # a tap does nothing
    assert not mode.long_press.pressing and not mode.signin.isVisible()
    qtbot.mousePress(emblem, Qt.LeftButton)
    qtbot.waitUntil(mode.signin.isVisible, timeout=6_000)  # held for 3 s
    qtbot.mouseRelease(emblem, Qt.LeftButton)
    click(qtbot, mode.signin.cancel_button)
    assert not mode.signin.isVisible()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    with qtbot.waitSignal(mode.shortcut.activated, timeout=5_000):
        qtbot.keyClick(window, Qt.Key_S, Qt.ControlModifier | Qt.AltModifier)
    assert mode.signin.isVisible()

    type_and_sign_in(qtbot, mode, STAFF_ID, PIN)

    qtbot.waitUntil(mode.dashboard.isVisible, timeout=5_000)
    assert mode.session.staff_id == STAFF_ID
    assert (STAFF_ID, "staff.sign_in") in actions(services)
    qtbot.waitUntil(lambda: mode.dashboard.snapshot is not None, timeout=10_000)
    assert mode.dashboard.values["counts"].text().count(": 0") == 5
    assert mode.dashboard.values["portal"].text() != ""
    assert PIN not in services.ops.audit.path.read_text(encoding="utf-8")
    assert PIN not in caplog.text and PIN not in " ".join(visible_texts(window))

    before = mode.session.expires_at
    mode._extended_at = 0.0  # the session is extended at most every 5 s: allow it now
    click(qtbot, mode.dashboard.refresh_button)  # activity on the dashboard keeps it alive
    assert mode.session.expires_at > before

    done = audited(mode)
    click(qtbot, mode.dashboard.sign_out_button)
    assert mode.session is None and not mode.dashboard.isVisible()
    qtbot.waitUntil(lambda: "staff.sign_out" in done, timeout=5_000)
    assert (STAFF_ID, "staff.sign_out") in actions(services)
    assert verify(services.ops.audit.path).ok


def test_wrong_pins_lock_the_account_and_the_panel_never_says_which(qtbot, window, services,
                                                                    staff):
    mode = window.staff_mode
    mode.open()
    for _ in range(5):  # the fifth wrong PIN locks
        type_and_sign_in(qtbot, mode, STAFF_ID, "918273")
        assert "Wrong staff ID or PIN, or the account is locked" in mode.signin.problem.text()
    answer = mode.signin.problem.text()
    type_and_sign_in(qtbot, mode, STAFF_ID, PIN)  # even the right PIN is refused now...
    assert mode.session is None and not mode.dashboard.isVisible()
    assert mode.signin.problem.text() == answer  # ...with the very same words
    type_and_sign_in(qtbot, mode, "NV404", PIN)  # and an unknown ID too
    assert mode.signin.problem.text() == answer
    logged = actions(services)
    assert logged.count(("system", "staff.sign_in_failed")) == 6
    assert logged.count(("system", "staff.locked_out")) == 1
    assert (STAFF_ID, "staff.sign_in") not in logged


def test_session_expiry_signs_staff_out(qtbot, window, services, staff):
    mode = window.staff_mode
    done = audited(mode)
    session = services.ops.staff.authenticate(STAFF_ID, PIN)
    mode.signin.signed_in.emit(session.extended(session.started_at, 1.0))  # a 1 s session
    assert mode.dashboard.isVisible()
    with qtbot.waitSignal(mode.session_changed, timeout=5_000) as blocker:
        pass
    assert blocker.args == [None] and not mode.dashboard.isVisible()
    qtbot.waitUntil(lambda: "staff.sign_out" in done, timeout=5_000)
    assert audit_lines(services)[-1]["details"] == {"reason": "expired"}
    mode.open()  # the gesture asks for the PIN again
    assert mode.signin.isVisible() and not mode.dashboard.isVisible()


def test_assisted_journey_is_recorded_in_payload_receipt_and_audit(qtbot, window, services,
                                                                   staff, profile):
    mode = window.staff_mode
    done = audited(mode)
    sign_in(qtbot, window)
    click(qtbot, mode.dashboard.assist_button)
    assert not mode.dashboard.isVisible()
    assert mode.badge.isVisible() and STAFF_ID in mode.badge.text()

    identify_with_card(qtbot, window, services, profile)
    choose(qtbot, window, CRIMINAL_RECORD)
    fill_criminal_record_rest(qtbot, window.screens[Step.FORM])
    assert finish_form(qtbot, window)
    receipt = submit_from_review(qtbot, window)

    assert receipt.status.value == "sent"
    note = mode.receipt_note
    assert note.isVisible() and STAFF_ID in note.text()
    entry = services.outbox.get(services.outbox.list()[0].id, with_payload=True)
    assert entry.payload["assisted_by"] == STAFF_ID
    store = services.embedded_portal.store
    with closing(sqlite3.connect(store.path)) as conn:
        (body_hash,) = conn.execute("SELECT body_hash FROM idempotency WHERE key = ?",
                                    (entry.idempotency_key,)).fetchone()
    assert body_hash == canonical_hash(entry.payload)  # the portal got the marked payload

    click(qtbot, window.screens[Step.RECEIPT].primary_button)
    wait_step(qtbot, window, Step.WELCOME)
    assert not mode.badge.isVisible() and not note.isVisible()
    qtbot.waitUntil(lambda: "assist.end" in done, timeout=5_000)
    logged = actions(services)
    assert logged.index((STAFF_ID, "assist.start")) < logged.index((STAFF_ID, "assist.end"))
    assert (STAFF_ID, "assist.submit") in logged
    assert profile.full_name not in services.ops.audit.path.read_text(encoding="utf-8")
    assert verify(services.ops.audit.path).ok


def test_needs_attention_entry_is_resolved_by_a_staff_retry(qtbot, window, services, staff):
    payload = {"unit_code": services.config.kiosk.unit_code,
               "kiosk_id": services.config.kiosk.kiosk_id, "procedure_code": UNKNOWN_PROCEDURE,
               "applicant": {"id_number": "079195012345", "full_name": "Trần Thị Minh Anh",
                             "date_of_birth": "1995-03-14", "sex": "F", "identified_by": "chip"},
               "form": {"copies": 1}, "submitted_at": "2026-11-27T09:30:00+07:00"}
    entry = services.outbox.enqueue(UNKNOWN_PROCEDURE, payload)
    services.sync_thread.wake()
    qtbot.waitUntil(lambda: services.outbox.get(entry.id).state == "needs_attention",
                    timeout=15_000)

    sign_in(qtbot, window)
    mode = window.staff_mode
    dashboard = mode.dashboard
    assert "needs attention: 1" in dashboard.values["counts"].text()
    row = dashboard.findChild(type(dashboard.title), f"attention-{entry.id}")
    assert entry.local_ref in row.text() and "procedure" in row.text()
    assert UNKNOWN_PROCEDURE in dashboard.values["today"].text()

    portal = services.embedded_portal  # the portal has since published the procedure
    portal.procedures[UNKNOWN_PROCEDURE] = {**portal.procedures[CRIMINAL_RECORD],
                                            "code": UNKNOWN_PROCEDURE}
    with qtbot.waitSignal(mode.audited, timeout=10_000,
                          check_params_cb=lambda action: action == "outbox.retry"):
        click(qtbot, dashboard.retry_buttons[entry.id])

    qtbot.waitUntil(lambda: services.outbox.get(entry.id).state == "sent", timeout=15_000)
    line = next(line for line in audit_lines(services) if line["action"] == "outbox.retry")
    assert (line["actor"], line["target"]) == (STAFF_ID, entry.local_ref)
    click(qtbot, dashboard.refresh_button)
    qtbot.waitUntil(lambda: entry.id not in dashboard.retry_buttons, timeout=10_000)
    assert "needs attention: 0" in dashboard.values["counts"].text()


def test_retry_all_sends_every_parked_entry_in_one_audited_action(qtbot, window, services, staff):
    payload = {"unit_code": services.config.kiosk.unit_code,
               "kiosk_id": services.config.kiosk.kiosk_id, "procedure_code": UNKNOWN_PROCEDURE,
               "applicant": {"id_number": "079195012345", "identified_by": "typed"},
               "form": {"copies": 1}, "submitted_at": "2026-11-27T09:30:00+07:00"}
    entries = [services.outbox.enqueue(UNKNOWN_PROCEDURE, {**payload, "form": {"copies": n}})
               for n in (1, 2)]
    services.sync_thread.wake()
    qtbot.waitUntil(lambda: all(services.outbox.get(e.id).state == "needs_attention"
                                for e in entries), timeout=15_000)
    sign_in(qtbot, window)
    dashboard = window.staff_mode.dashboard
    assert dashboard.retry_all_button.isVisible()
    portal = services.embedded_portal
    portal.procedures[UNKNOWN_PROCEDURE] = {**portal.procedures[CRIMINAL_RECORD],
                                            "code": UNKNOWN_PROCEDURE}
    with qtbot.waitSignal(window.staff_mode.audited, timeout=10_000,
                          check_params_cb=lambda action: action == "outbox.retry_all"):
        click(qtbot, dashboard.retry_all_button)
    qtbot.waitUntil(lambda: all(services.outbox.get(e.id).state == "sent" for e in entries),
                    timeout=15_000)
    line = next(line for line in audit_lines(services) if line["action"] == "outbox.retry_all")
    assert line["actor"] == STAFF_ID and line["details"]["count"] == 2
    assert sorted(line["details"]["local_refs"]) == sorted(e.local_ref for e in entries)


def test_time_helpers_round_up_and_use_vietnam_days():
    from datetime import datetime, timedelta, timezone

    from hypothesis import given, strategies as st

    from ui.staff.dashboard import format_age
    from ui.staff.snapshot import start_of_day

    assert format_age(None) == "—" and format_age(75) == "1:15" and format_age(7260) == "2 h 01 min"
    ict = timezone(timedelta(hours=7))
    # 23:30 UTC on the 26th is 06:30 on the 27th in Vietnam: that day starts at 17:00 UTC on the 26th
    now = datetime(2026, 11, 26, 23, 30, tzinfo=UTC).timestamp()
    assert start_of_day(now) == datetime(2026, 11, 27, tzinfo=ict).timestamp()

    @given(st.floats(min_value=0, max_value=4e9, allow_nan=False))
    def midnight_is_at_most_a_day_before(t: float) -> None:
        start = start_of_day(t)
        assert start <= t < start + 86400
        assert datetime.fromtimestamp(start, ict).time().isoformat() == "00:00:00"

    midnight_is_at_most_a_day_before()


def test_dashboard_names_lost_entries_and_a_wrong_path_to_the_portal(qtbot, window, services,
                                                                     staff):
    services.outbox._conn.execute(
        "INSERT INTO lost_entry (source, local_ref, procedure_code, reason, found_at)"
        " VALUES ('outbox.sqlite3.corrupt-x', 'Q-261127-0042', '1.001193', 'destroyed', 1)")
    from kiosk.portal.faults import Faults

    services.embedded_portal.faults = Faults(misroute=True)  # a proxy's 404 page for everything
    payload = {"unit_code": services.config.kiosk.unit_code,
               "kiosk_id": services.config.kiosk.kiosk_id, "procedure_code": CRIMINAL_RECORD,
               "applicant": {"id_number": "079195012345", "identified_by": "typed"},
               "form": {"copies": 1}, "submitted_at": "2026-11-27T09:30:00+07:00"}
    entry = services.outbox.enqueue(CRIMINAL_RECORD, payload)
    services.sync_thread.wake()
    qtbot.waitUntil(lambda: services.engine.alarm == "misrouted", timeout=15_000)
    assert services.outbox.get(entry.id).state != "needs_attention"  # nothing parked
    sign_in(qtbot, window)
    dashboard = window.staff_mode.dashboard
    problems = dashboard.values["problems"].text()
    assert "portal address looks wrong" in problems and "1 lost with a damaged outbox" in problems
    row = dashboard.findChild(type(dashboard.title), next(
        f"lost-{e.id}" for e in services.outbox.lost_entries()))
    assert "Q-261127-0042" in row.text() and "apply again" in row.text()
