"""The virtual ESC/POS printer: the demo's and the tests' 80 mm thermal printer.

``PaperRoll`` is the printer itself: it interprets the byte stream (``EscposStream``), answers
status requests from its paper and cover, and saves each cut slip as a PNG (``slip-0001.png``...)
showing exactly the dots a real head would burn. It is reached two ways:

- ``VirtualPrinter`` (backend ``virtual``): in the kiosk's process, bytes handed over directly;
- ``VirtualPrinterServer``: a TCP printer on the loopback (port 9100 style), so the real
  ``escpos`` backend talks to it over a socket exactly as to a network printer.

A person's hand is ``set_conditions(paper_out=True)``, ``unplug()``, ``plug()``.
"""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
from pathlib import Path

import cv2
import numpy as np

from devices.printer.base import ReceiptPrinter
from devices.printer.errors import PrinterDisconnected, PrinterNotFound
from devices.printer.escpos import STATUS_REQUESTS, PrinterStatus, decode_status
from devices.printer.stream import Conditions, EscposStream

__all__ = ["PaperRoll", "VirtualPrinter", "VirtualPrinterServer"]


class PaperRoll:
    def __init__(self, out_dir: Path | str | None = None, width_dots: int = 576) -> None:
        self.out_dir = Path(out_dir) if out_dir else None
        self.stream = EscposStream(width_dots)
        self.plugged = True
        self.saved: list[Path] = []
        self._lock = threading.Lock()

    def set_conditions(self, **flags: bool) -> None:
        """e.g. ``paper_out=True``, ``cover_open=False``; unknown names raise ``TypeError``."""
        with self._lock:
            self.stream.conditions = dataclasses.replace(self.stream.conditions, **flags)

    @property
    def conditions(self) -> Conditions:
        return self.stream.conditions

    @property
    def pages(self) -> list[np.ndarray]:
        with self._lock:
            return list(self.stream.pages)

    def receive(self, data: bytes) -> bytes:
        """Bytes in, status answers out; every finished page is saved."""
        with self._lock:
            before = len(self.stream.pages)
            answer = self.stream.feed(data)
            for page in self.stream.pages[before:]:
                self._save(page)
            return answer

    def _save(self, page: np.ndarray) -> None:
        if self.out_dir is None:
            return
        self.out_dir.mkdir(parents=True, exist_ok=True)
        path = self.out_dir / f"slip-{len(self.stream.pages):04d}.png"
        cv2.imwrite(str(path), np.where(page, 0, 255).astype(np.uint8))
        self.saved.append(path)


class VirtualPrinter(ReceiptPrinter):
    kind = "virtual"

    def __init__(self, out_dir: Path | str | None = None, *, width_dots: int = 576,
                 roll: PaperRoll | None = None) -> None:
        super().__init__(name="Virtual ESC/POS printer", width_dots=width_dots)
        self.roll = roll or PaperRoll(out_dir, width_dots)
        self._break_after: int | None = None

    def status(self, timeout: float = 2.0) -> PrinterStatus:
        if not self.roll.plugged:
            raise PrinterNotFound("The virtual printer is unplugged.")
        return decode_status(b"".join(self.roll.receive(r) for r in STATUS_REQUESTS))

    def _send(self, data: bytes, timeout: float) -> PrinterStatus:
        if not self.roll.plugged:
            raise PrinterDisconnected()
        if self._break_after is not None and len(data) > self._break_after:
            self.roll.receive(data[:self._break_after])
            self._break_after = None
            self.unplug()
            raise PrinterDisconnected()
        self.roll.receive(data)
        return self.status(timeout)

    # the hand
    def set_conditions(self, **flags: bool) -> None:
        self.roll.set_conditions(**flags)

    def unplug(self) -> None:
        self.roll.plugged = False

    def plug(self) -> None:
        self.roll.plugged = True

    def break_after(self, count: int) -> None:
        """Pull the plug once ``count`` bytes of the next job have arrived."""
        self._break_after = count


class VirtualPrinterServer:
    """A network printer on 127.0.0.1 serving one connection at a time, like a real one."""

    def __init__(self, roll: PaperRoll | None = None, *, port: int = 0,
                 out_dir: Path | str | None = None) -> None:
        self.roll = roll or PaperRoll(out_dir)
        self._port = port
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._client: socket.socket | None = None
        self._lock = threading.Lock()
        self._break_after: int | None = None

    @property
    def connection(self) -> str:
        """What to put in ``devices.escpos_printer``."""
        return f"tcp:127.0.0.1:{self._port}"

    def start(self) -> str:
        listener = socket.create_server(("127.0.0.1", self._port))
        listener.settimeout(0.1)
        self._port = listener.getsockname()[1]
        self._listener = listener
        self._stop.clear()
        self._thread = threading.Thread(target=self._serve, name="virtual-printer", daemon=True)
        self._thread.start()
        return self.connection

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self.unplug()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def unplug(self) -> None:
        """Power off: the listening socket and any open connection go away."""
        with self._lock:
            listener, self._listener = self._listener, None
            client, self._client = self._client, None
        for sock in (listener, client):
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()

    def plug(self) -> None:
        """Power on again, on the same port."""
        with self._lock:
            if self._listener is not None:
                return
            listener = socket.create_server(("127.0.0.1", self._port))
            listener.settimeout(0.1)
            self._listener = listener

    def break_after(self, count: int) -> None:
        """Pull the plug once ``count`` more bytes have arrived (the cable pulled mid-job)."""
        self._break_after = count

    def _serve(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                listener = self._listener
            if listener is None:
                time.sleep(0.02)
                continue
            try:
                client, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            with self._lock:
                self._client = client
            self._talk(client)

    def _talk(self, client: socket.socket) -> None:
        client.settimeout(0.1)
        try:
            while not self._stop.is_set():
                try:
                    data = client.recv(65536)
                except TimeoutError:
                    continue
                if not data:
                    return
                if self._break_after is not None:
                    if len(data) >= self._break_after:
                        self.roll.receive(data[:self._break_after])
                        self._break_after = None
                        self.unplug()
                        return
                    self._break_after -= len(data)
                answer = self.roll.receive(data)
                if answer:
                    client.sendall(answer)
        except OSError:
            return
        finally:
            with self._lock:
                if self._client is client:
                    self._client = None
            client.close()
