"""An ESC/POS receipt printer on USB, serial, the network or a file (``devices.escpos_printer``).

Status is read with the four ``DLE EOT`` requests, one byte each within ``status_timeout_s``; a
printer that answers none (a file, or a model without real-time status) is printed to anyway.
"""

from __future__ import annotations

import time

from devices.printer.base import ReceiptPrinter
from devices.printer.connection import Transport, is_gone, open_transport, parse_connection
from devices.printer.errors import PrinterDisconnected
from devices.printer.escpos import STATUS_REQUESTS, PrinterStatus, decode_status

__all__ = ["EscposPrinter"]


class EscposPrinter(ReceiptPrinter):
    kind = "escpos"

    def __init__(self, connection: str, *, width_dots: int = 576,
                 status_timeout_s: float = 0.5, open_timeout_s: float = 3.0) -> None:
        self.connection = parse_connection(connection)
        super().__init__(name=str(self.connection), width_dots=width_dots)
        self.status_timeout_s, self.open_timeout_s = status_timeout_s, open_timeout_s

    def status(self, timeout: float = 2.0) -> PrinterStatus:
        deadline = time.monotonic() + timeout
        transport = open_transport(self.connection, min(self.open_timeout_s, timeout))
        try:
            return self._ask(transport, deadline)
        finally:
            transport.close()

    def _ask(self, transport: Transport, deadline: float) -> PrinterStatus:
        answers = bytearray()
        try:
            for request in STATUS_REQUESTS:
                transport.write(request, deadline)
                wait = min(self.status_timeout_s, max(0.0, deadline - time.monotonic()))
                byte = transport.read_byte(wait)
                if byte is None:
                    return PrinterStatus(answered=False)
                answers.append(byte)
        except OSError as exc:
            if is_gone(exc):
                raise PrinterDisconnected() from None
            raise
        return decode_status(bytes(answers))

    def _send(self, data: bytes, timeout: float) -> PrinterStatus:
        deadline = time.monotonic() + timeout
        transport = open_transport(self.connection, min(self.open_timeout_s, timeout))
        try:
            transport.write(data, deadline)
            return self._ask(transport, deadline)
        except OSError as exc:
            if is_gone(exc):
                raise PrinterDisconnected() from None
            raise
        finally:
            transport.close()
