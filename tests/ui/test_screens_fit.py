"""Every screen of the journey fits the kiosk's 1280x800 screen in every look (three text sizes,
normal and high contrast) and both languages: no text clipped, tone marks included.

Runs the screenshot scenes (kiosk/app/screenshots.py: the citizen's journey, chip warnings, a
document photo and the SMS choice, the card taken away, staff sign-in, dashboard and hints, the
offline journey) on real services, one window per look reused scene after scene, and checks each
screen with ``ui.fit`` in Vietnamese and in English: a label, button or field whose text does not
fit its room, a widget squeezed below its minimum or reaching outside its parent, or a window that
needs more than the screen; and in Vietnamese, any visible text with a word only English uses
(an untranslated string, a category code). It also keeps `make screenshots` working.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.app.screenshots import shoot_look
from ui.look import LOOKS

pytestmark = [pytest.mark.gui, pytest.mark.slow, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.mark.parametrize("look", LOOKS, ids=[look.name for look in LOOKS])
def test_every_screen_fits_in_every_look_and_language(qapp, tmp_path, look):
    shooter = shoot_look(QApplication.instance(), look, tmp_path / look.name,
                         languages=("vi", "en"), save=False)
    assert len(shooter.names) >= 30
    assert shooter.overflows == [], "\n".join(shooter.overflows[:40])
    assert shooter.untranslated == [], "\n".join(shooter.untranslated[:40])
