"""Where is my application? From the welcome screen: type or scan the code on the receipt.

Not a step of the flow (no citizen session starts): the main window shows it and takes it away,
and runs the lookup (``kiosk.services.status.look_up``) on the worker. It goes back to the welcome
screen by itself after a while, so the next person does not see someone else's answer.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QProgressBar, QWidget

from kiosk.domain.flow import Flow
from ui.screens.base import Screen
from kiosk.services.status import StatusAnswer
from ui.texts import describe_receipt_problem
from ui.widgets.common import Card, ProblemLabel, button, label

__all__ = ["StatusScreen"]


class StatusScreen(Screen):
    has_cancel = False
    lookup_requested = Signal(str)  # the text typed or scanned
    scan_requested = Signal()       # open the scan view for the receipt's QR code
    closed = Signal()               # Back, or nobody touched it for ``auto_return_s``

    def __init__(self, flow: Flow, parent: QWidget | None = None, *,
                 auto_return_s: int = 90) -> None:
        super().__init__(flow, parent)
        self.answer: StatusAnswer | None = None
        panel = Card(self)
        self.entry_caption = label("card-title", panel)
        entry_row = QHBoxLayout()
        entry_row.setSpacing(16)
        self.entry = QLineEdit(panel)
        self.entry.setObjectName("status-entry")
        self.entry.setProperty("keyboard", "text")  # raises the on-screen keyboard (ui/assist.py)
        self.entry.setMinimumHeight(64)
        self.entry.setMaxLength(128)
        self.entry.setInputMethodHints(Qt.ImhPreferUppercase | Qt.ImhNoPredictiveText)
        self.scan_button = button("secondary", panel, name="scan-receipt")
        entry_row.addWidget(self.entry, 1)
        entry_row.addWidget(self.scan_button)
        self.example = label("caption", panel)
        self.busy = QProgressBar(panel)
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setFixedHeight(12)
        self.busy.hide()
        self.problem = ProblemLabel(panel)
        self.problem.setObjectName("status-problem")
        panel.body.addWidget(self.entry_caption)
        panel.body.addLayout(entry_row)
        panel.body.addWidget(self.example)
        panel.body.addWidget(self.busy)
        panel.body.addWidget(self.problem)
        self.result = Card(self, kind="receipt")
        self.result.setObjectName("status-result")
        self.result_title = label("receipt-status", self.result)
        self.result_code = label("title", self.result, wrap=False)
        self.result_code.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.result_text = label("body", self.result)
        self.result_text.setObjectName("status-text")
        for widget in (self.result_title, self.result_code, self.result_text):
            self.result.body.addWidget(widget)
        self.result.hide()
        self.body.setSpacing(12)  # the large theme with the demo strip needs these 4 px
        self.body.addWidget(panel)
        self.body.addWidget(self.result)
        self.body.addStretch(1)
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(auto_return_s * 1000)
        self._idle.timeout.connect(self.closed)
        self.entry.textChanged.connect(self._on_text_changed)
        self.entry.returnPressed.connect(self.on_primary_clicked)
        self.scan_button.clicked.connect(self.scan_requested)
        self.scan_button.clicked.connect(self._idle.stop)
        self._on_text_changed("")

    def open(self) -> None:
        self.clear()
        self._idle.start()
        self.entry.setFocus()

    def _set_busy(self, busy: bool) -> None:
        """The busy bar takes the example line's place, so the screen never grows past 800 px."""
        self.busy.setVisible(busy)
        self.example.setVisible(not busy)

    def clear(self) -> None:
        self._idle.stop()
        self.entry.clear()
        self.problem.clear()
        self._set_busy(False)
        self.answer = None
        for widget in (self.result_title, self.result_code, self.result_text):
            widget.clear()
        self.result.hide()

    def resume(self) -> None:
        """Back from the scan view."""
        self._idle.start()

    def on_back_clicked(self) -> None:
        self.clear()
        self.closed.emit()

    def _on_text_changed(self, text: str) -> None:
        self.primary_button.setEnabled(bool(text.strip()) and self.busy.isHidden())
        self.problem.clear()
        if self.isVisible():
            self._idle.start()

    def on_primary_clicked(self) -> None:
        text = self.entry.text().strip()
        if text and self.busy.isHidden():
            self.look_up(text)

    def look_up(self, text: str) -> None:
        """Ask for ``text`` (typed or scanned); the main window answers with ``show_answer``."""
        self._idle.start()
        self.problem.clear()
        self.result.hide()
        self._set_busy(True)
        self.primary_button.setEnabled(False)
        self.lookup_requested.emit(text)

    def show_answer(self, answer: StatusAnswer) -> None:
        self._set_busy(False)
        self.answer = answer
        self._on_text_changed(self.entry.text())
        self._idle.start()
        if answer.kind == "bad_code":
            self.problem.setText(describe_receipt_problem(answer.problem or "not_receipt"))
            return
        self._render_answer()

    def show_problem(self, message: str) -> None:
        self._set_busy(False)
        self._on_text_changed(self.entry.text())
        self.problem.setText(message)

    def _render_answer(self) -> None:
        answer = self.answer
        if answer is None or answer.kind == "bad_code":
            return
        state = {"portal": "sent", "queued": "queued"}.get(answer.kind, "attention")
        self.result.setProperty("state", state)
        for widget in (self.result, self.result_title):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        title, text = _answer_words(answer)
        self.result_title.setText(title)
        self.result_code.setText(answer.reference)
        self.result_text.setText(text)
        self.result.show()

    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("Check an application"))
        self.subtitle.setText(self.tr("Type the code on your receipt, or show its QR code to the "
                                      "camera."))
        self.entry_caption.setText(self.tr("Application code"))
        self.entry.setPlaceholderText("H12.22.10-250101-0123")
        self.example.setText(self.tr("It is printed under the QR code, for example "
                                     "H12.22.10-250101-0123 or Q-250101-0123."))
        self.scan_button.setText(self.tr("Scan the QR code"))
        self.primary_button.setText(self.tr("Check  ›"))
        self._render_answer()


