"""The barcode scanner for the screens: its codes, and whether it is plugged in, as Qt signals.

Scanner events arrive on the scanner's thread; they are only emitted there on a private signal and
handled here on the GUI thread (queued connection). Codes are classified
(``devices.scanner.results``) and routed exactly like the camera's (``route_scan``), following the
mode the main window sets for the page on show. Codes a keyboard-mode scanner typed into the
window itself (``ui.wedge_filter``) come in through ``on_typed_scan``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from ui.devices import route_scan

__all__ = ["ScannerBridge"]

log = logging.getLogger(__name__)


class ScannerBridge(QObject):
    identity_scanned = Signal(object)  # kiosk.identity.CitizenIdentity (source: QR)
    receipt_scanned = Signal(object)   # devices.qr.receipt.ReceiptQr
    code_scanned = Signal(object)      # every devices.qr.worker.ScanResult
    scan_failed = Signal(str)          # a sentence the citizen can act on
    id_offered = Signal(str)           # the ID number of a CCCD code that lost its accents
    attached_changed = Signal(bool)    # the scanner was plugged in (True) or out (False)

    _event_arrived = Signal(object)    # emitted on the scanner's thread only

    def __init__(self, scanner: Any | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._scanner = scanner
        self._mode = "off"
        self._attached = bool(scanner is not None and scanner.attached)
        self._event_arrived.connect(self._on_event_arrived, Qt.QueuedConnection)
        self._unsubscribe: Callable[[], None] | None = \
            scanner.subscribe(self._event_arrived.emit) if scanner is not None else None

    @property
    def configured(self) -> bool:
        return self._scanner is not None

    @property
    def attached(self) -> bool:
        return self._attached

    @property
    def scanner(self) -> Any | None:
        return self._scanner

    @property
    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str) -> None:
        """Follows the camera's modes: "identity", "receipt"; anything else ignores codes."""
        self._mode = mode

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._mode = "off"

    @Slot(object)
    def _on_event_arrived(self, event: Any) -> None:
        from devices.scanner import Scanned, ScannerAttached, ScannerDetached

        if isinstance(event, Scanned):
            self._route(event)
        elif isinstance(event, (ScannerAttached, ScannerDetached)):
            self._attached = isinstance(event, ScannerAttached)
            log.info("Barcode scanner %s", "attached" if self._attached else "detached")
            self.attached_changed.emit(self._attached)

    def on_typed_scan(self, text: str) -> None:
        """A keyboard-mode scanner typed a code into the window (recognised by its speed)."""
        from devices.scanner import Scanned

        self._route(Scanned(text, text.encode("utf-8"), "keyboard", keyboard=True))

    def _route(self, scanned: Any) -> None:
        from devices.scanner.results import MangledCccd, to_scan_result

        result = to_scan_result(scanned)
        if isinstance(result.error, MangledCccd) and result.error.id_number \
                and self._mode == "identity":
            self.id_offered.emit(result.error.id_number)
        route_scan(self, self._mode, result)
