"""QR decoding (zxing-cpp) and the parsers for what citizens show the camera.

The decoders (``QrPipeline``, ``QrScanner``, ``Debouncer``, ``Decoded``) load OpenCV and zxing-cpp,
so they are imported on first use: the parsers alone stay light (the fee screen's VietQR builder,
the receipt's code) and a kiosk's first screen does not wait for the decoders.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from devices.qr.classify import Unrecognised, classify, kind_of, to_fields
from devices.qr.errors import CccdQrError, QrPayloadError, ReceiptQrError, VietQrError

if TYPE_CHECKING:
    from devices.qr.pipeline import QrPipeline
    from devices.qr.scanner import Debouncer, Decoded, QrScanner

__all__ = [
    "CccdQrError", "Debouncer", "Decoded", "QrPayloadError", "QrPipeline", "QrScanner", "ReceiptQrError",
    "Unrecognised", "VietQrError", "classify", "kind_of", "to_fields",
]

_LAZY = {"QrPipeline": "devices.qr.pipeline", "QrScanner": "devices.qr.scanner",
         "Debouncer": "devices.qr.scanner", "Decoded": "devices.qr.scanner"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
