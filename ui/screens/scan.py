"""The scan view: a live preview with a frame guide, plain hints, the code read highlighted, and a
timeout that goes back to where the citizen came from.

Not a step of the flow: the main window shows it over the identify screen (the ID card's QR code)
or the status screen (a receipt's QR code) and takes it away again. The camera bridge does the
scanning; this screen only renders what it reports.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.domain.flow import Flow
from ui.screens.base import Screen
from ui.widgets.camera_view import CameraPreview
from ui.widgets.common import Card, ProblemLabel, label

__all__ = ["ScanScreen"]


class ScanScreen(Screen):
    has_cancel = False
    #: the view closes by itself: "timeout", or the citizen pressed Back: "back"
    closed = Signal(str)

    def __init__(self, flow: Flow, camera: Any, parent: QWidget | None = None, *,
                 timeout_s: int = 30) -> None:
        super().__init__(flow, parent)
        self.timeout_s = timeout_s
        self.purpose = "identity"
        self.scanner_available = False  # a barcode scanner is plugged in as well
        self._remaining = 0
        self.primary_button.hide()
        row = QHBoxLayout()
        row.setSpacing(28)
        self.preview = CameraPreview(camera, self)
        row.addWidget(self.preview, 3)
        side = Card(self)
        side.setMinimumWidth(380)
        self.hint = label("hint", side)
        self.hint.setObjectName("scan-hint")
        self.found = label("scan-found", side)
        self.found.setObjectName("scan-found")
        self.found.hide()
        self.problem = ProblemLabel(side)
        self.problem.setObjectName("scan-problem")
        self.countdown = label("caption", side)
        self.countdown.setObjectName("scan-countdown")
        text = QVBoxLayout()
        for widget in (self.hint, self.found, self.problem):
            text.addWidget(widget)
        text.addStretch(1)
        text.addWidget(self.countdown)
        side.body.addLayout(text)
        row.addWidget(side, 2)
        self.body.addLayout(row, 1)
        self._hint_code = "show_code"
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)

    # -- opened and closed by the main window --------------------------------------------------
    def open(self, purpose: str) -> None:
        """Start the preview and the countdown; ``purpose`` is "identity" or "receipt"."""
        self.purpose = purpose
        self._remaining = self.timeout_s
        self._hint_code = "show_code"
        self.found.clear()
        self.found.hide()
        self.problem.clear()
        self.retranslate()
        self.preview.start()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self.preview.stop()

    def clear(self) -> None:
        self.stop()
        self.found.clear()
        self.problem.clear()

    def on_back_clicked(self) -> None:
        self.stop()
        self.closed.emit("back")

    def _tick(self) -> None:
        self._remaining -= 1
        if self._remaining <= 0:
            self.stop()
            self.closed.emit("timeout")
            return
        self._show_countdown()

    def set_scanner_available(self, available: bool) -> None:
        self.scanner_available = available
        self.retranslate()

    # -- what the camera bridge reports ----------------------------------------------------------
    def on_hint(self, code: str) -> None:
        self._hint_code = code
        self._show_hint()

    def on_code_read(self, what: str) -> None:
        """A usable code was read: highlight it (the main window closes the view shortly)."""
        self._timer.stop()
        self.problem.clear()
        self.found.setText("✓  " + what)
        self.found.show()
        self.preview.flash_found()

    def on_problem(self, message: str) -> None:
        self._remaining = self.timeout_s  # the citizen is trying: give them time
        self.problem.setText(message)
        self._show_countdown()

    # -- words ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        super().retranslate()
        if self.purpose == "receipt":
            self.title.setText(self.tr("Show the QR code on your receipt"))
        else:
            self.title.setText(self.tr("Show the QR code on your ID card"))
        if self.scanner_available:
            self.subtitle.setText(self.tr("Show the code to the scanner, or hold it inside the "
                                          "white frame, about a hand's width from the camera."))
        else:
            self.subtitle.setText(self.tr("Hold it inside the white frame, about a hand's width "
                                          "from the camera."))
        self._show_hint()
        self._show_countdown()

    def _show_hint(self) -> None:
        from devices.qr.quality import HINTS

        vi, en = HINTS.get(self._hint_code, HINTS["show_code"])
        self.hint.setText(vi if self.language == "vi" else en)

    def _show_countdown(self) -> None:
        if self._remaining > 0:
            self.countdown.setText(QCoreApplication.translate(
                "ScanScreen", "Going back in {n} seconds.").format(n=self._remaining))
        else:
            self.countdown.clear()

    @property
    def hint_text(self) -> str:
        return self.hint.text()
