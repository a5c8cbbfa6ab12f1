"""Serial and USB CDC (virtual COM port) scanners through pyserial.

This is the mode that carries Vietnamese text faithfully: the scanner sends the code's bytes
(UTF-8 for a CCCD) as they are. The device is a path (``/dev/ttyACM0``, or better a stable
``/dev/serial/by-id/...`` link) or found by its USB vendor:product ID, so it is found again when
it comes back on another ``ttyACM`` number after a replug. Prefix and suffix are the scanner's
own settings (factory default is usually a CR suffix and no prefix).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import serial
from serial.tools import list_ports

from devices.scanner.base import Scanner, Source
from devices.scanner.errors import ScannerDisconnected, ScannerNotFound
from devices.scanner.framing import Framer, parse_affix
from devices.scanner.usb_ids import parse_usb_id

__all__ = ["SerialScanner", "find_port"]


def find_port(usb_id: str) -> str | None:
    """The serial device of the USB device with this vendor:product ID, if one is plugged in."""
    vid, pid = parse_usb_id(usb_id)
    for port in sorted(list_ports.comports(), key=lambda p: p.device):
        if port.vid == vid and port.pid == pid:
            return port.device
    return None


class _SerialSource:
    def __init__(self, port: serial.Serial) -> None:
        self._port = port

    def read(self, timeout: float) -> bytes:
        self._port.timeout = timeout
        try:
            first = self._port.read(1)
            if not first:
                return b""
            return first + self._port.read(self._port.in_waiting)
        except serial.SerialException as exc:
            raise ScannerDisconnected(f"the serial port failed ({exc})") from None

    def cancel(self) -> None:
        self._port.cancel_read()  # pyserial's own wake-up pipe (POSIX)

    def close(self) -> None:
        self._port.close()


class SerialScanner(Scanner):
    kind = "serial"

    def __init__(self, device: str = "", *, usb_id: str = "", baudrate: int = 9600,
                 prefix: str = "", suffix: str = "CR", idle_s: float = 0.15,
                 retry_s: float = 0.5, clock: Callable[[], float] | None = None) -> None:
        if not device and not usb_id:
            raise ValueError("a serial scanner needs devices.scanner_device or "
                             "devices.scanner_usb_id")
        if usb_id:
            parse_usb_id(usb_id)  # a typo is a configuration error, found at start
        framer = Framer(prefix=parse_affix(prefix), suffix=parse_affix(suffix), idle_s=idle_s)
        extra: dict[str, Any] = {} if clock is None else {"clock": clock}
        super().__init__(name=device or f"USB {usb_id}", framer=framer, retry_s=retry_s, **extra)
        self.device, self.usb_id, self.baudrate = device, usb_id, baudrate

    def _path(self) -> str:
        if self.device:
            return self.device
        found = find_port(self.usb_id)
        if found is None:
            raise ScannerNotFound(f"no serial device with USB ID {self.usb_id} is plugged in")
        return found

    def _open(self) -> Source:
        path = self._path()
        try:
            port = serial.Serial(path, self.baudrate, timeout=0.05, exclusive=True)
        except (serial.SerialException, OSError) as exc:
            raise ScannerNotFound(f"{path}: {exc}") from None
        return _SerialSource(port)
