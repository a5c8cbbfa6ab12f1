"""Receipt printers: the interface, the slip parts, the errors and the backend registry.

``open_printer("escpos", connection="usb:/dev/usb/lp0")`` or ``open_printer("virtual",
out_dir=...)``; backends are imported only when chosen. Printers through the desktop's print
system (CUPS) and PDF files stay in ``ui/printing.py``: Qt draws those itself.
"""

from __future__ import annotations

from devices._registry import BackendUnavailable, UnknownBackend, load_backend
from devices.printer import errors
from devices.printer.base import NativeQr, Raster, ReceiptPrinter, SlipPart, encode_slip
from devices.printer.escpos import PrinterStatus

__all__ = ["BACKENDS", "BackendUnavailable", "NativeQr", "PrinterStatus", "Raster",
           "ReceiptPrinter", "SlipPart", "UnknownBackend", "encode_slip", "errors",
           "open_printer"]

BACKENDS: dict[str, str] = {
    "escpos": "devices.printer.escpos_device:EscposPrinter",
    "virtual": "devices.printer.virtual:VirtualPrinter",
}


def open_printer(name: str, **options: object) -> ReceiptPrinter:
    cls = load_backend("receipt printer", BACKENDS, name)
    return cls(**options)
