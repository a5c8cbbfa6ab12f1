"""Submitting (busy, never frozen) and the receipt (sent, saved for later, or see the staff)."""

from __future__ import annotations

import io

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QVBoxLayout, QWidget

from kiosk.flow import Flow
from ui.screens.base import Screen
from ui.texts import processing_time
from ui.widgets.common import Card, label

__all__ = ["ReceiptScreen", "SubmittingScreen", "qr_pixmap", "receipt_qr_text"]


def qr_pixmap(text: str, scale: int = 6) -> QPixmap:
    """The dossier code as a QR code, so the citizen can photograph it with their phone."""
    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=2)
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap


def receipt_qr_text(reference: str, unit_code: str, day) -> str:
    """The kiosk's receipt QR payload (MCK1, checked by the status screen), or the bare reference
    when it cannot be built, so the citizen always gets something to photograph."""
    try:
        from devices.qr.receipt import build_receipt_qr

        return build_receipt_qr(reference, unit_code, day)
    except (ImportError, ValueError):
        return reference


class SubmittingScreen(Screen):
    has_back = False
    has_cancel = False

    def __init__(self, flow: Flow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.primary_button.hide()
        panel = Card(self)
        panel.setFixedWidth(760)
        panel.body.setContentsMargins(48, 40, 48, 40)
        panel.body.setSpacing(20)
        self.busy = QProgressBar(panel)
        self.busy.setObjectName("busy")
        self.busy.setRange(0, 0)  # indeterminate: it keeps moving while the worker waits
        self.busy.setTextVisible(False)
        self.busy.setFixedHeight(16)
        self.note = label("body", panel)
        self.note.setAlignment(Qt.AlignCenter)
        panel.body.addWidget(self.busy)
        panel.body.addWidget(self.note)
        self.body.addStretch(1)
        self.body.addWidget(panel, 0, Qt.AlignHCenter)
        self.body.addStretch(2)

    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("Sending your application…"))
        self.subtitle.setText(self.tr("This usually takes a few seconds."))
        self.note.setText(self.tr("Your application is already saved on this "
                                                 "kiosk, so nothing will be lost."))


class ReceiptScreen(Screen):
    has_back = False
    has_cancel = False

    def __init__(self, flow: Flow, parent: QWidget | None = None, *, auto_return_s: int = 60) -> None:
        super().__init__(flow, parent)
        self.auto_return_s = auto_return_s
        self._remaining = 0
        self.panel = Card(self, kind="receipt")
        row = QHBoxLayout()
        row.setSpacing(32)
        text = QVBoxLayout()
        text.setSpacing(10)
        self.status = label("receipt-status", self.panel)
        self.code_caption = label("caption", self.panel)
        self.code = label("dossier-code", self.panel, wrap=False)
        self.code.setObjectName("dossier-code")
        self.code.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.message = label("body", self.panel)
        self.message.setObjectName("receipt-message")
        for widget in (self.status, self.code_caption, self.code, self.message):
            text.addWidget(widget)
        text.addStretch(1)
        row.addLayout(text, 1)
        self.qr = label("qr", self.panel, wrap=False)
        self.qr.setAlignment(Qt.AlignTop | Qt.AlignRight)
        row.addWidget(self.qr)
        self.panel.body.addLayout(row)
        self.body.addWidget(self.panel)
        self.body.addStretch(1)
        self.countdown = label("caption", self)
        self.countdown.setObjectName("countdown")
        self.body.addWidget(self.countdown)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)

    def enter(self) -> None:
        self._remaining = self.auto_return_s
        self._render()
        self._timer.start()

    def _render(self) -> None:
        receipt = self.flow.receipt
        if receipt is None:
            return
        status = getattr(receipt.status, "value", str(receipt.status))
        self.panel.setProperty("state", status)
        for widget in (self.panel, self.status):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        {"sent": self._render_sent, "queued": self._render_queued}.get(
            status, self._render_attention)(receipt)
        self._show_countdown()

    def _render_sent(self, receipt) -> None:
        procedure = self.flow.catalogue.get(receipt.procedure_code)
        self.status.setText("✓  " + self.tr("Your application has been received"))
        self.code_caption.setText(self.tr("Your application code"))
        self.code.setText(receipt.dossier_code)
        self.message.setText(QCoreApplication.translate(
            "ReceiptScreen", "Please write down or photograph this code: you need it to follow "
                             "your application. The result is expected in {time}.").format(
            time=processing_time(procedure.processing_days)))
        self.qr.setPixmap(qr_pixmap(receipt_qr_text(receipt.dossier_code, self.flow.unit_code,
                                                    receipt.created_at.date())))
        self.qr.show()

    def _render_queued(self, receipt) -> None:
        self.status.setText("✓  " + self.tr("Your application is saved"))
        self.code_caption.setText(self.tr("Your reference"))
        self.code.setText(receipt.local_ref)
        self.message.setText(QCoreApplication.translate(
            "ReceiptScreen", "The connection to the government portal is down right now. Your "
                             "application is saved and will be sent automatically when the "
                             "connection returns; your reference is {ref}. You do not need to "
                             "do anything else.").format(ref=receipt.local_ref))
        self.qr.setPixmap(qr_pixmap(receipt_qr_text(receipt.local_ref, self.flow.unit_code,
                                                    receipt.created_at.date())))
        self.qr.show()

    def _render_attention(self, receipt) -> None:
        self.status.setText("!  " + self.tr("Your application needs a staff member"))
        self.code_caption.setText(self.tr("Your reference"))
        self.code.setText(receipt.local_ref)
        self.message.setText(QCoreApplication.translate(
            "ReceiptScreen", "The portal could not accept your application as it is. It is saved "
                             "on this kiosk: please see the staff at the counter and show them "
                             "your reference {ref}.").format(ref=receipt.local_ref))
        self.qr.clear()
        self.qr.hide()

    def _tick(self) -> None:
        self._remaining -= 1
        if self._remaining <= 0:
            self._timer.stop()
            if self.flow.allowed("finish"):
                self.flow.finish()
            return
        self._show_countdown()

    def _show_countdown(self) -> None:
        self.countdown.setText(QCoreApplication.translate(
            "ReceiptScreen", "This screen returns to the start in {n} seconds.").format(
            n=self._remaining))

    def clear(self) -> None:
        self._timer.stop()
        for widget in (self.status, self.code_caption, self.code, self.message, self.qr,
                       self.countdown):
            widget.clear()

    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("Thank you"))
        self.subtitle.setText(self.tr("Please take note of the code below."))
        self.primary_button.setText(self.tr("Done"))
        if self.flow.receipt is not None:
            self._render()

    def on_primary_clicked(self) -> None:
        self._timer.stop()
        if self.flow.allowed("finish"):
            self.flow.finish()
