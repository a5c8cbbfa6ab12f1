"""The staff sign-in panel: staff ID and PIN, checked off the GUI thread (scrypt takes ~0.1 s and
a locked staff file can take longer). A wrong ID, a wrong PIN and a locked account get the same
answer: the panel never tells which.

The PIN is masked, never logged, and wiped from the field as soon as it is handed to the check and
whenever the panel closes. The panel is an overlay inside the window (no OS dialogs on a kiosk).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.services.ops.staff import BadCredentials
from ui.keyboard.layouts import Layout
from ui.keyboard.widget import OnScreenKeyboard
from ui.widgets.common import Card, ProblemLabel, button, label
from ui.widgets.keypad import NumericKeypad
from ui.worker import Worker

__all__ = ["StaffSignInPanel"]

log = logging.getLogger(__name__)

ABANDON_MS = 60_000


class StaffSignInPanel(QWidget):
    """Emits ``signed_in(StaffSession)`` on success; ``closed`` when staff cancel."""

    signed_in = Signal(object)
    closed = Signal()

    def __init__(self, authenticate: Callable[[str, str], Any], worker: Worker,
                 parent: QWidget, *, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.setObjectName("overlay")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self._authenticate, self._worker, self._clock = authenticate, worker, clock
        self.checking = False
        #: a panel left open (staff called away) closes by itself, so citizens never face it
        self._abandon = QTimer(self)
        self._abandon.setSingleShot(True)
        self._abandon.setInterval(ABANDON_MS)
        self._abandon.timeout.connect(self.close_panel)
        self._build()
        self.retranslate()
        self.hide()

    def _build(self) -> None:
        """The fields and buttons on the left, the keys for the field being typed on the right
        (letters for the staff ID, the keypad for the PIN): side by side, so the panel fits the
        screen at every text size."""
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 24)
        outer.setAlignment(Qt.AlignCenter)
        self.card = Card(self, kind="dialog")
        self.card.setObjectName("staff-sign-in")
        self.card.setMaximumWidth(1160)
        self.title = label("title", self.card)
        self.id_label = label("field-label", self.card)
        self.staff_id = QLineEdit(self.card)
        self.staff_id.setObjectName("staff-id")
        self.staff_id.setMaxLength(32)
        self.pin_label = label("field-label", self.card)
        self.pin = QLineEdit(self.card)
        self.pin.setObjectName("staff-pin")
        self.pin.setEchoMode(QLineEdit.Password)
        self.pin.setMaxLength(12)
        self.pin.setValidator(QRegularExpressionValidator(r"\d{0,12}", self.pin))
        self.pin.setInputMethodHints(Qt.ImhDigitsOnly | Qt.ImhSensitiveData | Qt.ImhNoPredictiveText)
        self.problem = ProblemLabel(self.card)
        self.problem.setObjectName("staff-sign-in-problem")
        self.keyboard = OnScreenKeyboard(self.card, layout=Layout.CODE, method="none")
        self.keyboard.target = self.staff_id
        self.keypad = NumericKeypad(self.card)
        row = QHBoxLayout()
        self.cancel_button = button("secondary", self.card, name="staff-cancel")
        self.sign_in_button = button("primary", self.card, name="staff-sign-in-button")
        row.addWidget(self.cancel_button, 1)
        row.addWidget(self.sign_in_button, 1)
        fields = QVBoxLayout()
        for widget in (self.title, self.id_label, self.staff_id, self.pin_label, self.pin,
                       self.problem):
            fields.addWidget(widget)
        fields.addStretch(1)
        keys = QVBoxLayout()
        keys.addWidget(self.keyboard)
        keys.addWidget(self.keypad)
        keys.addStretch(1)
        columns = QHBoxLayout()
        columns.setSpacing(28)
        columns.addLayout(fields, 1)
        columns.addLayout(keys, 2)
        self.card.body.addLayout(columns)
        self.card.body.addLayout(row)
        outer.addWidget(self.card)
        self.keypad.digit_pressed.connect(self._type_digit)
        self.keypad.backspace_pressed.connect(lambda: self._active_field().backspace())
        self.keypad.clear_pressed.connect(lambda: self._active_field().clear())
        self.cancel_button.clicked.connect(self.close_panel)
        self.sign_in_button.clicked.connect(self.submit)
        self.keyboard.key_pressed.connect(lambda _key: self._abandon.start())
        self.staff_id.returnPressed.connect(self.pin.setFocus)
        self.pin.returnPressed.connect(self.submit)
        for field in (self.staff_id, self.pin):
            field.installEventFilter(self)
        self._activate(self.staff_id)

    # -- fields ------------------------------------------------------------------------------------
    def _active_field(self) -> QLineEdit:
        return self.staff_id if self.keyboard.isVisibleTo(self.card) else self.pin

    def _activate(self, field: QLineEdit) -> None:
        """The letter keyboard serves the staff ID; the PIN gets only the keypad."""
        self.keyboard.setVisible(field is self.staff_id)
        self.keypad.setVisible(field is self.pin)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind in (QEvent.FocusIn, QEvent.MouseButtonPress) and watched in (self.staff_id, self.pin):
            self._activate(watched)
        if kind in (QEvent.KeyPress, QEvent.MouseButtonPress) and self.isVisible():
            self._abandon.start()
        return False

    def _type_digit(self, digit: str) -> None:
        self._abandon.start()
        self._active_field().insert(digit)

    # -- opening and closing -----------------------------------------------------------------------
    def open_panel(self) -> None:
        self.staff_id.clear()
        self.pin.clear()
        self.problem.clear()
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()
        self._abandon.start()
        self._activate(self.staff_id)
        self.staff_id.setFocus()

    def close_panel(self) -> None:
        self.pin.clear()
        self.staff_id.clear()
        self._abandon.stop()
        self.hide()
        self.closed.emit()

    # -- checking ----------------------------------------------------------------------------------
    def submit(self) -> None:
        staff_id, pin = self.staff_id.text().strip(), self.pin.text()
        self.pin.clear()  # the PIN leaves the widget at once; only the check holds it
        self._abandon.start()
        if self.checking:
            return
        if not staff_id or not pin:
            self.problem.setText(self.tr("Type your staff ID and your PIN."))
            return
        self.checking = True
        self.sign_in_button.setEnabled(False)
        self.problem.setText(self.tr("Checking…"))
        check = self._authenticate
        self._worker.run(lambda: check(staff_id, pin), self._on_ok, self._on_error,
                         name="staff-sign-in")

    def _on_ok(self, session: Any) -> None:
        self._done()
        self._abandon.stop()
        self.problem.clear()
        self.staff_id.clear()
        self.hide()
        self.signed_in.emit(session)

    def _on_error(self, exc: BaseException) -> None:
        self._done()
        if isinstance(exc, BadCredentials):  # also a locked account: the panel never says which
            self.problem.setText(self.tr("Wrong staff ID or PIN, or the account is locked for a "
                                         "while. Try again later, or ask IT."))
        else:
            log.error("Staff sign-in failed: %s", type(exc).__name__)
            self.problem.setText(self.tr("Staff accounts cannot be checked right now. "
                                         "Please ask IT to run `kiosk doctor`."))

    def _done(self) -> None:
        self.checking = False
        self.sign_in_button.setEnabled(True)

    # -- language ----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(self.tr("Staff sign-in"))
        self.id_label.setText(self.tr("Staff ID"))
        self.pin_label.setText(self.tr("PIN"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.sign_in_button.setText(self.tr("Sign in"))
        self.keypad.retranslate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
