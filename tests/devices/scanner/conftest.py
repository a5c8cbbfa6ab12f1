"""One harness per scanner backend, so one contract suite tests them all.

The 'hand' of each harness does what a citizen and a cable do: scan a code, send half a code,
pull the plug, plug it back. Serial backends read a real pty; HID backends read synthetic input
events and reports (no /dev/uinput on build machines).
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable, Iterator

import pytest

from devices.scanner import Scanner, open_scanner
from devices.scanner.synthetic import SyntheticHidPos, SyntheticKeyboard


@dataclasses.dataclass
class ScannerHarness:
    scanner: Scanner
    scan: Callable[[str], None]
    send_partial: Callable[[str], None]
    unplug: Callable[[], None]
    plug: Callable[[], None]
    keyboard: bool  # the text goes through a keyboard layout (accents lost)


class _Pty:
    """A serial line the test owns: the scanner reads the slave, the test writes the master."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.master: int | None = None
        self.path = ""
        self.plug()

    def plug(self) -> None:
        with self._lock:
            if self.master is None:
                master, slave = os.openpty()
                self.path = os.ttyname(slave)
                os.close(slave)
                self.master = master

    def unplug(self) -> None:
        with self._lock:
            master, self.master = self.master, None
        if master is not None:
            os.close(master)

    def write(self, data: bytes) -> None:
        with self._lock:
            assert self.master is not None, "unplugged"
            os.write(self.master, data)


def _virtual(idle_s: float) -> tuple[ScannerHarness, Callable[[], None]]:
    scanner = open_scanner("virtual", idle_s=idle_s, retry_s=0.1)
    return (ScannerHarness(scanner, scanner.scan, lambda t: scanner.send(t.encode()),
                           scanner.unplug, scanner.plug, False), scanner.close)


def _serial(idle_s: float) -> tuple[ScannerHarness, Callable[[], None]]:
    """A scanner set to STX prefix and CR LF suffix, on a pty whose path stays put (a by-id link)."""
    line = _Pty()
    link = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"scanner-{os.getpid()}-{id(line)}")
    scanner = open_scanner("serial", device=link, prefix="STX", suffix="CRLF", idle_s=idle_s,
                           retry_s=0.1)

    def relink() -> None:
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(line.path, link)

    def plug() -> None:
        line.plug()
        relink()
        scanner.nudge()  # what the hot-plug monitor does when udev reports a new tty

    def unplug() -> None:
        line.unplug()
        if os.path.lexists(link):
            os.unlink(link)

    relink()

    def close() -> None:
        scanner.stop()
        unplug()

    return (ScannerHarness(scanner, lambda t: line.write(b"\x02" + t.encode() + b"\r\n"),
                           lambda t: line.write(b"\x02" + t.encode()), unplug, plug, False), close)


def _hidpos(idle_s: float) -> tuple[ScannerHarness, Callable[[], None]]:
    device = SyntheticHidPos()
    scanner = open_scanner("hidpos", reports=device.open, idle_s=idle_s, retry_s=0.1)

    def partial(text: str) -> None:
        from devices.scanner.hidpos import scanned_data_reports

        device._put(scanned_data_reports(text.encode() * 40)[0])  # first of several reports

    return (ScannerHarness(scanner, device.scan, partial, device.unplug,
                           lambda: (device.plug(), scanner.nudge()), False), scanner.stop)


def _wedge(idle_s: float) -> tuple[ScannerHarness, Callable[[], None]]:
    device = SyntheticKeyboard()
    scanner = open_scanner("wedge", events=device.open, idle_s=idle_s, retry_s=0.1)
    return (ScannerHarness(scanner, device.scan, lambda t: device.scan(t, terminator=""),
                           device.unplug, lambda: (device.plug(), scanner.nudge()), True),
            scanner.stop)


HARNESSES = {"virtual": _virtual, "serial": _serial, "hidpos": _hidpos, "wedge": _wedge}


@pytest.fixture(params=sorted(HARNESSES))
def scanner_harness(request: pytest.FixtureRequest) -> Iterator[ScannerHarness]:
    idle_s = getattr(request, "param_idle_s", 1.0)  # long: a half code must wait for the unplug
    harness, close = HARNESSES[request.param](idle_s)
    try:
        yield harness
    finally:
        close()
