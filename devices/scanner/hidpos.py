"""HID-POS scanners (USB HID usage page 0x8C, "HID barcode scanner") read from ``/dev/hidraw*``.

Like the serial mode, HID-POS carries the code's bytes untouched (no keyboard layout), and it needs
no driver: Linux exposes the scanner as a hidraw device. Each input report of the scanned-data
kind has the layout Honeywell, Zebra and Newland scanners use:

    byte 0      report ID 0x02
    byte 1      n, the number of code bytes in this report
    bytes 2..   the code bytes, the first report's starting with the AIM symbology identifier
                (``]Q1`` for a QR code) when the scanner is set to send it
    byte 63     bit 0 set when more reports of the same code follow (64-byte reports only)

Reports of other IDs (status, settings) are ignored. A code whose last report never comes is
ended by a pause of ``idle_s``, like a serial scanner without a suffix.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from devices.scanner.base import Scanner, Source, WakePipe
from devices.scanner.errors import ScannerNotFound
from devices.scanner.usb_ids import parse_usb_id

__all__ = ["HidPosFramer", "HidPosScanner", "find_hidraw", "scanned_data_reports"]

SCANNED_DATA_REPORT = 0x02
REPORT_SIZE = 64
_AIM = re.compile(rb"\][A-Za-z][0-9A-Za-z]")


def scanned_data_reports(code: bytes, *, aim: bytes = b"]Q1", size: int = REPORT_SIZE,
                         ) -> list[bytes]:
    """The reports a HID-POS scanner sends for ``code`` (for the virtual scanner and tests)."""
    data = aim + code
    room = size - 3  # report ID, length, continuation byte
    chunks = [data[i:i + room] for i in range(0, len(data), room)] or [b""]
    reports = []
    for index, chunk in enumerate(chunks):
        more = 1 if index < len(chunks) - 1 else 0
        body = bytes((SCANNED_DATA_REPORT, len(chunk))) + chunk
        reports.append(body.ljust(size - 1, b"\0") + bytes((more,)))
    return reports


class HidPosFramer:
    """Joins the reports of one scan; the same interface as ``framing.Framer``."""

    def __init__(self, *, idle_s: float = 0.3, max_bytes: int = 4096) -> None:
        self.idle_s, self.max_bytes = idle_s, max_bytes
        self._parts: list[bytes] = []
        self._last = 0.0

    def feed(self, report: bytes, now: float) -> list[bytes]:
        if len(report) < 2 or report[0] != SCANNED_DATA_REPORT:
            return []
        length = min(report[1], len(report) - 2)
        self._parts.append(report[2:2 + length])
        self._last = now
        more = len(report) >= REPORT_SIZE and report[REPORT_SIZE - 1] & 0x01
        if more and sum(map(len, self._parts)) <= self.max_bytes:
            return []
        return self._take()

    def flush_if_idle(self, now: float) -> list[bytes]:
        if self._parts and now - self._last > self.idle_s:
            return self._take()
        return []

    @property
    def pending(self) -> bool:
        """Part of a code has arrived and its end has not."""
        return bool(self._parts)

    def reset(self) -> None:
        self._parts.clear()

    def _take(self) -> list[bytes]:
        data = b"".join(self._parts)
        self._parts.clear()
        if _AIM.match(data):
            data = data[3:]
        return [data] if data else []


def find_hidraw(usb_id: str, sysfs: Path = Path("/sys/class/hidraw")) -> str | None:
    """The hidraw device of the USB device with this vendor:product ID, if plugged in."""
    vid, pid = parse_usb_id(usb_id)
    wanted = f":{vid:08X}:{pid:08X}"
    for node in sorted(sysfs.glob("hidraw*")):
        try:
            uevent = (node / "device" / "uevent").read_text()
        except OSError:
            continue
        if any(line.startswith("HID_ID=") and line.upper().endswith(wanted)
               for line in uevent.splitlines()):
            return f"/dev/{node.name}"
    return None


class _HidrawSource:
    def __init__(self, path: str) -> None:
        self._fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        self._wake = WakePipe()

    def read(self, timeout: float) -> bytes:
        if not self._wake.wait(self._fd, timeout):
            return b""
        try:
            data = os.read(self._fd, REPORT_SIZE)
        except BlockingIOError:
            return b""
        if not data:
            raise OSError("the HID device closed")
        return data

    def cancel(self) -> None:
        self._wake.wake()

    def close(self) -> None:
        os.close(self._fd)
        self._wake.close()


class HidPosScanner(Scanner):
    kind = "hidpos"

    def __init__(self, device: str = "", *, usb_id: str = "", idle_s: float = 0.3,
                 retry_s: float = 0.5, sysfs: Path = Path("/sys/class/hidraw"),
                 reports: Callable[[], Source] | None = None,
                 clock: Callable[[], float] | None = None) -> None:
        """``reports`` (tests, the demo) replaces the hidraw device with any source of reports."""
        if not device and not usb_id and reports is None:
            raise ValueError("a HID-POS scanner needs devices.scanner_device or "
                             "devices.scanner_usb_id")
        if usb_id:
            parse_usb_id(usb_id)
        extra: dict[str, Any] = {} if clock is None else {"clock": clock}
        super().__init__(name=device or (f"USB {usb_id}" if usb_id else "HID-POS scanner"),
                         framer=HidPosFramer(idle_s=idle_s), retry_s=retry_s, **extra)
        self.device, self.usb_id, self._sysfs, self._reports = device, usb_id, sysfs, reports

    def _open(self) -> Source:
        if self._reports is not None:
            return self._reports()
        path = self.device or find_hidraw(self.usb_id, self._sysfs)
        if not path:
            raise ScannerNotFound(f"no HID device with USB ID {self.usb_id} is plugged in")
        try:
            return _HidrawSource(path)
        except OSError as exc:
            raise ScannerNotFound(f"{path}: {exc.strerror or exc}") from None
