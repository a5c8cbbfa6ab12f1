"""The header keeps every key whole: at a width where the controls do not fit beside the brand the
brand steps aside, then the gaps tighten, then read aloud shows its icon alone (its name stays for
screen readers); and fitting settles (no layout request keeps asking for another)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont

from ui.fit import clipped_widgets
from ui.widgets.chrome import Header

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def header(qtbot):
    widget = Header("000")
    font = QFont("Noto Sans")
    font.setPixelSize(30)
    widget.setFont(font)
    widget.call_staff.setText("🛎 Gọi hỗ trợ")
    qtbot.addWidget(widget)
    return widget


def shown_at(qtbot, header: Header, width: int) -> list[str]:
    header.resize(width, header.sizeHint().height())
    header.show()
    qtbot.waitExposed(header)
    QCoreApplication.processEvents()
    return clipped_widgets(header)


def needed(header: Header, level: int) -> int:
    return header._controls_width(level)


def test_wide_enough_shows_brand_and_words(qtbot, header):
    header.resize(100, 10)
    width = needed(header, 0) + header.brand.sizeHint().width() + 40
    assert shown_at(qtbot, header, width) == []
    assert header.brand.isVisible() and header.read_aloud.text().endswith("Read aloud")


def test_the_brand_steps_aside_before_any_key_shrinks(qtbot, header):
    width = needed(header, 0) + 5
    assert shown_at(qtbot, header, width) == []
    assert not header.brand.isVisible()
    assert header.layout().spacing() == Header.GAPS[0][0]


def test_then_the_gaps_tighten_then_read_aloud_keeps_its_icon(qtbot, header):
    tight = needed(header, 1)
    assert shown_at(qtbot, header, tight + 2) == []
    assert header.layout().spacing() == Header.GAPS[1][0]
    assert header.read_aloud.text().endswith("Read aloud")
    icon_only = needed(header, 2)
    assert icon_only < tight
    assert shown_at(qtbot, header, icon_only + 2) == []
    assert header.read_aloud.text() == "🔊"
    assert header.read_aloud.accessibleName() == "Read aloud"


def test_a_longer_connection_word_refits_at_once(qtbot, header):
    width = needed(header, 0) + 2
    assert shown_at(qtbot, header, width) == []
    header.indicator.text.setText(header.indicator.text.text() + " ···")
    header.indicator.text.updateGeometry()
    qtbot.waitUntil(lambda: clipped_widgets(header) == [], timeout=2000)
    assert header.layout().spacing() == Header.GAPS[1][0]


def test_fitting_settles(qtbot, header, monkeypatch):
    shown_at(qtbot, header, needed(header, 2) + 2)
    calls = []
    original = header.fit_brand
    monkeypatch.setattr(header, "fit_brand", lambda: (calls.append(1), original()))
    for _ in range(5):
        QCoreApplication.processEvents()
    assert calls == []
