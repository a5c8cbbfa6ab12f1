"""Kiosk lockdown through the real window: in kiosk mode it is frameless and full screen, the usual
key combinations and close requests do not close or minimise it (and a refused close is audited),
and only the app's own shutdown path closes it."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from kiosk.domain.flow import Step

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints", "pipewire")]

KEYS = [(Qt.Key_F4, Qt.AltModifier), (Qt.Key_W, Qt.ControlModifier),
        (Qt.Key_Q, Qt.ControlModifier), (Qt.Key_Escape, Qt.NoModifier)]


def audit_actions(services) -> list[tuple[str, str]]:
    text = services.ops.audit.path.read_text(encoding="utf-8")
    return [(line["actor"], line["action"]) for line in map(json.loads, text.splitlines())]


@pytest.fixture
def locked(qtbot, window):
    window.enter_kiosk_mode()
    qtbot.waitExposed(window, timeout=5_000)
    window.flow.start()
    qtbot.waitUntil(lambda: window.flow.step is Step.IDENTIFY, timeout=5_000)
    return window


def test_kiosk_mode_is_frameless_and_full_screen(locked):
    assert locked.windowFlags() & Qt.FramelessWindowHint
    assert locked.windowState() & Qt.WindowFullScreen
    assert locked.kiosk_locked


@pytest.mark.parametrize("key,modifier", KEYS, ids=["alt-f4", "ctrl-w", "ctrl-q", "escape"])
def test_key_combinations_do_not_close_the_kiosk(qtbot, locked, key, modifier):
    page = locked.stack.currentWidget()
    qtbot.keyClick(locked, key, modifier)
    qtbot.keyClick(locked.focusWidget() or locked, key, modifier)
    assert locked.isVisible() and not locked.isMinimized()
    assert locked.flow.step is Step.IDENTIFY and locked.stack.currentWidget() is page


def test_close_request_is_refused_and_audited(qtbot, locked, services):
    with qtbot.waitSignal(locked.staff_mode.audited, timeout=10_000,
                          check_params_cb=lambda action: action == "kiosk.close_blocked"):
        assert locked.close() is False
    assert locked.isVisible() and locked.flow.step is Step.IDENTIFY
    assert ("system", "kiosk.close_blocked") in audit_actions(services)


def test_minimising_brings_the_kiosk_back_full_screen(qtbot, locked):
    locked.showMinimized()
    qtbot.waitUntil(lambda: not locked.windowState() & Qt.WindowMinimized, timeout=5_000)
    assert locked.windowState() & Qt.WindowFullScreen and locked.isVisible()


def test_the_apps_own_shutdown_still_closes_the_window(locked):
    locked.shutdown()
    assert locked.close() is True
    assert not locked.isVisible()


def test_a_windowed_kiosk_closes_normally(window):
    assert not window.kiosk_locked
    assert window.close() is True
