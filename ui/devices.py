"""Qt bridges for the devices: device-thread callbacks become Qt signals emitted on the GUI thread.

The reader calls our callback on ITS thread; we only emit a private signal there. A queued
connection brings the event to the GUI thread, where the public, past-tense signals are emitted,
so every slot connected to them may touch widgets. Reading the card blocks, so it goes through the
``Worker``.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from ui.texts import describe_card_error, describe_qr_problem, describe_receipt_problem
from ui.worker import Worker

__all__ = ["CameraBridge", "CardReaderBridge", "route_scan"]

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
    key_required = Signal()                   # the reader needs the ID number (or QR) first
    birth_date_required = Signal()            # no PACE: BAC needs the date of birth as well

    _event_arrived = Signal(object)           # emitted on the device thread only

    def __init__(self, reader: Any, worker: Worker, *, read_timeout_s: float = 15.0,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reader = reader
        self._worker = worker
        self._read_timeout_s = read_timeout_s
        self._reading = False
        self._key_needed = False
        self._birth_date_needed = False
        self._last_key: Any = None
        self._event_arrived.connect(self._on_event_arrived, Qt.QueuedConnection)
        self._unsubscribe: Callable[[], None] | None = reader.subscribe(self._event_arrived.emit)

    @property
    def reading(self) -> bool:
        return self._reading

    @property
    def key_needed(self) -> bool:
        """The card on the reader refused to be read without its key (KeyRequired)."""
        return self._key_needed

    @property
    def birth_date_needed(self) -> bool:
        """The card cannot do PACE and its BAC key needs the date of birth (BirthDateRequired)."""
        return self._birth_date_needed

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
            self._forget_key()
            self.card_inserted.emit()
        elif isinstance(event, CardRemoved):
            self._forget_key()
            self.card_removed.emit()
        elif isinstance(event, ReaderAdded):
            self.reader_added.emit(event.name)
        elif isinstance(event, ReaderRemoved):
            self.reader_removed.emit(event.name)

    def read(self, key: Any = None) -> bool:
        """Start reading the card on the worker (``key``: an ``AccessKey`` from the typed ID or
        the card's QR code); False if a read is already running."""
        if self._reading:
            return False
        self._reading = True
        self._last_key = key
        self.read_started.emit()
        timeout = self._read_timeout_s
        self._worker.run(lambda: self._reader.read_identity(timeout, key=key),
                         self._on_read_done,
                         lambda exc: self._on_read_error(exc, key is not None), name="card-read")
        return True

    def read_with_birth_date(self, dob_yymmdd: str) -> bool:
        """Read again with the last key plus the date of birth the citizen typed."""
        if self._last_key is None or not hasattr(self._last_key, "with_birth_date"):
            return False
        try:
            key = self._last_key.with_birth_date(dob_yymmdd)
        except ValueError:
            return False
        return self.read(key)

    def _forget_key(self) -> None:
        """Another card (or none): nothing typed for the previous one applies any more."""
        self._key_needed = self._birth_date_needed = False
        self._last_key = None

    def _on_read_done(self, card_read: object) -> None:
        self._reading = False
        self._key_needed = self._birth_date_needed = False
        self._last_key = None  # the key held the citizen's ID and birth date: not kept
        self.identity_read.emit(card_read)

    def _on_read_error(self, exc: BaseException, key_given: bool) -> None:
        self._reading = False
        from devices.card.base import KeyRequired
        from devices.card.errors import BirthDateRequired, CardError

        if isinstance(exc, KeyRequired):
            self._key_needed = True
            self.key_required.emit()
            return
        if isinstance(exc, BirthDateRequired):
            self._birth_date_needed = True  # the ID the citizen gave was not refused
            self.birth_date_required.emit()
            return
        self._last_key = None
        if not isinstance(exc, CardError):
            log.error("Card read failed unexpectedly: %s", type(exc).__name__)
        self.read_failed.emit(describe_card_error(exc, key_given=key_given))


#: the region decoded, as a multiple of the frame guide's side: codes held a little off the guide
#: are still read, while the rest of the view (faces, posters, the counter) costs no decoding
ROI_ROOM = 1.35


class CameraBridge(QObject):
    """The camera for the screens: QR scanning through ``devices.qr.worker.ScanWorker``, the newest
    frame for a live preview, and the camera's life (running only while a screen needs it).

    The scan worker decodes on its own thread; its results and hints are emitted there on private
    signals and arrive here, on the GUI thread, through queued connections. The capture thread
    swaps a reference to the newest frame and, while a preview is wanted, at most ``preview_fps``
    times a second shrinks it to the preview's size in the display's own pixel format (BGRA, about
    a millisecond), so the GUI thread only wraps and blits it and never waits for the capture.
    ``mode``: "identity" (the ID card's QR; a receipt's QR is passed on too, so the welcome
    screen can look it up), "receipt" (only the receipt's QR), "document" (a paper document is
    photographed: frames are previewed and kept, never handed to the QR decoder, so a code
    printed on the paper neither identifies anyone nor costs CPU) or "off" (ignored).
    """

    identity_scanned = Signal(object)  # kiosk.domain.identity.CitizenIdentity (source: QR)
    receipt_scanned = Signal(object)   # devices.qr.receipt.ReceiptQr
    code_scanned = Signal(object)      # every devices.qr.worker.ScanResult, for highlighting
    scan_failed = Signal(str)          # a sentence the citizen can act on
    hint_changed = Signal(str)         # a devices.qr.quality hint code ("closer", "glare"...)

    _result_in_thread = Signal(object)  # ScanResult, from the scan worker's thread
    _hint_in_thread = Signal(object)    # Hint, from the scan worker's thread

    def __init__(self, camera: Any, worker: Worker | None = None,
                 parent: QObject | None = None, *, deferred: bool = False) -> None:
        """``deferred``: the QR decoder (OpenCV, zxing-cpp) is loaded and started only by
        ``start_scanning()``, on the worker, once the first screen is painted."""
        super().__init__(parent)
        self._camera, self._worker = camera, worker
        self._mode = "off"
        self._latest: Any = None  # the newest Frame; replaced by the capture thread
        self._preview: Any = None  # (frame index, BGRA array) shrunk for the preview, or None
        self._preview_size: tuple[int, int] | None = None  # wanted (width, height); None: off
        self._preview_at = 0.0
        self.preview_fps = 12.0
        self._wanted = True       # the camera runs at start (Services.start_devices starts it)
        self._lifecycle = threading.Lock()
        self._running: bool | None = None  # unknown until we start or stop it ourselves
        self._closed = False
        self._result_in_thread.connect(self._on_result, Qt.QueuedConnection)
        self._hint_in_thread.connect(self._on_hint, Qt.QueuedConnection)
        self._frame_arrived = threading.Event()  # set by the capture thread (grab_frame waits)
        self._scan: Any = None
        if not deferred:
            self._scan = self._new_scan_worker()
        self._unsubscribe: Callable[[], None] | None = camera.subscribe(self._on_frame)

    def _new_scan_worker(self) -> Any:
        from devices.qr.pipeline import QrPipeline
        from devices.qr.scanner import Debouncer
        from devices.qr.worker import CentredSquare, ScanWorker, StillView
        from ui.widgets.camera_view import GUIDE_SHARE

        _one_opencv_thread()
        scan = ScanWorker(_GatedCamera(self._camera, lambda: self._mode != "document"),
                          self._result_in_thread.emit, on_hint=self._hint_in_thread.emit,
                          debouncer=Debouncer(hold_s=3.0), pipeline=BackgroundPipeline(QrPipeline()),
                          roi=CentredSquare(GUIDE_SHARE * ROI_ROOM), still_view=StillView())
        scan.start()
        return scan

    def start_scanning(self, then: Callable[[], None] | None = None) -> None:
        """Load and start the QR decoder on the worker (a deferred bridge; once); ``then`` runs on
        the GUI thread once it has started or failed to."""
        if self._scan is None and self._worker is not None:
            def started(_result: object) -> None:
                if then is not None:
                    then()

            def failed(exc: BaseException) -> None:
                self._on_scan_start_error(exc)
                started(None)

            self._worker.run(self._start_scan_worker, started, failed, name="qr-decoder")
        elif then is not None:
            then()

    def _start_scan_worker(self) -> None:  # worker thread
        with self._lifecycle:
            if self._scan is None and not self._closed:
                self._scan = self._new_scan_worker()

    def _on_scan_start_error(self, exc: BaseException) -> None:
        log.error("The QR decoder could not start: %s", type(exc).__name__)

    # -- what the screens want ------------------------------------------------------------------
    @property
    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str) -> None:
        """Look for the ID card's QR ("identity"), a receipt's ("receipt"), or nothing ("off");
        "document": preview only, for ``grab_frame`` (no QR decoding at all)."""
        if mode not in {"identity", "receipt", "document", "off"}:
            raise ValueError(f"unknown scan mode {mode!r}")
        if mode != self._mode and self._scan is not None:
            self._scan.reset()  # the next citizen's code counts even if it is the same
        self._mode = mode

    def set_needed(self, needed: bool) -> None:
        """Run the camera only while a screen uses it; starting and stopping happen on the worker
        (opening a real camera can take a second), each job applying the newest wish."""
        if needed == self._wanted:
            return
        self._wanted = needed
        if not needed:
            self._latest = self._preview = None  # the last picture may show a face: drop it
        if self._worker is not None:
            self._worker.run(self._apply_lifecycle, None, self._on_lifecycle_error, name="camera")

    def _apply_lifecycle(self) -> None:  # worker thread
        with self._lifecycle:
            wanted = self._wanted
            broken = getattr(self._camera, "error", None) is not None
            if wanted and (self._running is not True or broken):
                if broken:  # it stopped delivering (unplugged?): open it afresh
                    self._camera.stop()
                self._camera.start()
            elif not wanted and self._running is not False:
                self._camera.stop()
                self._latest = None
            self._running = wanted

    def restart(self) -> None:
        """The camera came back (plugged in again): stop and start it, if a screen wants it."""
        if self._worker is None or not self._wanted:
            return
        self._running = None  # whatever state the lost device left, start from scratch

        def again() -> None:  # worker thread
            with self._lifecycle:
                self._camera.stop()
                if self._wanted:
                    self._camera.start()
                self._running = self._wanted
        self._worker.run(again, None, self._on_lifecycle_error, name="camera")

    def _on_lifecycle_error(self, exc: BaseException) -> None:
        log.warning("The camera could not be %s: %s", "started" if self._wanted else "stopped",
                    type(exc).__name__)

    def latest_frame(self) -> Any:
        """The newest frame (a ``devices.camera.Frame``) or None."""
        return self._latest

    def grab_frame(self, timeout: float = 3.0) -> Any:
        """The newest full-resolution frame, waiting up to ``timeout`` for the first one after the
        camera (re)started; raises ``FrameTimeout``. Blocks: call it on the worker, not the GUI."""
        from devices.camera.errors import FrameTimeout

        frame = self._latest
        if frame is None:
            self._frame_arrived.clear()
            frame = self._latest  # a frame may have arrived between the read and the clear
            if frame is None and self._frame_arrived.wait(timeout):
                frame = self._latest
        if frame is None:
            raise FrameTimeout()
        return frame

    def set_preview_size(self, size: tuple[int, int] | None) -> None:
        """Prepare preview pictures that fit ``size`` (width, height), or none (None)."""
        self._preview_size = size
        if size is None:
            self._preview = None

    def preview_picture(self) -> Any:
        """(frame index, BGRA uint8 array) of the newest prepared preview picture, or None."""
        return self._preview

    def forget(self) -> None:
        """The session ended: drop the last picture and what was scanned."""
        self._latest = self._preview = None
        if self._scan is not None:
            self._scan.reset()

    def close(self) -> None:
        self._mode = "off"
        self._worker = None  # the camera's life is the services' from now on
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        with self._lifecycle:  # a decoder being started on the worker finishes first
            self._closed = True
            scan, self._scan = self._scan, None
        if scan is not None:
            scan.stop()  # release the native decoder now, not at interpreter exit
        self._latest = None

    # -- threads ---------------------------------------------------------------------------------
    def _on_frame(self, frame: Any) -> None:  # capture thread
        self._latest = frame
        self._frame_arrived.set()
        size = self._preview_size
        if size is None or frame.timestamp - self._preview_at < 1.0 / self.preview_fps:
            return
        self._preview_at = frame.timestamp
        try:
            self._preview = (frame.index, _shrink_bgra(frame.image, size))
        except Exception as exc:  # noqa: BLE001 - a bad frame must not stop the camera
            log.warning("Preview picture failed: %s", type(exc).__name__)

    @Slot(object)
    def _on_result(self, result: Any) -> None:
        route_scan(self, self._mode, result)

    @Slot(object)
    def _on_hint(self, hint: Any) -> None:
        if self._mode in {"identity", "receipt"}:
            self.hint_changed.emit(hint.code)


