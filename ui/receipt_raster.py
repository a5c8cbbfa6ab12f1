"""The receipt drawn for a thermal printer's head: 1-bit rasters at the head's own dots.

ESC/POS printers have no Vietnamese code page that works everywhere, so the slip is drawn here
with Qt (the same layout, words and fonts as the PDF and CUPS receipt in ``ui/printing.py``) onto
a white image exactly as wide as the head (576 dots for 80 mm at 203 dpi), thresholded to black
and white, and handed to the device backend as ``devices.printer.Raster`` parts. The QR code is
drawn into the image, or left to the printer's own QR command (``native_qr``).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QPainter

from devices.printer import NativeQr, Raster, SlipPart
from ui.printing import (QR_WIDTH_MM, ReceiptDoc, _document, _head_html, _qr_path, _tail_html,
                         receipt_qr_payload)

__all__ = ["DOTS_PER_INCH", "receipt_parts", "to_bits"]

DOTS_PER_INCH = {576: 203, 512: 180, 384: 203, 640: 203}
_SIDE_DOTS = 8  # thermal heads print to the edge; keep the text off it


def _canvas(width: int, height: int, dpi: int) -> QImage:
    image = QImage(width, max(1, height), QImage.Format.Format_Grayscale8)
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    image.fill(QColor("white"))
    return image


def to_bits(image: QImage, threshold: int = 160) -> np.ndarray:
    """A greyscale QImage as (rows, dots) booleans, True = black (dots darker than threshold)."""
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = grey.width(), grey.height(), grey.bytesPerLine()
    data = np.frombuffer(grey.constBits(), np.uint8, count=stride * height)
    return data.reshape(height, stride)[:, :width] < threshold


def _text_part(markup: str, width: int, dpi: int) -> Raster:
    probe = _canvas(width, 1, dpi)
    doc = _document(markup, probe, width - 2 * _SIDE_DOTS)
    image = _canvas(width, int(doc.size().height()) + 4, dpi)
    painter = QPainter(image)
    painter.translate(QPointF(_SIDE_DOTS, 0))
    doc.drawContents(painter)
    painter.end()
    return Raster(to_bits(image))


def _qr_part(text: str, width: int, dpi: int) -> Raster:
    import segno

    matrix = segno.make(text, error="m", micro=False).matrix
    wanted = QR_WIDTH_MM / 25.4 * dpi
    module = max(2, int(wanted / (len(matrix) + 8)))  # whole dots per module: crisp edges
    side = module * (len(matrix) + 8)
    image = _canvas(width, side, dpi)
    painter = QPainter(image)
    left = (width - side) // 2 + 4 * module
    painter.fillPath(_qr_path(matrix, left, 4 * module, module), QColor("black"))
    painter.end()
    return Raster(to_bits(image))


def receipt_parts(doc: ReceiptDoc, width_dots: int = 576, *,
                  native_qr: bool = False) -> list[SlipPart]:
    """The slip as rasters (and the QR code, drawn or native) for a ``width_dots`` head; raises
    ``ReceiptContentError`` like ``print_receipt`` when the code cannot make a QR."""
    dpi = DOTS_PER_INCH.get(width_dots, 203)
    payload = receipt_qr_payload(doc)
    qr: SlipPart = NativeQr(payload, module=6 if width_dots >= 512 else 4) if native_qr \
        else _qr_part(payload, width_dots, dpi)
    return [_text_part(_head_html(doc), width_dots, dpi), qr,
            _text_part(_tail_html(doc), width_dots, dpi)]
