"""The virtual scanner: a real serial scanner on a pseudo-terminal, for the demo and the tests.

``VirtualScanner`` is ``SerialScanner`` reading the slave end of a pty; ``scan(text)`` writes what a
scanner in serial mode would send (the code's UTF-8 bytes and the suffix) to the master end, so
every byte goes through the same pyserial reading, framing and classification as on a kiosk.
``unplug()`` closes the master (reading fails with EIO, as when a USB CDC scanner is pulled out)
and ``plug()`` opens a new pty, which the reading thread finds within its retry time.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

from devices.scanner.errors import ScannerNotFound
from devices.scanner.framing import parse_affix
from devices.scanner.serial_port import SerialScanner

__all__ = ["VirtualScanner"]


class VirtualScanner(SerialScanner):
    kind = "virtual"

    def __init__(self, *, prefix: str = "", suffix: str = "CR", idle_s: float = 0.15,
                 retry_s: float = 0.2, plugged: bool = True,
                 clock: Callable[[], float] | None = None) -> None:
        self._pty_lock = threading.Lock()
        self._master: int | None = None
        self._slave_path = ""
        super().__init__("virtual", prefix=prefix, suffix=suffix, idle_s=idle_s,
                         retry_s=retry_s, clock=clock)
        self.name = "Virtual scanner"
        self._prefix_bytes, self._suffix_bytes = parse_affix(prefix), parse_affix(suffix)
        if plugged:
            self.plug()

    @property
    def plugged(self) -> bool:
        with self._pty_lock:
            return self._master is not None

    def plug(self) -> None:
        """Connect the scanner (a new pty); the reading thread opens it at once."""
        with self._pty_lock:
            if self._master is not None:
                return
            master, slave = os.openpty()
            self._slave_path = os.ttyname(slave)
            os.close(slave)  # the reader opens it by path, as it would /dev/ttyACM0
            self._master = master
        self.nudge()

    def unplug(self) -> None:
        """Pull the cable: the open port fails and the scanner is reported detached."""
        with self._pty_lock:
            master, self._master = self._master, None
        if master is not None:
            os.close(master)

    def scan(self, text: str | bytes) -> None:
        """Send one code as a serial scanner does: prefix, the bytes, suffix."""
        data = text.encode("utf-8") if isinstance(text, str) else text
        self.send(self._prefix_bytes + data + self._suffix_bytes)

    def send(self, data: bytes) -> None:
        """Raw bytes on the line (for tests of broken or partial input)."""
        with self._pty_lock:
            if self._master is None:
                raise ScannerNotFound("the virtual scanner is unplugged")
            view = memoryview(data)
            while view:
                view = view[os.write(self._master, view):]

    def _path(self) -> str:
        with self._pty_lock:
            if self._master is None:
                raise ScannerNotFound("the virtual scanner is unplugged")
            return self._slave_path

    def close(self) -> None:
        """Stop reading and release the pty."""
        self.stop()
        self.unplug()
