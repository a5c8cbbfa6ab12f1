"""Qt bridges for the devices: device-thread callbacks become Qt signals emitted on the GUI thread.

The reader calls our callback on ITS thread; we only emit a private signal there. A queued
connection brings the event to the GUI thread, where the public, past-tense signals are emitted,
so every slot connected to them may touch widgets. Reading the card blocks, so it goes through the
``Worker``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from ui.texts import describe_card_error, describe_qr_problem
from ui.worker import Worker

__all__ = ["CameraBridge", "CardReaderBridge"]

log = logging.getLogger(__name__)


class CardReaderBridge(QObject):
    reader_added = Signal(str)
    reader_removed = Signal(str)
    card_inserted = Signal()
    card_removed = Signal()
    read_started = Signal()
    read_progressed = Signal(str, int, int)   # file, bytes done, bytes total
    identity_read = Signal(object)            # devices.card.CardRead
    read_failed = Signal(str)                 # a sentence the citizen can act on

    _event_arrived = Signal(object)           # emitted on the device thread only

    def __init__(self, reader: Any, worker: Worker, *, read_timeout_s: float = 15.0,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reader = reader
        self._worker = worker
        self._read_timeout_s = read_timeout_s
        self._reading = False
        self._event_arrived.connect(self._on_event_arrived, Qt.QueuedConnection)
        self._unsubscribe: Callable[[], None] | None = reader.subscribe(self._event_arrived.emit)

    @property
    def reading(self) -> bool:
        return self._reading

    @property
    def reader(self) -> Any:
        return self._reader

    def close(self) -> None:
        """Stop listening (before the reader or this object goes away)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    @Slot(object)
    def _on_event_arrived(self, event: object) -> None:
        from devices.card import CardInserted, CardRemoved, ReaderAdded, ReaderRemoved, ReadProgress

        if isinstance(event, ReadProgress):
            self.read_progressed.emit(event.file, event.done, event.total)
        elif isinstance(event, CardInserted):
            self.card_inserted.emit()
        elif isinstance(event, CardRemoved):
            self.card_removed.emit()
        elif isinstance(event, ReaderAdded):
            self.reader_added.emit(event.name)
        elif isinstance(event, ReaderRemoved):
            self.reader_removed.emit(event.name)

    def read(self) -> bool:
        """Start reading the card on the worker; False if a read is already running."""
        if self._reading:
            return False
        self._reading = True
        self.read_started.emit()
        timeout = self._read_timeout_s
        self._worker.run(lambda: self._reader.read_identity(timeout),
                         self._on_read_done, self._on_read_error, name="card-read")
        return True

    def _on_read_done(self, card_read: object) -> None:
        self._reading = False
        self.identity_read.emit(card_read)

    def _on_read_error(self, exc: BaseException) -> None:
        self._reading = False
        from devices.card.errors import CardError

        if not isinstance(exc, CardError):
            log.error("Card read failed unexpectedly: %s", type(exc).__name__)
        self.read_failed.emit(describe_card_error(exc))


class CameraBridge(QObject):
    """Watches the camera for the QR code printed on the ID card while ``scanning`` is on.

    Decoding runs on the camera's capture thread (no Qt there); only the outcome crosses to the GUI
    thread. Frames that arrive while one is being decoded are dropped: the camera only ever keeps
    the newest one anyway.
    """

    identity_scanned = Signal(object)  # kiosk.identity.CitizenIdentity (source: QR)
    scan_failed = Signal(str)          # a sentence the citizen can act on

    _found_in_thread = Signal(object)  # ("ok", identity) | ("error", code), from the camera thread

    def __init__(self, camera: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from devices.qr import Debouncer, QrScanner

        self._scanner = QrScanner(formats=("QRCode",))
        self._debouncer = Debouncer(hold_s=3.0)
        self._scanning = threading.Event()
        self._forget = threading.Event()
        self._busy = threading.Lock()
        self._found_in_thread.connect(self._on_found_in_thread, Qt.QueuedConnection)
        self._unsubscribe: Callable[[], None] | None = camera.subscribe(self._on_frame)

    def set_scanning(self, on: bool) -> None:
        """Look for QR codes (on the welcome and identify screens) or ignore the camera."""
        if on:
            self._scanning.set()
        else:
            self._scanning.clear()
            self._forget.set()  # the next citizen's scan must count even if the code is the same

    def close(self) -> None:
        self._scanning.clear()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        with self._busy:  # a frame being decoded finishes first
            self._scanner = None  # release the native decoder now, not at interpreter exit

    def _on_frame(self, frame: object) -> None:  # camera thread
        if not self._scanning.is_set() or not self._busy.acquire(blocking=False):
            return
        try:
            if self._scanner is None:
                return
            if self._forget.is_set():
                self._forget.clear()
                self._debouncer.reset()
            outcome = self._scan(frame)
            if outcome is not None and self._scanning.is_set():
                self._found_in_thread.emit(outcome)
        except Exception as exc:  # noqa: BLE001 - a bad frame must not stop the camera
            log.warning("QR decoding failed: %s", type(exc).__name__)
        finally:
            self._busy.release()

    def _scan(self, frame: object) -> tuple[str, object] | None:
        from devices.qr.cccd import QrPayloadError, parse_cccd_qr

        for decoded in self._scanner.decode(frame):
            if not self._debouncer.accept(decoded.text):
                continue
            try:
                return "ok", parse_cccd_qr(decoded.text).identity
            except QrPayloadError as exc:
                return "error", exc.code
        return None

    @Slot(object)
    def _on_found_in_thread(self, outcome: tuple[str, object]) -> None:
        kind, value = outcome
        if not self._scanning.is_set():
            return
        if kind == "ok":
            self.identity_scanned.emit(value)
        else:
            self.scan_failed.emit(describe_qr_problem(str(value)))
