"""A big numeric keypad for typing the 12-digit ID number without a keyboard."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from ui.widgets.common import button

__all__ = ["NumericKeypad"]


class NumericKeypad(QWidget):
    digit_pressed = Signal(str)
    backspace_pressed = Signal()
    clear_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setSpacing(8)
        grid.setContentsMargins(0, 0, 0, 0)
        self.digit_buttons: dict[str, QPushButton] = {}
        for index, digit in enumerate("123456789"):
            self._add_digit(grid, digit, index // 3, index % 3)
        self.clear_button = button("key-quiet", self, name="keypad-clear")
        self.clear_button.clicked.connect(self.clear_pressed)
        grid.addWidget(self.clear_button, 3, 0)
        self._add_digit(grid, "0", 3, 1)
        self.backspace_button = button("key-quiet", self, name="keypad-backspace")
        self.backspace_button.clicked.connect(self.backspace_pressed)
        grid.addWidget(self.backspace_button, 3, 2)
        self.retranslate()

    def _add_digit(self, grid: QGridLayout, digit: str, row: int, column: int) -> None:
        key = button("key", self, name=f"keypad-{digit}")
        key.setText(digit)
        key.setMinimumSize(88, 68)
        key.clicked.connect(lambda _=False, d=digit: self.digit_pressed.emit(d))
        grid.addWidget(key, row, column)
        self.digit_buttons[digit] = key

    def retranslate(self) -> None:
        self.clear_button.setText(self.tr("Clear"))
        self.backspace_button.setText("⌫")
        self.backspace_button.setAccessibleName(
            self.tr("Delete last digit"))
