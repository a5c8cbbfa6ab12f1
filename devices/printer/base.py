"""The receipt printer interface every backend implements, and what a slip is made of.

A slip is a list of parts printed top to bottom: ``Raster`` images (the text, already drawn, since
Vietnamese letters are not in the printers' code pages) and ``NativeQr`` codes the printer draws
itself. The GUI draws the rasters (Qt is not allowed here) and hands them over; the backend
encodes them (``encode_slip``), checks the printer is ready, sends and cuts.

Every call has a deadline and opens the device only for the job, so a printer that was switched
off or unplugged in between is simply found again (or reported) at the next slip. ``print_slip``
and ``status`` block: the GUI calls them on its worker.
"""

from __future__ import annotations

import abc
import dataclasses
from collections.abc import Sequence

import numpy as np

from devices.printer import escpos
from devices.printer.errors import PrinterNotReady
from devices.printer.escpos import PrinterStatus

__all__ = ["NativeQr", "Raster", "ReceiptPrinter", "SlipPart", "encode_slip"]


@dataclasses.dataclass(frozen=True, eq=False)
class Raster:
    """(rows, dots) booleans, True = black; at most the head's width."""

    bitmap: np.ndarray

    def __repr__(self) -> str:
        return f"Raster({self.bitmap.shape[1]}x{self.bitmap.shape[0]})"


@dataclasses.dataclass(frozen=True)
class NativeQr:
    text: str = dataclasses.field(repr=False)
    module: int = 6
    level: str = "M"


SlipPart = Raster | NativeQr


def encode_slip(parts: Sequence[SlipPart], width_dots: int, *, feed_dots: int = 96) -> bytes:
    """The bytes of one slip: initialise, each part, feed and cut."""
    out = bytearray(escpos.initialise())
    for part in parts:
        if isinstance(part, Raster):
            if part.bitmap.shape[1] > width_dots:
                raise ValueError(f"the raster is {part.bitmap.shape[1]} dots wide; the head has "
                                 f"{width_dots}")
            out += escpos.raster(part.bitmap)
        else:
            out += escpos.center(True) + escpos.qr_code(part.text, part.module, part.level)
            out += escpos.center(False)
    out += escpos.cut(feed_dots)
    return bytes(out)


class ReceiptPrinter(abc.ABC):
    #: what kind of backend ("escpos", "virtual"), for logs, doctor and `kiosk devices list`
    kind = "printer"

    def __init__(self, *, name: str, width_dots: int = 576) -> None:
        if width_dots not in (384, 512, 576, 640):
            raise ValueError("width_dots must be a thermal head's width: 384 (58 mm), 512, 576 "
                             "(80 mm at 203 dpi) or 640")
        self.name, self.width_dots = name, width_dots

    @abc.abstractmethod
    def status(self, timeout: float = 2.0) -> PrinterStatus:
        """Ask the printer (DLE EOT); ``PrinterNotFound`` when it cannot be reached at all,
        ``PrinterStatus(answered=False)`` when it is there but does not answer."""

    @abc.abstractmethod
    def _send(self, data: bytes, timeout: float) -> PrinterStatus:
        """Send a job and ask the status behind it, on the same line (the printer answers once
        it has taken the job). Raises ``PrinterNotFound``, ``PrinterDisconnected``,
        ``PrinterTimeout``."""

    def print_slip(self, parts: Sequence[SlipPart], *, timeout: float = 15.0) -> PrinterStatus:
        """Print one slip; returns the status read after it. A printer that says it cannot print
        (paper, cover, offline) raises ``PrinterNotReady`` and is sent nothing; one that does not
        answer status requests is sent the slip anyway (many cannot answer). Paper that ran out
        during the slip raises ``PrinterNotReady`` too: the slip is incomplete."""
        data = encode_slip(parts, self.width_dots)
        before = self.status(timeout=min(2.0, timeout))
        if before.answered and not before.ready:
            raise PrinterNotReady(before)
        after = self._send(data, timeout)
        if after.answered and (after.paper_out or after.cover_open):
            raise PrinterNotReady(after, f"The receipt printer stopped during the slip: "
                                         f"{after.describe()}.")
        return after if after.answered else before

    def close(self) -> None:
        """Release anything held between jobs (nothing, for most backends)."""
