"""Identify: put the card on the reader, or type the 12-digit ID number on a big keypad."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QProgressBar, QWidget

from kiosk.flow import Flow
from kiosk.identity import CitizenIdentity, IdSource, check_id_number
from ui.screens.base import Screen
from ui.texts import describe_id_problem
from ui.widgets.common import Card, ProblemLabel, label
from ui.widgets.keypad import NumericKeypad

__all__ = ["IdentifyScreen"]

_CARD_FILES = ("DG1", "DG2", "DG13")


def card_picture(width: int = 260) -> QPixmap:
    """A simple drawing of an ID card on a reader (no image files to ship or license)."""
    height = int(width * 0.72)
    pixmap = QPixmap(width, height)
    pixmap.fill(Qt.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.Antialiasing)
    p.setPen(Qt.NoPen)
    p.setBrush(QColor("#D5DEEA"))
    p.drawRoundedRect(QRectF(8, height * 0.55, width - 16, height * 0.42), 18, 18)
    card = QRectF(width * 0.16, 6, width * 0.68, height * 0.62)
    p.setBrush(QColor("#FFFFFF"))
    p.setPen(QPen(QColor("#0B4A8B"), 4))
    p.drawRoundedRect(card, 12, 12)
    p.setPen(Qt.NoPen)
    p.setBrush(QColor("#E0A526"))
    p.drawRoundedRect(QRectF(card.left() + 18, card.top() + 30, 42, 32), 6, 6)
    p.setBrush(QColor("#9FB3CC"))
    for i in range(3):
        line = QRectF(card.left() + 76, card.top() + 30 + i * 18, card.width() - 100, 8)
        p.drawRoundedRect(line, 4, 4)
    p.end()
    return pixmap


class IdentifyScreen(Screen):
    def __init__(self, flow: Flow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        row = QHBoxLayout()
        row.setSpacing(28)
        row.addWidget(self._build_card_panel(), 5)
        self.or_label = label("or", self, wrap=False)
        self.or_label.setAlignment(Qt.AlignCenter)
        row.addWidget(self.or_label)
        row.addWidget(self._build_typing_panel(), 6)
        self.body.addLayout(row, 1)
        self.keypad.digit_pressed.connect(self._on_digit)
        self.keypad.backspace_pressed.connect(self.id_entry.backspace)
        self.keypad.clear_pressed.connect(self.id_entry.clear)
        self.id_entry.textChanged.connect(self._on_id_changed)
        self._on_id_changed("")

    def _build_card_panel(self) -> Card:
        panel = Card(self)
        self.card_heading = label("card-title", panel)
        picture = label("picture", panel, wrap=False)
        picture.setPixmap(card_picture(220))
        picture.setAlignment(Qt.AlignCenter)
        self.card_status = label("body", panel)
        self.card_status.setObjectName("card-status")
        self.card_progress = QProgressBar(panel)
        self.card_progress.setRange(0, 100)
        self.card_progress.setTextVisible(False)
        self.card_progress.setFixedHeight(14)
        self.qr_hint = label("caption", panel)
        self.qr_hint.setObjectName("qr-hint")
        self.qr_hint.hide()
        self.card_problem = ProblemLabel(panel)
        self.card_problem.setObjectName("card-problem")
        for widget in (self.card_heading, picture, self.card_status, self.card_progress,
                       self.qr_hint, self.card_problem):
            panel.body.addWidget(widget)
        panel.body.addStretch(1)
        return panel

    def _build_typing_panel(self) -> Card:
        panel = Card(self)
        self.type_heading = label("card-title", panel)
        self.id_entry = QLineEdit(panel)
        self.id_entry.setObjectName("id-entry")
        self.id_entry.setMaxLength(12)
        self.id_entry.setAlignment(Qt.AlignCenter)
        self.id_entry.setMinimumHeight(64)
        self.id_entry.setInputMethodHints(Qt.ImhDigitsOnly)
        self.id_problem = ProblemLabel(panel)
        self.id_problem.setObjectName("id-problem")
        self.keypad = NumericKeypad(panel)
        for widget in (self.type_heading, self.id_entry, self.id_problem, self.keypad):
            panel.body.addWidget(widget)
        return panel

    # -- rendering -----------------------------------------------------------------------------
    def enter(self) -> None:
        self.card_problem.clear()
        self.id_problem.clear()
        self.card_progress.hide()
        self._show_card_waiting()

    def clear(self) -> None:
        self.id_entry.clear()
        self.id_problem.clear()
        self.card_problem.clear()
        self.card_progress.setValue(0)
        self.card_progress.hide()

    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("Who is applying?"))
        self.subtitle.setText(QCoreApplication.translate("IdentifyScreen",
                                 "We need your citizen ID card to fill in your details for you."))
        self.card_heading.setText(self.tr("Put your ID card on the reader"))
        self.type_heading.setText(self.tr("Or type your 12-digit ID number"))
        self.id_entry.setPlaceholderText(self.tr("12 digits"))
        self.or_label.setText(self.tr("or"))
        self.keypad.retranslate()
        self.qr_hint.setText(self.tr("No reader? Hold the QR code on your card in front of the "
                                     "camera."))
        self.primary_button.setText(self.tr("Continue  ›"))
        if not self.card_progress.isVisible():
            self._show_card_waiting()

    def _show_card_waiting(self) -> None:
        self.card_status.setText(QCoreApplication.translate(
            "IdentifyScreen", "Please place your ID card on the reader, chip side up, and leave "
                              "it there until the next screen appears."))

    # -- typed ID ------------------------------------------------------------------------------
    def _on_digit(self, digit: str) -> None:
        if len(self.id_entry.text()) < 12:
            self.id_entry.insert(digit)

    def _on_id_changed(self, text: str) -> None:
        digits = "".join(ch for ch in text if ch.isdigit())
        if digits != text:
            self.id_entry.setText(digits)
            return
        self.id_problem.clear()
        self.primary_button.setEnabled(len(digits) == 12)

    def on_primary_clicked(self) -> None:
        number = self.id_entry.text()
        problems = check_id_number(number)
        if problems:
            self.id_problem.setText(" ".join(describe_id_problem(p) for p in problems))
            return
        if self.flow.allowed("identify"):
            self.flow.identify(CitizenIdentity(number, IdSource.TYPED))

    # -- card reader (slots for CardReaderBridge) ----------------------------------------------
    def on_read_started(self) -> None:
        self.card_problem.clear()
        self.card_progress.setValue(0)
        self.card_progress.show()
        self.card_status.setText(QCoreApplication.translate(
            "IdentifyScreen", "Reading your card… please do not move it."))

    def on_read_progressed(self, file: str, done: int, total: int) -> None:
        index = _CARD_FILES.index(file) if file in _CARD_FILES else 0
        fraction = (index + (done / total if total else 1)) / len(_CARD_FILES)
        self.card_progress.setValue(int(fraction * 100))

    def on_read_failed(self, message: str) -> None:
        self.card_progress.hide()
        self._show_card_waiting()
        self.card_problem.setText(message)

    def set_qr_available(self, available: bool) -> None:
        self.qr_hint.setVisible(available)

    def on_scan_failed(self, message: str) -> None:
        self.card_problem.setText(message)

    def on_card_removed(self) -> None:
        if not self.card_progress.isVisible():
            self.card_problem.clear()
