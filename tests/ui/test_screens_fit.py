"""Every screen of the journey fits the kiosk's 1280x800 screen in every theme.

Runs the screenshot scenes (kiosk/app/screenshots.py: the citizen's journey, chip warnings, a
document photo and the SMS choice, the card taken away, staff sign-in, dashboard and hints, the
offline journey) on real services, and checks the window never needs more than the screen: a
screen that does is squeezed and clipped on a real kiosk. It also keeps `make screenshots` working.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.app.screenshots import shoot_theme

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.mark.parametrize("theme", ["normal", "large", "contrast"])
def test_every_screen_fits_1280x800(qapp, tmp_path, theme):
    shooter = shoot_theme(QApplication.instance(), theme, tmp_path / theme)
    assert len(shooter.names) >= 30 and all((tmp_path / theme / n).exists() for n in shooter.names)
    assert shooter.overflows == []
