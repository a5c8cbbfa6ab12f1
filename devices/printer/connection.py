"""Where an ESC/POS printer is: ``usb:/dev/usb/lp0``, ``serial:/dev/ttyUSB0[:baud]``,
``tcp:HOST[:PORT]`` or ``file:PATH`` (write only: no status), as IT writes it in the config.

Each transport writes with a deadline and reads one status byte with a timeout; nothing blocks
forever (a USB printer that is offline stops taking data, and a plain write would wait for ever).
The kernel's ``usblp`` driver exposes USB printers as ``/dev/usb/lp*`` and passes status answers
back on read, so USB needs no extra library.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import select
import socket
import time

from devices.printer.errors import PrinterDisconnected, PrinterNotFound, PrinterTimeout

__all__ = ["Connection", "Transport", "open_transport", "parse_connection"]

_GONE = {errno.ENODEV, errno.EIO, errno.EPIPE, errno.ECONNRESET, errno.ENXIO, errno.ESHUTDOWN}


@dataclasses.dataclass(frozen=True)
class Connection:
    scheme: str  # usb, serial, tcp, file
    target: str  # a path or a host
    number: int = 0  # the baud rate or the TCP port

    def __str__(self) -> str:
        return f"{self.scheme}:{self.target}" + (f":{self.number}" if self.number else "")


def parse_connection(text: str) -> Connection:
    scheme, _, rest = text.strip().partition(":")
    if scheme in ("usb", "file") and rest.startswith("/"):
        return Connection(scheme, rest)
    if scheme == "serial" and rest.startswith("/"):
        path, _, baud = rest.partition(":")
        if not baud or baud.isdigit():
            return Connection(scheme, path, int(baud or 19200))
    if scheme == "tcp" and rest:
        host, _, port = rest.rpartition(":") if rest.count(":") == 1 else (rest, "", "")
        if host and (not port or port.isdigit()) and " " not in host:
            return Connection(scheme, host, int(port or 9100))
    raise ValueError(f"{text!r} is not a printer connection: write usb:/dev/usb/lp0, "
                     f"serial:/dev/ttyUSB0:19200, tcp:192.0.2.10:9100 or file:/path")


class Transport:
    def write(self, data: bytes, deadline: float) -> None:
        raise NotImplementedError

    def read_byte(self, timeout: float) -> int | None:
        return None

    def close(self) -> None:
        pass


class _Fd(Transport):
    """A device node (usblp) or a plain file."""

    def __init__(self, path: str, readable: bool) -> None:
        flags = (os.O_RDWR if readable else os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        self._fd = os.open(path, flags | os.O_NONBLOCK, 0o600)
        self._readable = readable

    def write(self, data: bytes, deadline: float) -> None:
        view = memoryview(data)
        while view:
            left = deadline - time.monotonic()
            if left <= 0:
                raise PrinterTimeout()
            _, ready, _ = select.select([], [self._fd], [], left)
            if ready:
                try:
                    view = view[os.write(self._fd, view):]
                except BlockingIOError:
                    continue

    def read_byte(self, timeout: float) -> int | None:
        if not self._readable:
            return None
        ready, _, _ = select.select([self._fd], [], [], timeout)
        if not ready:
            return None
        try:
            data = os.read(self._fd, 1)
        except BlockingIOError:
            return None
        return data[0] if data else None

    def close(self) -> None:
        os.close(self._fd)


class _Tcp(Transport):
    def __init__(self, host: str, port: int, timeout: float) -> None:
        self._sock = socket.create_connection((host, port), timeout=timeout)

    def write(self, data: bytes, deadline: float) -> None:
        left = deadline - time.monotonic()
        if left <= 0:
            raise PrinterTimeout()
        self._sock.settimeout(left)
        try:
            self._sock.sendall(data)
        except TimeoutError:
            raise PrinterTimeout() from None

    def read_byte(self, timeout: float) -> int | None:
        self._sock.settimeout(timeout)
        try:
            data = self._sock.recv(1)
        except TimeoutError:
            return None
        if not data:
            raise PrinterDisconnected("The receipt printer closed the connection.")
        return data[0]

    def close(self) -> None:
        self._sock.close()


class _Serial(Transport):
    def __init__(self, path: str, baud: int) -> None:
        import serial

        try:
            self._port = serial.Serial(path, baud, timeout=1.0, write_timeout=1.0)
        except serial.SerialException as exc:
            raise OSError(errno.ENOENT, str(exc)) from None

    def write(self, data: bytes, deadline: float) -> None:
        import serial

        left = deadline - time.monotonic()
        if left <= 0:
            raise PrinterTimeout()
        self._port.write_timeout = left
        try:
            self._port.write(data)
            self._port.flush()
        except serial.SerialTimeoutException:
            raise PrinterTimeout() from None
        except serial.SerialException as exc:
            raise PrinterDisconnected(f"The receipt printer's serial line failed ({exc}).") \
                from None

    def read_byte(self, timeout: float) -> int | None:
        import serial

        self._port.timeout = timeout
        try:
            data = self._port.read(1)
        except serial.SerialException:
            raise PrinterDisconnected() from None
        return data[0] if data else None

    def close(self) -> None:
        self._port.close()


def open_transport(connection: Connection, timeout: float) -> Transport:
    """Open the printer's line; ``PrinterNotFound`` (with the reason) when it is not there."""
    try:
        if connection.scheme == "tcp":
            return _Tcp(connection.target, connection.number, timeout)
        if connection.scheme == "serial":
            return _Serial(connection.target, connection.number)
        return _Fd(connection.target, readable=connection.scheme == "usb")
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise PrinterNotFound(f"The receipt printer at {connection} could not be opened "
                              f"({reason}). Staff: check that it is on and plugged in.") from None


def is_gone(exc: OSError) -> bool:
    """An error that means the device went away (rather than a bug)."""
    return exc.errno in _GONE or isinstance(exc, (BrokenPipeError, ConnectionError))
