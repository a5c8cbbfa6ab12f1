"""The routes for the camera, the chip's key and the status lookup: which page shows what a scan
found, where the document camera and the status lookup open and close.

Which of the chip, the QR code and a typed ID identifies is decided by
``kiosk.domain.policies.identification``; these routes feed it the facts and carry out its choice.
The scan view and the status screen are pages of the window's stack, not steps of the flow; the
camera runs only while the page on show scans.

Built by the main window with the collaborators it names (no window): the flow, the card reader's
and the camera's bridges, the pages it opens and a ``Pages`` view of the window's page stack.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QWidget

from kiosk.domain.flow import Flow, Step
from kiosk.domain.policies.identification import (
    IdChoice, ReaderState, choose_for_qr, choose_for_typed_id,
)
from kiosk.services.composition import Services
from ui.devices import CameraBridge, CardReaderBridge
from ui.screens.document import DocumentScreen
from ui.screens.scan import ScanScreen
from ui.screens.status import StatusScreen
from kiosk.services.status import look_up
from ui.texts import describe_qr_problem
from ui.worker import Worker

__all__ = ["ScanRoutes"]

log = logging.getLogger(__name__)


class Pages(Protocol):
    """The window's page stack, as the routes see it."""

    def current_page(self) -> QWidget: ...

    def show_page(self, page: QWidget) -> None: ...

    def step_screen(self, step: Step) -> Any: ...