def _status_words(status: str) -> str:
    words = {
        "received": QCoreApplication.translate("StatusScreen", "received, waiting to be processed"),
        "processing": QCoreApplication.translate("StatusScreen", "being processed"),
        "done": QCoreApplication.translate("StatusScreen", "finished: the result is ready"),
        "rejected": QCoreApplication.translate("StatusScreen", "returned: please see the staff"),
    }
    return words.get(status, status)


def _answer_words(answer: StatusAnswer) -> tuple[str, str]:
    if answer.kind == "portal":
        return ("✓  " + QCoreApplication.translate(
                    "StatusScreen", "The government portal has your application"),
                QCoreApplication.translate("StatusScreen", "Status: {status}.").format(
                    status=_status_words(answer.status or "")))
    if answer.kind == "queued":
        return ("✓  " + QCoreApplication.translate(
                    "StatusScreen", "Saved on this kiosk, not sent yet"),
                QCoreApplication.translate(
                    "StatusScreen", "The connection to the portal was down when you applied. "
                                    "Your application is kept safely here and will be sent "
                                    "automatically; you do not need to do anything."))
    if answer.kind == "attention":
        return ("!  " + QCoreApplication.translate(
                    "StatusScreen", "Your application needs a staff member"),
                QCoreApplication.translate(
                    "StatusScreen", "Please see the staff at the counter and show them this "
                                    "code."))
    if answer.kind == "not_found":
        return ("?  " + QCoreApplication.translate(
                    "StatusScreen", "No application found with this code"),
                QCoreApplication.translate(
                    "StatusScreen", "Please check the code on your receipt. A code starting "
                                    "with Q- can only be checked on the kiosk that printed it."))
    return ("!  " + QCoreApplication.translate(
                "StatusScreen", "The portal cannot be reached right now"),
            QCoreApplication.translate(
                "StatusScreen", "Please try again in a few minutes, or ask the staff at the "
                                "counter."))