def route_scan(bridge: Any, mode: str, result: Any) -> None:
    """Turn one scan (camera or scanner) into the bridge's signals for the page on show:
    "identity" wants the ID card's code (a receipt's is passed on for the welcome screen's status
    lookup), "receipt" only a receipt's; other modes ignore scans."""
    from devices.qr.cccd import CccdQr
    from devices.qr.receipt import ReceiptQr

    if mode not in {"identity", "receipt"}:  # e.g. a result decoded just before "document"
        return
    bridge.code_scanned.emit(result)
    payload, error = result.payload, result.error
    if mode == "identity":
        if isinstance(payload, CccdQr):
            bridge.identity_scanned.emit(payload.identity)
        elif isinstance(payload, ReceiptQr):  # the welcome screen turns it into a lookup
            bridge.receipt_scanned.emit(payload)
        else:
            code = error.code if error is not None else "not_cccd"
            bridge.scan_failed.emit(describe_qr_problem(code))
    elif isinstance(payload, ReceiptQr):
        bridge.receipt_scanned.emit(payload)
    else:
        code = error.code if error is not None and type(error).__name__ == "ReceiptQrError" \
            else "not_receipt"
        bridge.scan_failed.emit(describe_receipt_problem(code))


class _GatedCamera:
    """The camera as the QR scan worker sees it: frames pass only while ``open_()`` is true."""

    def __init__(self, camera: Any, open_: Callable[[], bool]) -> None:
        self._camera, self._open = camera, open_

    def subscribe(self, callback: Callable[[Any], object]) -> Callable[[], None]:
        def gated(frame: Any) -> None:
            if self._open():
                callback(frame)
        return self._camera.subscribe(gated)


