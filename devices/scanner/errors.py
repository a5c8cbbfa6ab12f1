"""Barcode scanner errors, ordered by phase. Messages are for staff; citizens are told to show the
code again, type their ID or use the camera.

::

    ScannerError                  anything the scanner layer cannot do
     +-- ScannerNotFound          opening: no such device, or no device with the configured USB ID
     +-- ScannerDisconnected      reading: the device went away (unplugged, powered off)
     +-- ScannerTimeout           stopping: the reading thread did not end in time
"""

from __future__ import annotations

__all__ = ["ScannerDisconnected", "ScannerError", "ScannerNotFound", "ScannerTimeout"]


class ScannerError(Exception):
    default_message = ("The barcode scanner is not working. Citizens can type their ID number or "
                       "use the camera meanwhile.")

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)


class ScannerNotFound(ScannerError):
    default_message = ("The barcode scanner could not be opened. Staff: check that it is plugged "
                       "in; IT: check devices.scanner_device or devices.scanner_usb_id and that "
                       "the kiosk user may read it (group dialout or input).")


class ScannerDisconnected(ScannerError):
    default_message = ("The barcode scanner was unplugged or switched off. Staff: check its "
                       "cable; the kiosk uses it again as soon as it is back.")


class ScannerTimeout(ScannerError):
    default_message = "The barcode scanner did not stop in time; it may need to be unplugged."
