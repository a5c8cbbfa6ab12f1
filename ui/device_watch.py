"""What is plugged in right now, for the screens (offer what is there) and the staff dashboard.

Card readers come and go through the reader bridge's events (pcscd), the scanner through its own
attach/detach events, the camera by its capture error (looked at every second) and the hot-plug
watcher (a camera plugged back in is restarted); the ESC/POS printer is asked for its status on the worker every
``printer_interval_s`` and after each slip, so a printer out of paper shows on the dashboard and
in the metrics (``motcua_device_up{device="printer"}``, ``motcua_device_state``) before a citizen
finds out. ``changed`` is emitted on the GUI thread after any of it changes.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

__all__ = ["DeviceWatch"]

log = logging.getLogger(__name__)


class DeviceWatch(QObject):
    changed = Signal()
    _hotplug_arrived = Signal(object)  # emitted on the hot-plug watcher's thread only

    def __init__(self, window: Any, metrics: Any, *, printer_interval_s: float = 30.0) -> None:
        super().__init__(window)
        self._window, self._metrics = window, metrics
        self._readers: set[str] | None = None  # None: not heard from the reader yet
        self.printer_state: str | None = None  # a PrinterStatus.state, "unreachable", or None
        self._asking = False
        self.camera_working = self._camera_ok()
        window.card_bridge.reader_added.connect(self._on_reader_added)
        window.card_bridge.reader_removed.connect(self._on_reader_removed)
        window.scanner_bridge.attached_changed.connect(self._on_scanner_changed)
        self._timer = QTimer(self)
        self._timer.setInterval(int(printer_interval_s * 1000))
        self._timer.timeout.connect(self.check_printer)
        self._timer.start()
        self._camera_timer = QTimer(self)
        self._camera_timer.setInterval(1000)
        self._camera_timer.timeout.connect(self._look_at_camera)
        self._camera_timer.start()
        self._hotplug_arrived.connect(self._on_hotplug, Qt.QueuedConnection)
        hotplug = getattr(window.services, "hotplug", None)
        self._unsubscribe = hotplug.subscribe(self._hotplug_arrived.emit) \
            if hotplug is not None else None

    @property
    def reader_present(self) -> bool:
        return self._readers is None or bool(self._readers)

    @property
    def scanner_configured(self) -> bool:
        return self._window.scanner_bridge.configured

    @property
    def scanner_attached(self) -> bool:
        return self._window.scanner_bridge.attached

    def close(self) -> None:
        self._timer.stop()
        self._camera_timer.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    # -- the camera and devices plugged in or out --------------------------------------------------
    def _camera_ok(self) -> bool:
        camera = self._window.services.camera
        return camera is not None and getattr(camera, "error", None) is None

    def _look_at_camera(self) -> None:
        working = self._camera_ok()
        if working != self.camera_working:
            self.camera_working = working
            log.info("Camera %s", "working again" if working else "stopped delivering pictures")
            self.changed.emit()

    def _on_hotplug(self, event: Any) -> None:
        from devices.hotplug import DeviceAdded

        added = isinstance(event, DeviceAdded)
        log.info("Device %s: %s (%s)", "added" if added else "removed", event.node, event.kind)
        bridge = self._window.camera_bridge
        if event.kind == "camera" and added and bridge is not None and not self._camera_ok():
            bridge.restart()
        if event.kind == "printer":
            self.check_printer()
        self.changed.emit()

    def _on_reader_added(self, name: str) -> None:
        self._readers = (self._readers or set()) | {name}
        self.changed.emit()

    def _on_reader_removed(self, name: str) -> None:
        self._readers = (self._readers or set()) - {name}
        self.changed.emit()

    def _on_scanner_changed(self, _attached: bool) -> None:
        self.changed.emit()

    # -- the ESC/POS printer -----------------------------------------------------------------------
    def check_printer(self) -> None:
        """Ask the printer for its status on the worker (skipped while an answer is pending)."""
        printer = self._window.escpos_printer
        worker = getattr(self._window, "worker", None)
        if printer is None or worker is None or self._asking:
            return
        self._asking = True
        worker.run(lambda: printer.status(timeout=2.0), self._on_printer_answer,
                   self._on_printer_error, name="printer-status")

    def _on_printer_answer(self, status: Any) -> None:
        self._asking = False
        self.on_printer_status(status)

    def _on_printer_error(self, exc: BaseException) -> None:
        self._asking = False
        log.info("Receipt printer status unavailable: %s", type(exc).__name__)
        self.on_printer_status(None)

    def on_printer_status(self, status: Any) -> None:
        """A status read (or None: the printer could not be reached at all)."""
        state = "unreachable" if status is None else status.state
        if state != self.printer_state:
            log.info("Receipt printer: %s", state)
        self.printer_state = state
        self._metrics.set_device("printer", state in ("ready", "paper_low", "no_answer"))
        self._metrics.set_device_state("printer", state)
        self.changed.emit()
