"""The camera that stops delivering pictures and comes back: the screens stop offering it, and a
camera plugged back in (a hot-plug event) is restarted and offered again."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from devices.camera.errors import CameraDisconnected
from devices.hotplug import DeviceAdded
from kiosk.domain.flow import Step
from ui_helpers import wait_step

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_a_camera_that_dies_and_comes_back(qtbot, window, services):
    qtbot.mouseClick(window.screens[Step.WELCOME].primary_button, Qt.LeftButton)
    wait_step(qtbot, window, Step.IDENTIFY)
    identify = window.screens[Step.IDENTIFY]
    qtbot.waitUntil(lambda: services.camera.latest() is not None, timeout=5_000)
    assert identify.scan_button.isVisible()
    services.camera._fail(CameraDisconnected())  # what the capture thread does when unplugged
    qtbot.waitUntil(lambda: not identify.scan_button.isVisible(), timeout=3_000)
    services.hotplug._subscribers.emit(DeviceAdded("camera", "/dev/video0"))  # plugged back in
    qtbot.waitUntil(lambda: identify.scan_button.isVisible(), timeout=5_000)
    assert services.camera.error is None
    qtbot.waitUntil(lambda: services.camera.latest() is not None, timeout=5_000)
