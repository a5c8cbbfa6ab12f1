"""Put a ``VirtualChip`` on vsmartcard's virtual reader, so pcscd and pyscard see a real card.

The vpcd driver (Debian ``vsmartcard-vpcd``), loaded by pcscd, listens on TCP (35963 for reader
"Virtual PCD 00 00", 35964 for "... 00 01", see /etc/reader.conf.d/vpcd). A virtual card connects
to it; connected means inserted, disconnected means removed. Framing: 2-byte big-endian length,
then the payload. A 1-byte payload is a control code (0 power off, 1 power on, 2 reset, 4 send
the ATR, which is the only one answered); anything longer is a command APDU, answered with the
response APDU. TCP_NODELAY matters: without it every small answer waits ~40 ms for Nagle.

Reconnecting after a stop is the caller's business (``start()`` again): a real card is put back
by a hand, not by the card.
"""

from __future__ import annotations

import logging
import socket
import struct
import threading
import time

from devices.card import errors
from devices.card.chip.emulator import VirtualChip
from devices.card.chip.hostile import ChipRemoved

__all__ = ["VPCD_PORT", "VpcdClient"]

log = logging.getLogger(__name__)

VPCD_PORT = 35963
CTRL_OFF, CTRL_ON, CTRL_RESET, CTRL_ATR = 0x00, 0x01, 0x02, 0x04


class VpcdClient:
    """The card side of the vpcd socket. ``start()`` inserts the card, ``stop()`` removes it."""

    def __init__(
        self,
        chip: VirtualChip,
        host: str = "127.0.0.1",
        port: int = VPCD_PORT,
        *,
        connect_timeout: float = 5.0,
        thread_name: str = "vpcd-card",
    ) -> None:
        self.chip = chip
        self.host, self.port = host, port
        self.connect_timeout = connect_timeout
        self.thread_name = thread_name
        self.apdus = 0  # command APDUs answered (for tests and round-trip measurements)
        self.cpu_s = 0.0  # CPU time of the serving thread so far (the card's side, for benches)
        self.removed_by_chip = threading.Event()  # set when a hostile chip "left the field"
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def __repr__(self) -> str:
        state = "inserted" if self.running else "removed"
        return f"VpcdClient({self.host}:{self.port}, {state})"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Connect to vpcd (the card is inserted) and serve it on a named thread."""
        if self.running:
            raise RuntimeError("this virtual card is already inserted")
        self.stop()  # join a thread that ended by itself (driver gone, chip 'removed')
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.connect_timeout)
        except OSError as exc:
            raise errors.NoReader(
                f"{errors.NoReader.default_message} (virtual reader at {self.host}:{self.port}: "
                f"{exc.strerror or exc})"
            ) from None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(None)  # blocking; stop() wakes recv() with shutdown()
        self._sock = sock
        self._stopping.clear()
        self._thread = threading.Thread(target=self.run, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Disconnect (the card is removed) and join the thread; ``CardTimeout`` if it hangs."""
        self._stopping.set()
        self._close_socket()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
            if thread.is_alive():
                raise errors.CardTimeout("The virtual card did not stop in time.")

    def __enter__(self) -> VpcdClient:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- the socket loop --------------------------------------------------------------------------
    def run(self) -> None:
        """Serve vpcd until the socket closes or ``stop()``; called on the client's thread."""
        sock = self._sock
        if sock is None:
            return
        try:
            while not self._stopping.is_set():
                payload = self._receive(sock)
                if payload is None:
                    return
                reply = self._answer(payload)
                if reply is not None:
                    sock.sendall(struct.pack(">H", len(reply)) + reply)
                self.cpu_s = time.thread_time()
        except ChipRemoved:
            self.removed_by_chip.set()
        except OSError as exc:
            if not self._stopping.is_set():
                log.info("vpcd connection ended: %s", exc)
        finally:
            self._close_socket()

    def _answer(self, payload: bytes) -> bytes | None:
        if len(payload) == 1:
            code = payload[0]
            if code == CTRL_ATR:
                return self.chip.atr
            if code in (CTRL_OFF, CTRL_ON, CTRL_RESET):
                self.chip.reset()
            return None
        response = self.chip.process(payload)
        self.apdus += 1
        delay = self.chip.hostile.delay() if self.chip.hostile is not None else 0.0
        if delay and self._stopping.wait(delay):
            return None
        return response

    @staticmethod
    def _receive(sock: socket.socket) -> bytes | None:
        # vpcd writes the length and the payload separately and does not disable Nagle, so its
        # payload waits for our ACK of the length: ACK at once instead of after ~40 ms.
        _quickack(sock)
        header = _recv_exact(sock, 2)
        _quickack(sock)
        if header is None:
            return None
        return _recv_exact(sock, struct.unpack(">H", header)[0])

    def _close_socket(self) -> None:
        sock, self._sock = self._sock, None
        if sock is None:
            return
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()


def _quickack(sock: socket.socket) -> None:
    if hasattr(socket, "TCP_QUICKACK"):  # Linux only; elsewhere the ~40 ms stays
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        except OSError:
            pass


def _recv_exact(sock: socket.socket, size: int) -> bytes | None:
    chunks, got = [], 0
    while got < size:
        chunk = sock.recv(size - got)
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)
