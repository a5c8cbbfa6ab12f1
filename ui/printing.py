"""The printed receipt: an 80 mm slip through Qt's print system, to a named printer or a PDF.

Layout (top to bottom): centre, title, procedure, the dossier code in large type, its QR code (the
kiosk's ``MCK1`` receipt payload, drawn as vector squares so it stays sharp at any resolution),
the offline notice when queued, dates, fee, how to check the status and the SMS line. The text is
in the current UI language (Qt translation, English source). The page is exactly 80 mm wide and as
long as its content, so a roll printer cuts one slip.

Errors (``PrintError``, by phase)::

    PrintError
     +-- ReceiptContentError   the reference/unit/day cannot make a receipt QR (staff: check the code)
     +-- PrinterNotFound       the configured printer is not installed (IT: fix ``devices.printer``)
     +-- PrintFailed           the printer is in error or could not be opened (staff: paper, power)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import html
import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (QColor, QFont, QImage, QPageLayout, QPageSize, QPaintDevice, QPainter,
                           QPainterPath, QTextDocument)
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from devices.qr.errors import ReceiptQrError
from devices.qr.receipt import build_receipt_qr
from ui.look import FONT_FAMILIES

__all__ = ["FeeStatus", "PrintError", "PrintFailed", "PrinterNotFound", "ReceiptContentError",
           "ReceiptDoc", "mask_phone", "named_printer", "pdf_printer", "print_receipt", "qr_image",
           "receipt_qr_payload", "sms_sentence"]

log = logging.getLogger(__name__)

PAPER_WIDTH_MM = 80.0
MARGIN_MM = 4.0
QR_WIDTH_MM = 42.0
VIETNAM = dt.timezone(dt.timedelta(hours=7))


class PrintError(Exception):
    """The receipt could not be printed; the message says who can do what."""


class ReceiptContentError(PrintError):
    pass


class PrinterNotFound(PrintError):
    pass


class PrintFailed(PrintError):
    pass


class FeeStatus(enum.Enum):
    FREE = "free"
    PAID = "paid"  # paid by VietQR at the kiosk
    AT_COUNTER = "at_counter"  # to be paid at the counter


@dataclasses.dataclass(frozen=True)
class ReceiptDoc:
    """What a receipt says. No personal data: the code and QR are enough to find the dossier; the
    SMS number, if any, only masked."""

    centre_name: str
    unit_code: str
    procedure_name: str
    procedure_code: str
    reference: str  # the portal's dossier code, or the local reference while queued
    received_at: dt.datetime  # timezone-aware; printed in Vietnam time
    queued: bool = False
    appointment: dt.date | None = None
    fee_vnd: int = 0
    fee_status: FeeStatus = FeeStatus.FREE
    status_where: str = ""  # where else to check: a web address or hotline, printed as given
    #: the SMS number masked (``mask_phone``) when the citizen opted in; "" = no SMS
    sms_to: str = ""

    @property
    def day(self) -> dt.date:
        return self.received_at.astimezone(VIETNAM).date()


def mask_phone(phone: str) -> str:
    """"0912345678" -> "09•• ••• 678": enough for the citizen to recognise their number, too little
    for whoever finds the slip or reads the screen over their shoulder."""
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) < 10:  # not a mobile number as the flow keeps them: show the last digits only
        return "•" * max(len(digits) - 3, 0) + digits[-3:] if len(digits) > 3 else "•" * len(digits)
    return f"{digits[:2]}{'•' * (len(digits) - 8)} ••• {digits[-3:]}"


def sms_sentence(sms_to: str) -> str:
    """The SMS line of the receipt (screen and paper): the masked number, or that there is none."""
    if sms_to:
        return QCoreApplication.translate(
            "Receipt", "The result will be sent by SMS to {phone}.").format(phone=sms_to)
    return QCoreApplication.translate("Receipt", "You did not sign up for SMS messages.")


def receipt_qr_payload(doc: ReceiptDoc) -> str:
    try:
        return build_receipt_qr(doc.reference, doc.unit_code, doc.day)
    except ReceiptQrError as exc:
        raise ReceiptContentError(
            f"The receipt code cannot be printed ({exc.code}). Staff: check the reference on the "
            f"screen and write it down for the citizen.") from exc


def qr_image(text: str, *, scale: int = 8, border: int = 4, error: str = "m") -> QImage:
    """A QR code as a black-and-white QImage (for screens; print uses vector squares)."""
    import segno

    matrix = segno.make(text, error=error, micro=False).matrix
    size = (len(matrix) + 2 * border) * scale
    image = QImage(size, size, QImage.Format.Format_Grayscale8)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.fillPath(_qr_path(matrix, border * scale, border * scale, scale), QColor("black"))
    painter.end()
    return image


def _qr_path(matrix, x0: float, y0: float, module: float) -> QPainterPath:
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)  # touching squares merge: no seams between modules
    for row, bits in enumerate(matrix):
        for column, bit in enumerate(bits):
            if bit:
                path.addRect(QRectF(x0 + column * module, y0 + row * module, module, module))
    return path


def _fee_line(doc: ReceiptDoc) -> str:
    if doc.fee_vnd == 0 or doc.fee_status is FeeStatus.FREE:
        return QCoreApplication.translate("Receipt", "Fee: free of charge")
    amount = f"{doc.fee_vnd:,}".replace(",", ".") + " đ"
    if doc.fee_status is FeeStatus.PAID:
        return QCoreApplication.translate("Receipt", "Fee: {amount}, paid").format(amount=amount)
    return QCoreApplication.translate(
        "Receipt", "Fee: {amount}, to pay at the counter").format(amount=amount)


def _head_html(doc: ReceiptDoc) -> str:
    e = html.escape
    if doc.queued:
        caption = QCoreApplication.translate("Receipt", "Your reference (not yet sent)")
    else:
        caption = QCoreApplication.translate("Receipt", "Your application code")
    title = QCoreApplication.translate("Receipt", "APPLICATION RECEIPT")
    procedure = QCoreApplication.translate("Receipt", "Procedure")
    return (f"<p align='center' style='font-size:11pt'><b>{e(doc.centre_name)}</b></p>"
            f"<p align='center' style='font-size:10pt'>{e(title)}</p><hr/>"
            f"<p style='font-size:9pt'>{e(procedure)}: <b>{e(doc.procedure_name)}</b>"
            f" ({e(doc.procedure_code)})</p>"
            f"<p align='center' style='font-size:9pt'>{e(caption)}</p>"
            f"<p align='center' style='font-size:15pt'><b>{e(doc.reference)}</b></p>")


def _tail_lines(doc: ReceiptDoc) -> list[str]:
    received = doc.received_at.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")
    lines = []
    if doc.queued:
        lines.append(QCoreApplication.translate(
            "Receipt", "The network was down: your application is saved on this kiosk and will be "
                       "sent automatically. Keep this reference."))
    lines.append(QCoreApplication.translate("Receipt", "Received: {when}").format(when=received))
    if doc.appointment:
        lines.append(QCoreApplication.translate("Receipt", "Appointment for the result: {day}")
                     .format(day=doc.appointment.strftime("%d/%m/%Y")))
    else:
        lines.append(QCoreApplication.translate(
            "Receipt", "Appointment for the result: to be announced"))
    lines.append(_fee_line(doc))
    if doc.status_where:
        lines.append(QCoreApplication.translate(
            "Receipt", "To check the status, scan this QR code at any kiosk of the centre or "
                       "visit {where}.").format(where=doc.status_where))
    else:
        lines.append(QCoreApplication.translate(
            "Receipt", "To check the status, scan this QR code at any kiosk of the centre."))
    lines.append(sms_sentence(doc.sms_to))
    return lines


def _tail_html(doc: ReceiptDoc) -> str:
    lines = [html.escape(line) for line in _tail_lines(doc)]
    if doc.queued:
        lines[0] = f"<b>{lines[0]}</b>"
    return "".join(f"<p style='font-size:9pt'>{line}</p>" for line in lines)


def _document(markup: str, printer: QPaintDevice, width_px: float) -> QTextDocument:
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(printer)  # font sizes in points at the printer's dpi
    doc.setDocumentMargin(0)
    font = QFont(list(FONT_FAMILIES))
    font.setPointSizeF(9)
    doc.setDefaultFont(font)
    doc.setHtml(markup)
    doc.setTextWidth(width_px)
    return doc


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def named_printer(name: str) -> QPrinter:
    """The configured receipt printer, when the print system knows it and it is not in error."""
    info = QPrinterInfo.printerInfo(name)
    if info.isNull():
        raise PrinterNotFound(f"The receipt printer {name!r} is not installed. IT: check the "
                              f"printer's name in the kiosk settings (devices.printer) against "
                              f"`lpstat -p`.")
    if info.state() == QPrinter.PrinterState.Error:
        raise PrintFailed(f"The receipt printer {name!r} reports an error. Staff: check its "
                          f"power, cable and paper.")
    return QPrinter(info, QPrinter.PrinterMode.HighResolution)


def _set_page(printer: QPrinter, content_px: float, dpmm: float) -> None:
    """80 mm wide, as long as the content: a roll printer cuts one slip, a PDF has one page."""
    length_mm = content_px / dpmm + 2 * MARGIN_MM + 2
    size = QPageSize(QSizeF(PAPER_WIDTH_MM, length_mm), QPageSize.Unit.Millimeter, "Receipt 80 mm",
                     QPageSize.SizeMatchPolicy.ExactMatch)
    printer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait,
                                      QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                                      QPageLayout.Unit.Millimeter))


def print_receipt(doc: ReceiptDoc, printer: QPrinter) -> None:
    """Lay out and print one 80 mm slip (raises ``PrintError``)."""
    import segno

    matrix = segno.make(receipt_qr_payload(doc), error="m", micro=False).matrix
    dpmm = printer.resolution() / 25.4
    width = (PAPER_WIDTH_MM - 2 * MARGIN_MM) * dpmm
    head = _document(_head_html(doc), printer, width)
    tail = _document(_tail_html(doc), printer, width)
    module = QR_WIDTH_MM * dpmm / (len(matrix) + 8)
    qr_side = module * (len(matrix) + 8)  # with the 4-module quiet zone on each side
    _set_page(printer, head.size().height() + qr_side + tail.size().height(), dpmm)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed("The receipt could not be printed. Staff: check that the printer is on "
                          "and has paper; the citizen's code is on the screen.")
    try:
        head.drawContents(painter)
        top = head.size().height()
        x0 = (width - qr_side) / 2 + 4 * module
        painter.fillPath(_qr_path(matrix, x0, top + 4 * module, module), QColor("black"))
        painter.translate(QPointF(0, top + qr_side))
        tail.drawContents(painter)
    finally:
        painter.end()
    log.info("Printed a receipt (%s, queued=%s) to %s", doc.procedure_code, doc.queued,
             "PDF" if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat
             else printer.printerName())
