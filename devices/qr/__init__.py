"""QR decoding (zxing-cpp) and the parsers for what citizens show the camera."""

from __future__ import annotations

from devices.qr.classify import Unrecognised, classify, kind_of, to_fields
from devices.qr.errors import CccdQrError, QrPayloadError, ReceiptQrError, VietQrError
from devices.qr.pipeline import QrPipeline
from devices.qr.scanner import Debouncer, Decoded, QrScanner

__all__ = [
    "CccdQrError", "Debouncer", "Decoded", "QrPayloadError", "QrPipeline", "QrScanner", "ReceiptQrError",
    "Unrecognised", "VietQrError", "classify", "kind_of", "to_fields",
]