def _one_opencv_thread() -> None:
    """OpenCV's own thread pool would wake the other core for every frame (and spin a moment after
    each job); the kiosk decodes on one low-priority thread and leaves the other core to the GUI."""
    import cv2

    cv2.setNumThreads(1)


def _shrink_bgra(image: Any, size: tuple[int, int]) -> Any:
    """``image`` (BGR) scaled to fit ``size`` (never enlarged), as BGRA (QImage.Format_RGB32)."""
    import cv2

    height, width = image.shape[:2]
    scale = min(size[0] / width, size[1] / height, 1.0)
    if scale < 1.0:
        image = cv2.resize(image, (max(1, int(width * scale)), max(1, int(height * scale))),
                           interpolation=cv2.INTER_LINEAR)
    return cv2.cvtColor(image, cv2.COLOR_BGR2BGRA)


class BackgroundPipeline:
    """The QR pipeline, run at a lower CPU priority (nice +10 for the decoding thread only).

    Decoding takes whatever CPU it gets, frame after frame; on a busy two-core kiosk it would take
    the GUI thread's turn and the screen would stutter. Linux keeps a nice value per thread, so
    only the scan worker yields; where that is not possible it simply runs as before."""

    def __init__(self, inner: Any, niceness: int = 10) -> None:
        self._inner = inner
        self._niceness = niceness
        self._niced_thread: int | None = None

    def run(self, image: Any, thorough: bool = True) -> Any:
        thread = threading.get_native_id()
        if self._niced_thread != thread:
            self._niced_thread = thread
            try:
                os.setpriority(os.PRIO_PROCESS, thread, self._niceness)
            except (AttributeError, OSError) as exc:  # not Linux, or not allowed
                log.info("QR decoding keeps its priority: %s", type(exc).__name__)
        return self._inner.run(image, thorough=thorough)

    def decode(self, image: Any) -> Any:
        return self.run(image).decoded
