"""Receipt printer errors, ordered by phase. Messages are for staff; the citizen keeps the code on
the screen and the slip is saved as a PDF.

::

    PrinterError                  anything the printer layer cannot do
     +-- PrinterNotFound          opening: no such device, host or port                (staff/IT)
     +-- PrinterNotReady          before printing: paper out, cover open, offline       (staff)
     +-- PrinterDisconnected      while printing: the device went away mid-job          (staff)
     +-- PrinterTimeout           any phase: the printer did not take or answer in time (staff)
"""

from __future__ import annotations

from typing import Any

__all__ = ["PrinterDisconnected", "PrinterError", "PrinterNotFound", "PrinterNotReady",
           "PrinterTimeout"]


class PrinterError(Exception):
    default_message = "The receipt printer is not working. Staff: check its power and cable."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)


class PrinterNotFound(PrinterError):
    default_message = ("The receipt printer could not be opened. Staff: check that it is on and "
                       "plugged in; IT: check devices.escpos_printer.")


class PrinterNotReady(PrinterError):
    default_message = "The receipt printer is not ready."

    def __init__(self, status: Any, message: str | None = None) -> None:
        super().__init__(message or f"The receipt printer is not ready: {status.describe()}.")
        self.status = status


class PrinterDisconnected(PrinterError):
    default_message = ("The receipt printer went away while printing. Staff: check its cable; "
                       "the slip was saved and can be printed again.")


class PrinterTimeout(PrinterError):
    default_message = ("The receipt printer did not answer in time. Staff: check that it is on, "
                       "has paper and its cover is closed.")