class ScanRoutes(QObject):
    """Carries scans, the document camera and the status lookup to the right page."""

    def __init__(self, flow: Flow, services: Services, pages: Pages, *,
                 card_bridge: CardReaderBridge, camera_bridge: CameraBridge | None,
                 scan_screen: ScanScreen, status_screen: StatusScreen,
                 document_screen: DocumentScreen, worker: Worker,
                 language: Callable[[], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.flow, self.services, self.pages = flow, services, pages
        self.card_bridge, self.camera_bridge = card_bridge, camera_bridge
        self.scan_screen, self.status_screen = scan_screen, status_screen
        self.document_screen, self.worker, self._language = document_screen, worker, language
        self.scan_result_delay_ms = 700  # how long the scan view shows the code it read
        self._scan_return: QWidget | None = None
        self._next_read_key: Any = None  # the key from a QR shown on the welcome screen

    def take_read_key(self) -> Any:
        """The key a QR shown on the welcome screen gave for the card on the reader (once)."""
        key, self._next_read_key = self._next_read_key, None
        return key

    def on_key_typed(self, number: str) -> None:
        """The citizen typed the ID number: the chip's CAN if the card waits for it."""
        choice = choose_for_typed_id(self._reader_state(),
                                     can_identify=self.flow.allowed("identify"))
        if choice is IdChoice.READ_CHIP_WITH_CAN:
            from devices.card.reader_session import AccessKey

            self.card_bridge.read(AccessKey.from_id(number))
        elif choice is IdChoice.IDENTIFY_BY_TYPED_ID:
            from kiosk.domain.identity import CitizenIdentity, IdSource

            self.flow.identify(CitizenIdentity(number, IdSource.TYPED))

    def _reader_state(self) -> ReaderState:
        waiting = self.card_bridge.key_needed or self.card_bridge.birth_date_needed
        return ReaderState(card_present=self.services.card_reader.card_present(),
                           reading=self.card_bridge.reading, key_needed=waiting)

    def on_birth_date_typed(self, dob_yymmdd: str) -> None:
        """The card needs the date of birth for its key (no PACE): read again with it."""
        if self.card_bridge.birth_date_needed:
            self.card_bridge.read_with_birth_date(dob_yymmdd)

    # -- camera --------------------------------------------------------------------------------
    def on_identity_scanned(self, identity: Any) -> None:
        """The QR code on the card was shown to the camera (welcome, identify or scan view)."""
        if self.pages.current_page() is self.scan_screen:
            self.scan_screen.on_code_read(QCoreApplication.translate(
                "MainWindow", "The QR code of your ID card was read"))
            QTimer.singleShot(self.scan_result_delay_ms, lambda: self._after_scan(identity))
            return
        self._use_scanned_identity(identity)

    def _after_scan(self, identity: Any) -> None:
        if self.pages.current_page() is self.scan_screen:
            self.close_scan()
            self._use_scanned_identity(identity)

    def _use_scanned_identity(self, identity: Any) -> None:
        """Open the chip with the QR's key if a card waits for it; else the QR identifies."""
        key = _access_key(identity)
        choice = self._choice_for_qr(key)
        if choice is IdChoice.START_AND_READ_WITH_QR_KEY:
            self._next_read_key = key  # read on arrival at IDENTIFY, with this key
            self.flow.start()
            return
        if choice is IdChoice.START:
            self.flow.start()
            choice = self._choice_for_qr(key)
        if choice is IdChoice.READ_CHIP_WITH_QR_KEY:
            self.card_bridge.read(key)
        elif choice is IdChoice.IDENTIFY_BY_QR:
            self.flow.identify(identity)

    def _choice_for_qr(self, key: Any) -> IdChoice:
        return choose_for_qr(self.flow.step, self._reader_state(), has_key=key is not None,
                             showing_result=self.pages.step_screen(Step.IDENTIFY).showing_result)

    def on_receipt_scanned(self, receipt: Any) -> None:
        """A receipt's QR: looked up on the status screen (shown at once from the welcome screen);
        on the identify screen it is the wrong code."""
        page = self.pages.current_page()
        if page is self.scan_screen and self.scan_screen.purpose == "receipt":
            self.scan_screen.on_code_read(QCoreApplication.translate(
                "MainWindow", "The QR code of your receipt was read"))
            QTimer.singleShot(self.scan_result_delay_ms, lambda: self._look_up_scanned(receipt))
        elif page is self.pages.step_screen(Step.WELCOME) and self.flow.step is Step.WELCOME:
            self.open_status()
            self._look_up_scanned(receipt)
        elif page is self.status_screen:
            self._look_up_scanned(receipt)
        else:
            self.on_scan_failed(describe_qr_problem("not_cccd"))

    def _look_up_scanned(self, receipt: Any) -> None:
        if self.pages.current_page() is self.scan_screen:
            self.close_scan()
        if self.pages.current_page() is self.status_screen:
            self.status_screen.entry.setText(receipt.reference)
            self.status_screen.look_up(receipt.reference)

    def on_scan_failed(self, message: str) -> None:
        page = self.pages.current_page()
        if page is self.scan_screen:
            self.scan_screen.on_problem(message)
        elif page is self.status_screen:
            self.status_screen.show_problem(message)
        else:
            self.pages.step_screen(Step.IDENTIFY).on_scan_failed(message)

    def open_scan(self, purpose: str) -> None:
        if self.camera_bridge is None:
            return
        self._scan_return = self.pages.current_page()
        self.scan_screen.open(purpose)
        self.pages.show_page(self.scan_screen)

    def close_scan(self, _reason: str = "") -> None:
        self.scan_screen.stop()
        back = self._scan_return or self.pages.step_screen(self.flow.step)
        self._scan_return = None
        if back is self.status_screen and self.flow.step is not Step.WELCOME:
            back = self.pages.step_screen(self.flow.step)
        self.pages.show_page(back)
        if back is self.status_screen:
            self.status_screen.resume()

    # -- document photos (attachment fields of the form) ---------------------------------------
    def open_document(self, field_id: str) -> None:
        """Show the document camera for one attachment field of the form."""
        field = next((f for f in self.flow.procedure.fields if f.id == field_id), None) \
            if self.flow.step is Step.FORM else None
        if field is None or self.camera_bridge is None:
            return
        self.document_screen.set_language(self._language())
        self.document_screen.open(field)
        self.pages.show_page(self.document_screen)  # the camera is off for pages it does not know...
        self.camera_bridge.set_mode("document")  # ...so run it here: preview only, no QR decoding
        self.camera_bridge.set_needed(True)

    def close_document(self) -> None:
        self.document_screen.clear()
        if self.pages.current_page() is self.document_screen:
            self.pages.show_page(self.pages.step_screen(self.flow.step))
        if self.camera_bridge is not None:
            self.camera_bridge.forget()  # the last frame showed the citizen's document

    def on_document_taken(self, field_id: str, taken: Any) -> None:
        """The citizen chose to use the photo: the flow keeps it, the form shows it."""
        from kiosk.domain.attachments import AttachmentRejected

        if self.flow.step is not Step.FORM:
            return
        try:
            sha256 = self.flow.attach(field_id, taken.data, taken.pages)
        except AttachmentRejected as exc:
            log.warning("Document photo refused: %s", type(exc).__name__)
            self.document_screen.show_problem(QCoreApplication.translate(
                "MainWindow", "This photo cannot be used. Please take it again."))
            return
        self.pages.step_screen(Step.FORM).show_document(field_id, sha256, taken.pages, taken.size,
                                              taken.thumbnail)
        self.close_document()

    def on_flow_moved(self, _old: Step, new: Step) -> None:
        """Leaving the form (or the session ending) drops any document photo being taken."""
        if new is not Step.FORM:
            self.document_screen.clear()

    # -- status lookup (from the welcome screen) -----------------------------------------------
    def open_status(self) -> None:
        if self.flow.step is Step.WELCOME:
            self.status_screen.open()
            self.pages.show_page(self.status_screen)

    def close_status(self) -> None:
        self.status_screen.clear()
        if self.pages.current_page() is self.status_screen:
            self.pages.show_page(self.pages.step_screen(self.flow.step))

    def on_lookup_requested(self, text: str) -> None:
        client, outbox = self.services.client, self.services.outbox
        self.worker.run(lambda: look_up(text, client, outbox), self.status_screen.show_answer,
                        self._on_lookup_failed, name="status")

    def _on_lookup_failed(self, exc: BaseException) -> None:
        log.error("Status lookup failed: %s", type(exc).__name__)
        self.status_screen.show_problem(QCoreApplication.translate(
            "MainWindow", "The application could not be checked. Please try again or ask a staff "
                          "member."))


def _access_key(identity: Any) -> Any:
    """The chip's key from a scanned QR: CAN from the ID, BAC from ID + date of birth (+ the
    expiry the renewal rule gives from the issue date); None if the ID cannot make one."""
    from devices.card.profiles import expected_expiry
    from devices.card.reader_session import AccessKey

    dob = identity.date_of_birth
    expiry = expected_expiry(dob, identity.issue_date) if dob and identity.issue_date else None
    try:
        return AccessKey.from_id(identity.id_number, dob.strftime("%y%m%d") if dob else None,
                                 expiry.strftime("%y%m%d") if expiry else None)
    except ValueError:
        return None
