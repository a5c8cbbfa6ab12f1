"""Submitting (busy, never frozen) and the receipt (sent, saved for later, or see the staff).

The receipt shows the fee with a VietQR code for the agency's configured account (``[fee]``), says
whether the result comes by SMS, and prints the 80 mm slip to the configured printer
(``devices.printer``). A missing or broken printer never loses the slip: it is saved as a PDF in
the data folder and the citizen is told that staff will print it.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication, QHBoxLayout, QProgressBar, QVBoxLayout, QWidget

from kiosk.domain.flow import Flow
from kiosk.domain.policies.countdown import ManualClock
from kiosk.domain.policies.receipt import ReceiptAction, ReceiptReturn
from ui.look import scaled_width
from ui.screens.base import Screen
from ui.printing import (FeeStatus, PrintError, ReceiptContentError, ReceiptDoc, mask_phone,
                         named_printer, pdf_printer, print_receipt, sms_sentence)
from ui.texts import format_date, processing_time
from ui.widgets.common import Card, button, label
from ui.widgets.fee_qr import DEMO_FEE_ACCOUNT, FeeAccount, FeeQrPanel, fee_account_for

__all__ = ["DEMO_FEE_ACCOUNT", "ReceiptScreen", "SubmittingScreen", "qr_pixmap", "receipt_qr_text"]

log = logging.getLogger(__name__)


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
        scaled_width(panel, 760)
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
    #: the configured printer took the slip (True) or failed and a PDF was saved (False)
    printer_checked = Signal(bool)
    #: what an ESC/POS printer said about itself (a devices.printer.PrinterStatus)
    printer_status_read = Signal(object)
    #: the citizen pressed "Done" (the procedure's code: the satisfaction question follows)
    done = Signal(str)

    def __init__(self, flow: Flow, parent: QWidget | None = None, *, auto_return_s: int = 60,
                 print_dir: Path | None = None, printer_name: str = "",
                 fee_account: FeeAccount | None = None) -> None:
        super().__init__(flow, parent)
        self.auto_return_s = auto_return_s
        self.print_dir, self.fee_account = print_dir, fee_account
        self.printer_name = printer_name  # "" = the slip becomes a PDF in print_dir
        self.last_print: Path | None = None  # the PDF saved last (no printer, or its fallback)
        self.printed_to: str | None = None  # the printer that took the slip last
        #: an ESC/POS printer (devices.printer.ReceiptPrinter) used instead of Qt's, and how to
        #: run its blocking job off the GUI thread: ``use_escpos``
        self.escpos_printer: Any = None
        self.native_qr = False
        self._run_job: Callable[..., Any] | None = None
        self._print_job = 0  # bumped when the screen is cleared: late results are dropped
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
        self.appointment = label("fact", self.panel)
        self.appointment.setObjectName("receipt-appointment")
        self.message = label("body", self.panel)
        self.message.setObjectName("receipt-message")
        self.sms = label("body", self.panel)
        self.sms.setObjectName("receipt-sms")
        for widget in (self.status, self.code_caption, self.code, self.appointment):
            text.addWidget(widget)
        # the code's QR sits beside the message, leaving the right-hand side to the fee panel
        below = QHBoxLayout()
        below.setSpacing(16)
        words = QVBoxLayout()
        words.addWidget(self.message)
        words.addWidget(self.sms)
        below.addLayout(words, 1)
        self.qr = label("qr", self.panel, wrap=False)
        self.qr.setAlignment(Qt.AlignTop | Qt.AlignHCenter)
        # the code's own QR says what it is for: one QR on the screen pays (the fee panel's)
        self.qr_caption = label("caption", self.panel)
        self.qr_caption.setObjectName("receipt-qr-caption")
        self.qr_caption.setAlignment(Qt.AlignHCenter)
        scaled_width(self.qr_caption, 200)
        qr_column = QVBoxLayout()
        qr_column.addWidget(self.qr)
        qr_column.addWidget(self.qr_caption)
        qr_column.addStretch(1)
        below.addLayout(qr_column)
        text.addLayout(below)
        text.addStretch(1)
        row.addLayout(text, 1)
        row.addWidget(self._build_fee_area())
        self.panel.body.addLayout(row)
        self.print_status = label("body", self)
        self.print_status.setObjectName("print-status")
        self.print_status.hide()
        self.body.addWidget(self.print_status)
        self.body.addWidget(self.panel)
        self.body.addStretch(1)
        self.countdown = label("caption", self)
        self.countdown.setObjectName("countdown")
        self.footer.insertWidget(0, self.countdown, 1)  # beside the buttons: no line of its own
        self.more_time_button = button("quiet", self, name="receipt-more-time")
        self.footer.insertWidget(1, self.more_time_button)
        self.more_time_button.clicked.connect(self.on_more_time)
        self._clock = ManualClock()
        # back to the start by itself, but a touch starts the count again and "More time" adds
        self._return = ReceiptReturn(self._clock, auto_return_s)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self.print_button = button("secondary", self, name="print-receipt")
        self.print_button.setVisible(print_dir is not None)
        self.footer.insertWidget(self.footer.count() - 1, self.print_button)
        self.print_button.clicked.connect(self.print_receipt)
        self.assisted_note = label("caption", self.panel)  # who assisted, when staff did
        self.assisted_note.setObjectName("receipt-assisted-by")
        self.assisted_note.hide()
        self.panel.body.addWidget(self.assisted_note)

    def show_assisted_note(self, text: str | None) -> None:
        """The line below the receipt naming the staff member who assisted (None: no line)."""
        if text:
            self.assisted_note.setText(text)
            self.assisted_note.show()
        else:
            self.assisted_note.clear()
            self.assisted_note.hide()

    def _build_fee_area(self) -> QWidget:
        """The fee panel beside the code; the whole screen scrolls when large text needs it, so
        none of the panel's keys hides in a box of its own."""
        self.fee_area = QWidget(self.panel)
        scaled_width(self.fee_area, 400)
        column = QVBoxLayout(self.fee_area)
        column.setContentsMargins(0, 0, 0, 0)
        self.fee = FeeQrPanel(self.fee_area, qr_scale=3)
        column.addWidget(self.fee)
        column.addStretch(1)
        self.fee_area.hide()
        return self.fee_area

    #: what main_window passes as ``fee_account``: the configured account, or on a demo kiosk only
    #: the marked demo account
    fee_account_for = staticmethod(fee_account_for)

    def enter(self) -> None:
        self._return.seconds = self.auto_return_s
        self._return.start()
        self._render()
        self._timer.start()
        QApplication.instance().installEventFilter(self)  # a touch anywhere keeps the receipt

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin) \
                and self.isVisible():
            if self._return.touched() is ReceiptAction.SHOW:
                self._show_countdown()
        return False

    def on_more_time(self) -> None:
        self._return.more_time()
        self._show_countdown()

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
        printable = status in ("sent", "queued")
        self._render_fee(receipt.dossier_code or receipt.local_ref if printable else None,
                         pay_later=receipt.dossier_code is None)
        self._render_appointment(receipt if printable else None)
        self.sms.setText(sms_sentence(self._sms_to()) if printable else "")
        self.sms.setVisible(printable)
        self.print_button.setEnabled(printable)
        self._show_countdown()

    def _render_fee(self, reference: str | None, *, pay_later: bool) -> None:
        """The fee, and its payment QR with the dossier code as the transfer's purpose; while the
        application waits to be sent there is no dossier code, so no payment QR: how to pay."""
        procedure = self.flow.procedure
        if procedure is None or procedure.fee_vnd <= 0 or not reference:
            self.fee.clear()
            self.fee_area.hide()
            return
        self.fee.show_fee(procedure.fee_vnd, self.fee_account, reference, pay_later=pay_later)
        self.fee_area.show()

    def _render_appointment(self, receipt: Any) -> None:
        """The date the result is due, as the slip prints it."""
        procedure = self.flow.procedure
        if receipt is None or procedure is None:
            self.appointment.clear()
            self.appointment.hide()
            return
        day = _appointment(receipt.created_at.date(), procedure.processing_days)
        self.appointment.setText(self.tr("Appointment for the result: {day}").format(
            day=format_date(day)))
        self.appointment.show()

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
                                                    receipt.created_at.date()), scale=4))
        self._show_code_qr(True)

    def _show_code_qr(self, on: bool) -> None:
        self.qr.setVisible(on)
        self.qr_caption.setVisible(on)
        self.qr_caption.setText(self.tr("The QR code of your application: scan it at a kiosk "
                                        "to check its status") if on else "")

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
                                                    receipt.created_at.date()), scale=4))
        self._show_code_qr(True)

    def _render_attention(self, receipt) -> None:
        self.status.setText("!  " + self.tr("Your application needs a staff member"))
        self.code_caption.setText(self.tr("Your reference"))
        self.code.setText(receipt.local_ref)
        self.message.setText(QCoreApplication.translate(
            "ReceiptScreen", "The portal could not accept your application as it is. It is saved "
                             "on this kiosk: please see the staff at the counter and show them "
                             "your reference {ref}.").format(ref=receipt.local_ref))
        self.qr.clear()
        self._show_code_qr(False)

    def _tick(self) -> None:
        self._clock.advance(1.0)  # the countdown's clock: the seconds this screen has shown
        if self._return.step() is ReceiptAction.RETURN:
            self._stop_watching()
            if self.flow.allowed("finish"):
                self.flow.finish()
            return
        self._show_countdown()

    def _show_countdown(self) -> None:
        self.countdown.setText(QCoreApplication.translate(
            "ReceiptScreen", "This screen returns to the start in {n} seconds.").format(
            n=self._return.seconds_left))
        self.more_time_button.setEnabled(self._return.can_extend)

    def _stop_watching(self) -> None:
        self._timer.stop()
        self._return.stop()
        QApplication.instance().removeEventFilter(self)

    def clear(self) -> None:
        self._stop_watching()
        for widget in (self.status, self.code_caption, self.code, self.message, self.sms, self.qr,
                       self.countdown, self.print_status, self.appointment, self.qr_caption):
            widget.clear()
        self.print_status.hide()
        self.fee.clear()
        self.fee_area.hide()
        self.last_print = self.printed_to = None
        self._print_job += 1
        self.print_button.setEnabled(True)

    def use_escpos(self, printer: Any, run_job: Callable[..., Any] | None,
                   native_qr: bool = False) -> None:
        """Print to this ESC/POS printer (None: back to Qt's printer or PDF); ``run_job`` is the
        window's ``Worker.run``."""
        self.escpos_printer, self._run_job, self.native_qr = printer, run_job, native_qr

    def _sms_to(self) -> str:
        phone = self.flow.sms_phone
        return mask_phone(phone) if phone else ""

    def receipt_doc(self) -> ReceiptDoc | None:
        """What the printed slip says (no personal data: the code finds the dossier)."""
        receipt, procedure = self.flow.receipt, self.flow.procedure
        if receipt is None or procedure is None:
            return None
        queued = receipt.dossier_code is None
        received = receipt.created_at
        return ReceiptDoc(
            centre_name=self.tr("One-stop service centre"), unit_code=self.flow.unit_code,
            procedure_name=procedure.name.get(self.language), procedure_code=procedure.code,
            reference=receipt.dossier_code or receipt.local_ref, received_at=received, queued=queued,
            appointment=_appointment(received.date(), procedure.processing_days),
            fee_vnd=procedure.fee_vnd,
            fee_status=FeeStatus.AT_COUNTER if procedure.fee_vnd > 0 else FeeStatus.FREE,
            sms_to=self._sms_to())

    def _say_printed(self, text: str) -> None:
        self.print_status.setText(text)
        self.print_status.show()

    def print_receipt(self) -> Path | None:
        """Print the slip to the configured printer; with none, or when it is missing or fails,
        save it as a PDF in the data folder (returned) so no receipt is ever lost."""
        doc = self.receipt_doc()
        if doc is None or self.print_dir is None:
            return None
        self.printed_to = None
        if self.escpos_printer is not None and self._run_job is not None:
            self._print_escpos(doc)
            return None
        printer_failed = False
        if self.printer_name:
            try:
                print_receipt(doc, named_printer(self.printer_name))
            except ReceiptContentError as exc:  # the slip itself is wrong: a PDF would be too
                self._print_failed(exc)
                return None
            except PrintError as exc:
                log.warning("Receipt printer not ready (%s): saving the receipt as a PDF",
                            type(exc).__name__)
                printer_failed = True
                self.printer_checked.emit(False)
            else:
                self.printed_to = self.printer_name
                self.printer_checked.emit(True)
                self._say_printed(self.tr("Your receipt has been printed."))
                return None
        path = self._save_pdf(doc)
        if path is not None:
            self._say_printed(self.tr("The printer is not ready. Your receipt has been saved and "
                                      "staff will print it for you.") if printer_failed
                              else self.tr("This kiosk has no printer. Your receipt has been saved "
                                           "and staff can print it; please also note your code."))
        return path

    def _print_escpos(self, doc: ReceiptDoc) -> None:
        """Draw the slip for the thermal head here, send it on the worker (it blocks)."""
        from ui.receipt_raster import receipt_parts

        printer = self.escpos_printer
        try:
            parts = receipt_parts(doc, printer.width_dots, native_qr=self.native_qr)
        except ReceiptContentError as exc:
            return self._print_failed(exc)
        job, run_job = self._print_job, self._run_job
        if run_job is None:
            return None
        self.print_button.setEnabled(False)
        self._say_printed(self.tr("Printing your receipt…"))
        run_job(lambda: printer.print_slip(parts),
                      lambda status: self._on_escpos_printed(job, printer, status),
                      lambda exc: self._on_escpos_failed(job, doc, exc), name="print")
        return None

    def _on_escpos_printed(self, job: int, printer: Any, status: Any) -> None:
        self.printer_checked.emit(True)
        self.printer_status_read.emit(status)
        if job != self._print_job:
            return
        self.print_button.setEnabled(True)
        self.printed_to = printer.name
        self._say_printed(self.tr("Your receipt has been printed."))

    def _on_escpos_failed(self, job: int, doc: ReceiptDoc, exc: BaseException) -> None:
        from devices.printer.errors import PrinterError, PrinterNotReady

        log.warning("Receipt printer not ready (%s): saving the receipt as a PDF",
                    type(exc).__name__)
        self.printer_checked.emit(False)
        if isinstance(exc, PrinterNotReady):
            self.printer_status_read.emit(exc.status)
        elif isinstance(exc, PrinterError):
            self.printer_status_read.emit(None)  # not reachable at all
        if job != self._print_job:
            return
        self.print_button.setEnabled(True)
        if self._save_pdf(doc) is not None:
            self._say_printed(self.tr("The printer is not ready. Your receipt has been saved and "
                                      "staff will print it for you."))

    def _save_pdf(self, doc: ReceiptDoc) -> Path | None:
        if self.print_dir is None:
            return None
        path = self.print_dir / f"{doc.reference}.pdf"
        try:
            self.print_dir.mkdir(parents=True, exist_ok=True)
            print_receipt(doc, pdf_printer(path))
        except (PrintError, OSError) as exc:
            self._print_failed(exc)
            return None
        self.last_print = path
        return path

    def _print_failed(self, exc: Exception) -> None:
        log.error("Receipt not printed: %s", type(exc).__name__)
        self._say_printed(self.tr("The receipt could not be printed. Please write down or "
                                  "photograph your code, or ask staff for help."))

    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("Thank you"))
        self.subtitle.setText(self.tr("Please take note of the code below."))
        self.primary_button.setText(self.tr("Done"))
        self.print_button.setText(self.tr("Print receipt"))
        self.more_time_button.setText(self.tr("More time"))
        self.fee.retranslate()
        if self.flow.receipt is not None:
            self._render()

    def on_primary_clicked(self) -> None:
        self._stop_watching()
        procedure = self.flow.procedure
        if self.flow.allowed("finish"):
            self.flow.finish()
            if procedure is not None:
                self.done.emit(procedure.code)


def _appointment(day: dt.date, working_days: int) -> dt.date:
    """The day the result is due: ``working_days`` later, skipping weekends (not holidays)."""
    while working_days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            working_days -= 1
    return day
