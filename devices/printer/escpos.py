"""The ESC/POS commands the kiosk sends, and the status bytes the printer answers.

From Epson's ESC/POS command reference (TM-T88/TM-T20 class printers; the clones on Vietnamese
kiosks accept the same subset)::

    ESC @                          initialise
    ESC a n                        justification: 0 left, 1 centre, 2 right
    GS v 0 m xL xH yL yH d1..dk    raster bit image: x bytes per row, y rows, MSB = leftmost dot
    GS ( k pL pH 49 fn ...         QR code: 65 model, 67 module size, 69 error level,
                                   80 store data, 81 print
    GS V 66 n                      feed n dots and cut (partial cut)
    DLE EOT n                      real-time status: 1 printer, 2 offline cause, 3 error cause,
                                   4 roll paper sensor; answered with one byte each

Every status byte has bits 1 and 4 set and bits 0 and 7 clear; a byte without that pattern is not a
status answer (noise, or a printer that does not implement DLE EOT), and ``decode_status`` says so.
Text is never sent as characters: Vietnamese is not in the printers' code pages, so the whole
slip is a raster image (see ``ui/receipt_raster.py``).
"""

from __future__ import annotations

import dataclasses

import numpy as np

__all__ = ["BAND_ROWS", "PrinterStatus", "STATUS_REQUESTS", "center", "cut", "decode_status",
           "initialise", "qr_code", "raster"]

ESC, GS, DLE, EOT = b"\x1b", b"\x1d", b"\x10", b"\x04"
#: rows per GS v 0 command: small bands keep each command within every printer's buffer
BAND_ROWS = 256
#: the four real-time status requests, in the order ``decode_status`` expects their answers
STATUS_REQUESTS = (DLE + EOT + b"\x01", DLE + EOT + b"\x02", DLE + EOT + b"\x03",
                   DLE + EOT + b"\x04")
_QR_LEVELS = {"L": 48, "M": 49, "Q": 50, "H": 51}


def initialise() -> bytes:
    return ESC + b"@"


def center(on: bool = True) -> bytes:
    return ESC + b"a" + bytes((1 if on else 0,))


def raster(bitmap: np.ndarray) -> bytes:
    """``bitmap``: (rows, dots) booleans, True = black. Sent in bands of ``BAND_ROWS`` rows."""
    if bitmap.ndim != 2 or bitmap.shape[1] == 0:
        raise ValueError("a raster is a (rows, dots) array")
    packed = np.packbits(bitmap.astype(bool), axis=1)  # MSB first, rows padded to whole bytes
    width = packed.shape[1]
    out = bytearray()
    for top in range(0, packed.shape[0], BAND_ROWS):
        band = packed[top:top + BAND_ROWS]
        out += GS + b"v0\x00" + width.to_bytes(2, "little") + len(band).to_bytes(2, "little")
        out += band.tobytes()
    return bytes(out)


def qr_code(text: str, module: int = 6, level: str = "M") -> bytes:
    """Store and print a QR code with the printer's own generator (model 2)."""
    data = text.encode("utf-8")
    if not 1 <= module <= 16 or level not in _QR_LEVELS or len(data) > 7089:
        raise ValueError("QR module 1..16, level L/M/Q/H, at most 7089 bytes")

    def function(fn: int, body: bytes) -> bytes:
        size = len(body) + 2
        return GS + b"(k" + size.to_bytes(2, "little") + bytes((49, fn)) + body

    return (function(65, b"\x32\x00") + function(67, bytes((module,)))
            + function(69, bytes((_QR_LEVELS[level],))) + function(80, b"\x30" + data)
            + function(81, b"\x30"))


def cut(feed_dots: int = 96) -> bytes:
    """Feed past the cutter and cut, leaving a hinge (partial cut) so the slip does not fall."""
    return GS + b"V" + bytes((66, max(0, min(255, feed_dots))))


@dataclasses.dataclass(frozen=True)
class PrinterStatus:
    """What the printer said. ``answered`` False: it gave no (valid) status, so nothing is known."""

    answered: bool
    online: bool = False
    cover_open: bool = False
    paper_out: bool = False
    paper_low: bool = False
    cutter_error: bool = False
    error: bool = False

    @property
    def ready(self) -> bool:
        return self.answered and self.online and not (self.cover_open or self.paper_out
                                                      or self.cutter_error or self.error)

    @property
    def state(self) -> str:
        """One word for dashboards and metrics: ready, paper_low, paper_out, cover_open,
        cutter_error, error, offline or no_answer."""
        if not self.answered:
            return "no_answer"
        for flag in ("paper_out", "cover_open", "cutter_error", "error"):
            if getattr(self, flag):
                return flag
        if not self.online:
            return "offline"
        return "paper_low" if self.paper_low else "ready"

    def describe(self) -> str:
        """A phrase for staff (English; the GUI translates by ``state``)."""
        return {"no_answer": "it does not answer", "paper_out": "it is out of paper",
                "cover_open": "its cover is open", "cutter_error": "its cutter is jammed",
                "error": "it reports an error", "offline": "it is offline",
                "paper_low": "its paper is running low", "ready": "ready"}[self.state]


def _valid(byte: int) -> bool:
    return byte & 0x93 == 0x12


def decode_status(answers: bytes) -> PrinterStatus:
    """Decode the answers to ``STATUS_REQUESTS`` (one byte each, in order)."""
    if len(answers) < 4 or not all(_valid(b) for b in answers[:4]):
        return PrinterStatus(answered=False)
    printer, offline, errors, paper = answers[:4]
    return PrinterStatus(
        answered=True,
        online=not printer & 0x08,
        cover_open=bool(offline & 0x04),
        paper_out=bool(offline & 0x20) or paper & 0x60 == 0x60,
        paper_low=paper & 0x0C == 0x0C,
        cutter_error=bool(errors & 0x08),
        error=bool(offline & 0x40) or bool(errors & 0x20),
    )
