"""Identify: put the card on the reader, show its QR code, or type the 12-digit ID number.

A chip read shows a progress bar with what is being read in plain words, then the portrait and the
key details with the verification mark (``ChipResult``); the citizen continues from there. A
reader that needs the card's key first (PC/SC: ``KeyRequired``) gets it from the typed ID number
(CAN) or from the card's QR code (CAN + date of birth for BAC): the main window asks again. A
card without PACE whose BAC key needs the date of birth (``BirthDateRequired``) makes the same
keypad ask for the date of birth (8 digits, day month year): the ID number was not wrong.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (QHBoxLayout, QLineEdit, QProgressBar, QSizePolicy,
                               QStackedWidget, QWidget)

from kiosk.domain.clean_text import DateKind, UnsafeText, check_date
from kiosk.domain.flow import Flow
from kiosk.domain.identity import CitizenIdentity, IdSource, check_id_number
from ui.screens.base import Screen
from ui.texts import describe_id_problem, read_step_text
from ui.widgets.chip_result import ChipResult
from ui.widgets.common import Card, ProblemLabel, button, label
from ui.widgets.keypad import NumericKeypad

__all__ = ["IdentifyScreen"]

#: the files of a read in order, with the share of the bar each gets (the portrait is most of it);
#: DG14 comes first because chip authentication with its key protects the rest of the read
_FILE_WEIGHTS = (("EF.COM", 3), ("DG14", 3), ("DG1", 4), ("DG2", 65), ("DG11", 2), ("DG12", 2),
                 ("DG13", 8), ("DG15", 3), ("EF.SOD", 10))
_TOTAL_WEIGHT = sum(weight for _, weight in _FILE_WEIGHTS)
_FILE_START = {name: (sum(w for _, w in _FILE_WEIGHTS[:i]), weight)
               for i, (name, weight) in enumerate(_FILE_WEIGHTS)}


def read_fraction(file: str, done: int, total: int) -> float:
    """How far a read is (0..1) from the file being read and its bytes done."""
    start, weight = _FILE_START.get(file, (0, 0))
    return (start + weight * (done / total if total else 1.0)) / _TOTAL_WEIGHT


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
    #: the typed ID number, to open a chip that needs its key (the main window reads again)
    key_typed = Signal(str)
    #: the citizen wants to scan the QR code on the card with the scan view
    scan_requested = Signal()
    #: the date of birth (YYMMDD) typed because the chip's key needs it (no PACE on the card)
    birth_date_typed = Signal(str)

    def __init__(self, flow: Flow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self._key_needed = False
        self._reader_there = True  # a reader is connected (the reader bridge says otherwise)
        self._scanner_there = False  # a barcode scanner is plugged in
        self._birth_date_needed = False
        self.pages = QStackedWidget(self)
        choose = QWidget(self.pages)
        row = QHBoxLayout(choose)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(28)
        row.addWidget(self._build_card_panel(), 5)
        self.or_label = label("or", self, wrap=False)
        self.or_label.setAlignment(Qt.AlignCenter)
        row.addWidget(self.or_label)
        row.addWidget(self._build_typing_panel(), 6)
        self.result = ChipResult(self.pages)
        self.pages.addWidget(choose)
        self.pages.addWidget(self.result)
        self.body.addWidget(self.pages, 1)
        self.pages.currentChanged.connect(self._size_for_page)
        self._size_for_page(0)
        self.keypad.digit_pressed.connect(self._on_digit)
        self.keypad.backspace_pressed.connect(self.id_entry.backspace)
        self.keypad.clear_pressed.connect(self.id_entry.clear)
        self.id_entry.textChanged.connect(self._on_id_changed)
        self.scan_button.clicked.connect(self.scan_requested)
        self._on_id_changed("")

    def _build_card_panel(self) -> Card:
        panel = Card(self)
        self.card_heading = label("card-title", panel)
        picture = label("picture", panel, wrap=False)
        picture.setPixmap(card_picture(170))
        picture.setAlignment(Qt.AlignCenter)
        self.card_status = label("body", panel)
        self.card_status.setObjectName("card-status")
        self.card_progress = QProgressBar(panel)
        self.card_progress.setObjectName("card-progress")
        self.card_progress.setRange(0, 100)
        self.card_progress.setTextVisible(False)
        self.card_progress.setFixedHeight(14)
        self.qr_hint = label("caption", panel)
        self.qr_hint.setObjectName("qr-hint")
        self.qr_hint.hide()
        self.scan_button = button("secondary", panel, name="scan-card-qr")
        self.scan_button.hide()
        self.card_problem = ProblemLabel(panel)
        self.card_problem.setObjectName("card-problem")
        # the problem goes under the keys: appearing above them it would move them under a finger
        for widget in (self.card_heading, picture, self.card_status, self.card_progress,
                       self.qr_hint, self.scan_button, self.card_problem):
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
        for widget in (self.type_heading, self.id_entry, self.keypad, self.id_problem):
            panel.body.addWidget(widget)
        panel.body.addStretch(1)
        return panel

    def _size_for_page(self, index: int) -> None:
        """Only the page on show claims room (a stack would take the tallest of its pages)."""
        for i in range(self.pages.count()):
            policy = QSizePolicy.Preferred if i == index else QSizePolicy.Ignored
            self.pages.widget(i).setSizePolicy(policy, policy)

    # -- rendering -----------------------------------------------------------------------------
    @property
    def showing_result(self) -> bool:
        return self.pages.currentWidget() is self.result

    def enter(self) -> None:
        self.card_problem.clear()
        self.id_problem.clear()
        self.card_progress.hide()
        self._show_choices()
        self._show_card_waiting()

    def clear(self) -> None:
        self.id_entry.clear()
        self.id_problem.clear()
        self.card_problem.clear()
        self.card_progress.setValue(0)
        self.card_progress.hide()
        self._key_needed = False
        self._set_birth_date_mode(False)
        self._show_choices()

    def _show_choices(self) -> None:
        """Back to "card, QR or type"; the chip's result (portrait included) is wiped."""
        self.result.clear()
        self.pages.setCurrentIndex(0)
        self._on_id_changed(self.id_entry.text())
        self.retranslate_buttons()

    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("Who is applying?"))
        self.subtitle.setText(QCoreApplication.translate("IdentifyScreen",
                                 "We need your citizen ID card to fill in your details for you."))
        self.card_heading.setText(self.tr("Put your ID card on the reader"))
        if self._birth_date_needed:
            self.type_heading.setText(QCoreApplication.translate(
                "IdentifyScreen", "Type your date of birth: day, month and year (8 digits)"))
            self.id_entry.setPlaceholderText(QCoreApplication.translate(
                "IdentifyScreen", "for example 14031995"))
        else:
            self.type_heading.setText(self.tr("Or type your 12-digit ID number"))
            self.id_entry.setPlaceholderText(self.tr("12 digits"))
        self.or_label.setText(self.tr("or"))
        self.keypad.retranslate()
        self.qr_hint.setText(self.tr("Or hold the QR code on your card under the scanner's "
                                     "light."))
        self.scan_button.setText(self.tr("Scan the QR code on my card"))
        self.retranslate_buttons()
        self.result.retranslate()
        if self.card_progress.isHidden():
            self._show_card_waiting()

    def retranslate_buttons(self) -> None:
        if self.showing_result and self.result.outcome == "failed":
            self.primary_button.setText(self.tr("Continue and type my details  ›"))
        elif self.showing_result:
            self.primary_button.setText(self.tr("Yes, this is me  ›"))
        else:
            self.primary_button.setText(self.tr("Continue  ›"))

    def _show_card_waiting(self) -> None:
        if self._birth_date_needed:
            self.card_status.setText(QCoreApplication.translate(
                "IdentifyScreen", "This card can only be opened with the date of birth printed "
                                  "on it. Please type your date of birth with the keypad, or show "
                                  "the QR code on your card to the camera."))
            return
        if not self._reader_there:
            self.card_status.setText(QCoreApplication.translate(
                "IdentifyScreen", "No card reader is connected right now. Please type your "
                                  "12-digit ID number, or show the QR code on your card."))
            return
        if self._key_needed:
            self.card_status.setText(QCoreApplication.translate(
                "IdentifyScreen", "To open the card's chip, the kiosk needs the number printed on "
                                  "your card. Please type your 12-digit ID number, or show the QR "
                                  "code on your card to the camera."))
            return
        self.card_status.setText(QCoreApplication.translate(
            "IdentifyScreen", "Please place your ID card on the reader, chip side up, and leave "
                              "it there until the next screen appears."))

    # -- typed ID ------------------------------------------------------------------------------
    @property
    def _digits_wanted(self) -> int:
        return 8 if self._birth_date_needed else 12

    def _on_digit(self, digit: str) -> None:
        if len(self.id_entry.text()) < self._digits_wanted:
            self.id_entry.insert(digit)

    def _on_id_changed(self, text: str) -> None:
        digits = "".join(ch for ch in text if "0" <= ch <= "9")
        if digits != text:
            self.id_entry.setText(digits)
            return
        self.id_problem.clear()
        self.primary_button.setEnabled(self.showing_result or len(digits) == self._digits_wanted)

    def on_primary_clicked(self) -> None:
        if self.showing_result:
            self._continue_with_read()
            return
        if self._birth_date_needed:
            self._submit_birth_date()
            return
        number = self.id_entry.text()
        problems = check_id_number(number)
        if problems:
            self.id_problem.setText(" ".join(describe_id_problem(p) for p in problems))
            return
        if self._key_needed:
            self.key_typed.emit(number)  # open the chip with it: its details beat typing
            return
        if self.flow.allowed("identify"):
            self.flow.identify(CitizenIdentity(number, IdSource.TYPED))

    def _continue_with_read(self) -> None:
        card_read, outcome = self.result.card_read, self.result.outcome
        if card_read is None or not self.flow.allowed("identify"):
            return
        identity = card_read.identity
        if outcome == "failed":  # the chip's details are not trusted: the citizen types them
            identity = CitizenIdentity(identity.id_number, IdSource.TYPED)
        self._show_choices()  # the portrait is not needed any more: wipe it now
        self.flow.identify(identity)

    def on_back_clicked(self) -> None:
        if self.showing_result:
            self._show_choices()
            self._show_card_waiting()
            return
        super().on_back_clicked()

    # -- card reader (slots for CardReaderBridge) ----------------------------------------------
    def on_read_started(self) -> None:
        self.card_problem.clear()
        self.card_progress.setValue(0)
        self.card_progress.show()
        self.card_status.setText(QCoreApplication.translate(
            "IdentifyScreen", "Reading your card… please do not move it."))

    def on_read_progressed(self, file: str, done: int, total: int) -> None:
        value = int(read_fraction(file, done, total) * 100)
        self.card_progress.setValue(max(value, self.card_progress.value()))
        self.card_status.setText(read_step_text(file))

    def on_card_read(self, card_read) -> None:
        """Show the portrait, the details and the verification mark; the citizen continues."""
        self._key_needed = False
        self._set_birth_date_mode(False)
        self.card_progress.setValue(100)
        self.card_progress.hide()
        self.card_problem.clear()
        self.result.show_read(card_read)
        self.pages.setCurrentWidget(self.result)
        self.primary_button.setEnabled(True)
        self.retranslate_buttons()
        self._show_card_waiting()

    def on_read_failed(self, message: str) -> None:
        self.card_progress.hide()
        self._show_card_waiting()
        self.card_problem.setText(message)

    def _submit_birth_date(self) -> None:
        """DDMMYYYY -> YYMMDD for the chip's key, after checking it is a date someone has."""
        text = self.id_entry.text()
        try:
            born = check_date(dt.date(int(text[4:]), int(text[2:4]), int(text[:2])),
                              DateKind.BIRTH)
        except (ValueError, UnsafeText):
            self.id_problem.setText(QCoreApplication.translate(
                "IdentifyScreen", "This is not a date of birth. Please type the day, the month "
                                  "and the year, for example 14031995 for 14 March 1995."))
            return
        self.birth_date_typed.emit(born.strftime("%y%m%d"))
        self._set_birth_date_mode(False)

    def _set_birth_date_mode(self, on: bool) -> None:
        if on == self._birth_date_needed:
            return
        self._birth_date_needed = on
        self.id_entry.clear()
        self.id_entry.setMaxLength(self._digits_wanted)
        self.retranslate()

    def on_birth_date_required(self) -> None:
        """The card has no PACE and BAC needs the date of birth: ask for it on the keypad."""
        self.card_progress.hide()
        self._set_birth_date_mode(True)
        self._show_card_waiting()
        self.id_entry.setFocus()

    def on_key_required(self) -> None:
        self._key_needed = True
        self.card_progress.hide()
        self._show_card_waiting()
        if len(self.id_entry.text()) == 12:
            self.id_problem.clear()

    def set_qr_available(self, available: bool) -> None:
        """With a camera, one button says it all (the QR is also read without pressing it)."""
        self.scan_button.setVisible(available)

    def set_scanner_available(self, available: bool) -> None:
        """A barcode scanner is plugged in: say where to hold the card's QR code."""
        self._scanner_there = available
        self.qr_hint.setVisible(available)

    def set_reader_available(self, available: bool) -> None:
        """No reader: the card panel says to type the ID number (or show the QR code) instead."""
        self._reader_there = available
        if self.card_progress.isHidden():
            self._show_card_waiting()

    def offer_id(self, number: str) -> None:
        """The ID number from a card code the scanner damaged: ready to check and continue."""
        if not self.showing_result:
            self.id_entry.setText(number)

    def on_scan_failed(self, message: str) -> None:
        self.card_problem.setText(message)

    def on_card_removed(self) -> None:
        # Keep any explanation on screen (a card pulled mid-read reports both the failed read
        # and the removal, in either order); the next read clears it.
        self._key_needed = False
        self._set_birth_date_mode(False)
        if self.card_progress.isHidden():
            self._show_card_waiting()
