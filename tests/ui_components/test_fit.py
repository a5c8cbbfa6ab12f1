"""The fit checker (ui.fit) finds text a citizen cannot read whole: a label squeezed below its
lines (the tone marks of "Cấp Phiếu" first), a word wider than its label, a button too narrow for
its words, a widget outside its parent; and it finds nothing when everything fits, a procedure
tile with a two-line name included."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from ui.fit import clipped_widgets

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def holder(qtbot):
    widget = QWidget()
    widget.resize(400, 400)
    font = QFont("Noto Sans")
    font.setPixelSize(25)
    widget.setFont(font)
    qtbot.addWidget(widget)
    return widget


def shown(qtbot, widget):
    widget.show()
    qtbot.waitExposed(widget)
    return clipped_widgets(widget)


def test_a_label_squeezed_below_its_tone_marks_is_found(qtbot, holder):
    label = QLabel("Cấp Phiếu", holder)
    label.setObjectName("tile-title")
    label.setGeometry(0, 0, 300, label.fontMetrics().height() - 6)
    problems = shown(qtbot, holder)
    assert len(problems) == 1 and problems[0].startswith("tile-title 'Cấp Phiếu': ")


def test_a_wrapped_label_needs_all_its_lines(qtbot, holder):
    label = QLabel("Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", holder)
    label.setWordWrap(True)
    line = label.fontMetrics().height()
    label.setGeometry(0, 0, 200, line + 2)  # room for one line of several
    assert shown(qtbot, holder)
    label.setGeometry(0, 0, 200, label.heightForWidth(200))
    assert clipped_widgets(holder) == []


def test_a_button_too_narrow_for_its_words_and_a_widget_outside_its_parent(qtbot, holder):
    narrow = QPushButton("Tôi đồng ý, gửi hồ sơ", holder)
    narrow.setGeometry(0, 0, 60, 60)
    outside = QLabel("Xong", holder)
    outside.setGeometry(380, 380, 80, 40)
    problems = shown(qtbot, holder)
    assert any(p.startswith("QPushButton 'Tôi đồng ý, gửi hồ sơ'") for p in problems)
    assert any("reaches outside" in p and "'Xong'" in p for p in problems)


def test_everything_laid_out_by_its_layout_fits(qtbot, holder):
    column = QVBoxLayout(holder)
    for text in ("Ấp Đông", "Nhận kết quả", "Đổi giấy phép lái xe"):
        column.addWidget(QLabel(text))
        column.addWidget(QPushButton(text))
    assert shown(qtbot, holder) == []


def test_a_procedure_tile_gets_the_lines_of_its_name(qtbot, holder):
    from kiosk.domain.paths import PROCEDURES_DIR
    from kiosk.domain.procedures import Catalogue
    from ui.screens.choose import ProcedureButton

    procedure = Catalogue.load(PROCEDURES_DIR).get("3.000333")  # a name on two lines
    column = QVBoxLayout(holder)
    tile = ProcedureButton(procedure, "vi")
    column.addWidget(tile)
    column.addStretch(1)
    assert shown(qtbot, holder) == []
    assert tile.name.height() >= 2 * tile.name.fontMetrics().lineSpacing()
