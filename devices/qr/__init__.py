"""QR decoding (zxing-cpp) and the parsers for what citizens show the camera."""

from __future__ import annotations

from devices.qr.scanner import Debouncer, Decoded, QrScanner

__all__ = ["Debouncer", "Decoded", "QrScanner"]
