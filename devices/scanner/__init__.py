"""Barcode scanners: the interface, the events, the errors and the backend registry.

``open_scanner("serial" | "hidpos" | "wedge" | "virtual", **options)`` imports a backend only when
it is chosen: a kiosk without python-evdev can still use a serial scanner.
"""

from __future__ import annotations

from devices._registry import BackendUnavailable, UnknownBackend, load_backend
from devices.scanner import errors
from devices.scanner.base import Scanned, Scanner, ScannerAttached, ScannerDetached, ScannerEvent

__all__ = ["BACKENDS", "BackendUnavailable", "Scanned", "Scanner", "ScannerAttached",
           "ScannerDetached", "ScannerEvent", "UnknownBackend", "errors", "open_scanner"]

#: Backend name -> "module:Class".
BACKENDS: dict[str, str] = {
    "serial": "devices.scanner.serial_port:SerialScanner",
    "hidpos": "devices.scanner.hidpos:HidPosScanner",
    "wedge": "devices.scanner.wedge:WedgeScanner",
    "virtual": "devices.scanner.virtual:VirtualScanner",
}


def open_scanner(name: str, **options: object) -> Scanner:
    """Build the scanner backend called ``name`` (not started: ``start()`` begins reading)."""
    cls = load_backend("barcode scanner", BACKENDS, name)
    return cls(**options)
