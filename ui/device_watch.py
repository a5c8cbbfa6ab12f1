"""What is plugged in right now, for the screens (offer what is there) and the staff dashboard.

Card readers come and go through the reader bridge's events (pcscd), the scanner through its own
attach/detach events; the ESC/POS printer is asked for its status on the worker every
``printer_interval_s`` and after each slip, so a printer out of paper shows on the dashboard and
in the metrics (``motcua_device_up{device="printer"}``, ``motcua_device_state``) before a citizen
finds out. ``changed`` is emitted on the GUI thread after any of it changes.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

__all__ = ["DeviceWatch"]

log = logging.getLogger(__name__)


class DeviceWatch(QObject):
    changed = Signal()

    def __init__(self, window: Any, metrics: Any, *, printer_interval_s: float = 30.0) -> None:
        super().__init__(window)
        self._window, self._metrics = window, metrics
        self._readers: set[str] | None = None  # None: not heard from the reader yet
        self.printer_state: str | None = None  # a PrinterStatus.state, "unreachable", or None
        self._asking = False
        window.card_bridge.reader_added.connect(self._on_reader_added)
        window.card_bridge.reader_removed.connect(self._on_reader_removed)
        window.scanner_bridge.attached_changed.connect(self._on_scanner_changed)
        self._timer = QTimer(self)
        self._timer.setInterval(int(printer_interval_s * 1000))
        self._timer.timeout.connect(self.check_printer)
        self._timer.start()

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
