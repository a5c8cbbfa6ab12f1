"""The composition root: builds the flow, the screens, the device bridge and the connection monitor,
and wires them in one place (``_connect_signals``). No business rules live here: the flow decides,
the screens render, the services do the work."""

from __future__ import annotations

import logging
import sys
from typing import Any

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QStackedWidget, QVBoxLayout, QWidget

from kiosk.domain.addresses import load_units
from kiosk.domain.config import Config
from kiosk.domain.flow import Step
from kiosk.domain.policies.identification import IdChoice, choose_for_card, read_on_arrival
from kiosk.domain.policies.idle import WATCHED_STEPS, IdleAction, receipt_return_s
from kiosk.services.composition import Services
from kiosk.services.ops.memory import release_free_memory
from kiosk.services.submission import StorageFull
from ui.connection import ConnectionMonitor
from ui.devices import CameraBridge, CardReaderBridge
from ui.card_guard import CardGuard
from ui.idle import IdleGuard, IdleWatcher
from ui.look import Look, Translations
from ui.screens.base import Screen
from ui.screens.choose import ChooseScreen
from ui.screens.consent import ConsentScreen
from ui.screens.document import DocumentScreen
from ui.screens.form import FormScreen
from ui.screens.identify import IdentifyScreen
from ui.screens.receipt import ReceiptScreen, SubmittingScreen
from ui.screens.requirements import RequirementsScreen
from ui.screens.review import ReviewScreen
from ui.screens.scan import ScanScreen
from ui.screens.status import StatusScreen
from ui.screens.welcome import WelcomeScreen
from ui.assist import KeyboardDock
from ui.help_call import HelpCall
from ui.preferences import CitizenSettings
from ui.speech import Narrator
from ui.widgets.chrome import ConfirmOverlay, Header
from ui.widgets.demo_panel import build_demo_panel
from ui.widgets.rating import RatingPrompt
from ui.scanner_bridge import ScannerBridge
from ui.scanning import ScanRoutes
from ui.staff import StaffMode, StaffParts
from ui.wedge_filter import WedgeFilter
from ui.worker import Worker

__all__ = ["MainWindow"]

log = logging.getLogger(__name__)

#: how long a busy thread (QR decoding, card reading) may keep the GIL from the GUI thread when
#: the GUI asks for it; Python's default is 5 ms, several of which make a visible stall
GUI_SWITCH_INTERVAL_S = 0.001
#: the numbered steps shown as "Step n of 8" (the welcome screen has none)
_STEP_NUMBERS = {Step.IDENTIFY: 1, Step.CHOOSE: 2, Step.REQUIREMENTS: 3, Step.FORM: 4,
                 Step.REVIEW: 5, Step.CONSENT: 6, Step.SUBMITTING: 7, Step.RECEIPT: 8}


class MainWindow(QWidget):
    step_changed = Signal(object)           # the new Step, after the screen has been rendered
    submission_finished = Signal(object)    # the Receipt, or None when saving failed

    def __init__(self, services: Services, config: Config, parent: QWidget | None = None, *,
                 narrator_engine: str | None = None, deferred_start: bool = False,
                 look: Look | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("main-window")
        self.setWindowTitle("Một Cửa Kiosk")
        self.services, self.config = services, config
        self.kiosk_locked = False  # set by enter_kiosk_mode(); only shutdown() may close it then
        self._shutting_down = False
        sys.setswitchinterval(min(sys.getswitchinterval(), GUI_SWITCH_INTERVAL_S))
        self.flow = services.new_flow()
        self.worker = Worker(self)
        self.translations = Translations(QApplication.instance())
        self.header = Header(config.kiosk.unit_code, self)
        # read-aloud: the app passes "auto" (the key shows whenever an engine works), tests
        # "mock"; None (no key) keeps windows built elsewhere (screenshots, tools) quiet
        self.narrator = Narrator(narrator_engine, config.kiosk.language, self, deferred=deferred_start)
        if narrator_engine not in (None, "mock"):  # the fleet sees a kiosk without a voice
            def report_voice(*_: object) -> None:
                services.ops.metrics.set_device("speech", self.narrator.speaks("vi"))
            self.narrator.available_changed.connect(report_voice)
            report_voice()
        # IT's look is applied already; the citizen may change it, and read aloud, for a session
        self.settings = CitizenSettings(
            self.header, self.narrator, self.citizen_view, look or Look.from_theme(config.ui.theme),
            default_language=config.kiosk.language, language=lambda: self.language,
            set_language=self.set_language, relayout=self.on_look_changed, parent=self)
        self.looks, self.reading = self.settings.looks, self.settings.reading
        self.stack = QStackedWidget(self)
        self.screens: dict[Step, Screen] = self._build_screens()
        for screen in self.screens.values():
            self.stack.addWidget(screen)
        self.overlay = ConfirmOverlay(self)
        self.keyboard_dock = KeyboardDock(self)
        self.idle = IdleWatcher(config.kiosk.idle_timeout_s, self)
        self.idle_guard = IdleGuard(self.flow, self.overlay, self.idle, self)
        self.card_bridge = CardReaderBridge(services.card_reader, self.worker,
                                            read_timeout_s=config.devices.read_timeout_s, parent=self)
        self.camera_bridge = CameraBridge(services.camera, self.worker, self, deferred=deferred_start) \
            if services.camera is not None else None
        self.scanner_bridge = ScannerBridge(services.scanner, self)
        self.wedge_filter = WedgeFilter(self) if config.devices.scanner == "wedge" else None
        self.scan_screen = ScanScreen(self.flow, self.camera_bridge, self)
        self.status_screen = StatusScreen(self.flow, self)
        self.stack.addWidget(self.scan_screen)
        self.stack.addWidget(self.status_screen)
        self.document_screen = DocumentScreen(self.flow, self.camera_bridge, self.worker, self)
        self.stack.addWidget(self.document_screen)
        self.screens[Step.FORM].set_camera_available(self.camera_bridge is not None)
        self.routes = ScanRoutes(self.flow, services, self, card_bridge=self.card_bridge,
                                 camera_bridge=self.camera_bridge, scan_screen=self.scan_screen,
                                 status_screen=self.status_screen,
                                 document_screen=self.document_screen, worker=self.worker,
                                 language=lambda: self.language, parent=self)
        self.monitor = ConnectionMonitor(services.health_client, services.outbox, self.worker,
                                         interval_s=config.portal.health_interval_s,
                                         idle_max_s=config.portal.health_idle_max_s, parent=self)
        self.screens[Step.IDENTIFY].set_qr_available(self.camera_bridge is not None)
        self.status_screen.scan_button.setVisible(self.camera_bridge is not None)
        self.demo_panel = build_demo_panel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.stack, 1)
        if self.demo_panel is not None:
            layout.addWidget(self.demo_panel)
        self._connect_signals()
        # the card taken away mid-session: ask, then end
        self.card_guard = CardGuard(self.flow, self.overlay, self.card_bridge, self.idle,
                                    self.step_changed, self, host=self,
                                    announce=self.narrator.announce)
        self._connect_devices()
        self.set_language(config.kiosk.language)
        self._show_step(Step.WELCOME)
        if not deferred_start:
            self.monitor.start()
        # staff sign-in, dashboard, assisted sessions
        # the citizen's "Call staff" (answered by staff taking over), and the rating after "Done"
        self.help_call = HelpCall(
            self.header.call_staff, audit=self._audit_citizen, say=self.narrator.announce,
            step=lambda: self.flow.step.value, set_metric=services.ops.metrics.set_help_requested,
            light=config.devices.help_light, parent=self)
        self.rating = RatingPrompt(self)
        self.staff_mode = StaffMode(StaffParts(
            host=self, services=services, config=config, flow=self.flow, worker=self.worker,
            header=self.header, monitor=self.monitor, receipt=self._receipt_screen(),
            keyboard_dock=self.keyboard_dock, language=lambda: self.language,
            help_call=self.help_call))
        self._rating_after_card = ""  # "Are you satisfied?" waits for the card left on the reader
        self.screens[Step.RECEIPT].done.connect(self._ask_rating)
        self.card_guard.card_taken.connect(self._card_taken)
        self.rating.rated.connect(self.on_rated)
        self.step_changed.connect(self.staff_mode.on_step_changed)

    def finish_start(self) -> None:
        """What the first screen can do without, started once it is painted (``deferred_start``):
        the portal connection check, the QR decoder and the administrative units (both loaded on
        the worker) and the read-aloud engine (which may take seconds). When the decoder and the
        units are in, start-up's garbage is handed back to the system."""
        self.monitor.start()
        pending = {"decoder", "units"}

        def finished(part: str) -> None:  # start-up's garbage goes back to the system at its end
            pending.discard(part)
            if not pending:
                release_free_memory(collect=True)

        if self.camera_bridge is not None:
            self.camera_bridge.start_scanning(then=lambda: finished("decoder"))
        else:
            finished("decoder")

        def units_failed(exc: BaseException) -> None:
            log.error("The administrative units could not be loaded: %s", type(exc).__name__)
            finished("units")

        self.worker.run(load_units, lambda _units: finished("units"), units_failed,
                        name="unit-tables")
        self.narrator.start()

    def _build_screens(self) -> dict[Step, Screen]:
        flow = self.flow
        auto_return_s = receipt_return_s(self.config.kiosk.idle_timeout_s)
        return {
            Step.WELCOME: WelcomeScreen(flow, self),
            Step.IDENTIFY: IdentifyScreen(flow, self),
            Step.CHOOSE: ChooseScreen(flow, self),
            Step.REQUIREMENTS: RequirementsScreen(flow, self),
            Step.FORM: FormScreen(flow, self),
            Step.REVIEW: ReviewScreen(flow, self),
            Step.CONSENT: ConsentScreen(flow, self,
                                        retention_days=self.config.store.retention_days),
            Step.SUBMITTING: SubmittingScreen(flow, self),
            Step.RECEIPT: ReceiptScreen(flow, self, auto_return_s=auto_return_s,
                                        print_dir=self.config.data_path() / "receipts",
                                        printer_name=self.config.devices.printer,
                                        fee_account=ReceiptScreen.fee_account_for(self.config)),
        }

    def _connect_signals(self) -> None:
        self.flow.subscribe(self._on_flow_moved)
        self.keyboard_dock.follow_focus(True)
        self.overlay.shown.connect(lambda _purpose: self.reading.page_shown())
        self.keyboard_dock.moved.connect(self.on_keyboard_moved)
        self.header.language.language_chosen.connect(self.set_language)
        for screen in self.screens.values():
            screen.cancel_requested.connect(self.on_cancel_requested)
        self.overlay.answered.connect(self.on_overlay_answered)
        self.screens[Step.REVIEW].submit_requested.connect(self.on_review_confirmed)
        self.screens[Step.CONSENT].consent_given.connect(self.on_submit_requested)
        identify = self.screens[Step.IDENTIFY]
        self.card_bridge.card_inserted.connect(self.on_card_inserted)
        self.card_bridge.card_removed.connect(identify.on_card_removed)
        self.card_bridge.read_started.connect(identify.on_read_started)
        self.card_bridge.read_progressed.connect(identify.on_read_progressed)
        self.card_bridge.read_failed.connect(identify.on_read_failed)
        self.card_bridge.key_required.connect(identify.on_key_required)
        self.card_bridge.birth_date_required.connect(identify.on_birth_date_required)
        self.card_bridge.identity_read.connect(self.on_identity_read)
        identify.key_typed.connect(self.routes.on_key_typed)
        identify.birth_date_typed.connect(self.routes.on_birth_date_typed)
        identify.scan_requested.connect(lambda: self.routes.open_scan("identity"))
        self.monitor.status_changed.connect(self.header.indicator.show_status)
        self.monitor.status_changed.connect(self.on_connection_checked)
        self.screens[Step.RECEIPT].printer_checked.connect(
            lambda ok: self.services.ops.metrics.set_device("printer", ok))
        self.submission_finished.connect(lambda _receipt: self.monitor.refresh())
        self.screens[Step.WELCOME].status_requested.connect(self.routes.open_status)
        self.status_screen.closed.connect(self.routes.close_status)
        self.status_screen.scan_requested.connect(lambda: self.routes.open_scan("receipt"))
        self.status_screen.lookup_requested.connect(self.routes.on_lookup_requested)
        self.scan_screen.closed.connect(self.routes.close_scan)
        self.flow.subscribe(self.routes.on_flow_moved)
        self.header.language.language_chosen.connect(self.document_screen.set_language)
        self.screens[Step.FORM].document_requested.connect(self.routes.open_document)
        self.document_screen.closed.connect(self.routes.close_document)
        self.document_screen.document_taken.connect(self.routes.on_document_taken)
        if self.camera_bridge is not None:
            self.camera_bridge.identity_scanned.connect(self.routes.on_identity_scanned)
            self.camera_bridge.receipt_scanned.connect(self.routes.on_receipt_scanned)
            self.camera_bridge.scan_failed.connect(self.routes.on_scan_failed)
            self.camera_bridge.hint_changed.connect(self.scan_screen.on_hint)

    def _connect_devices(self) -> None:
        """The scanner, the ESC/POS printer and devices coming and going (see ui/device_watch)."""
        from ui.device_watch import DeviceWatch

        scanner = self.scanner_bridge
        scanner.identity_scanned.connect(self.routes.on_identity_scanned)
        scanner.receipt_scanned.connect(self.routes.on_receipt_scanned)
        scanner.scan_failed.connect(self.routes.on_scan_failed)
        scanner.id_offered.connect(self.screens[Step.IDENTIFY].offer_id)
        if self.wedge_filter is not None:
            self.wedge_filter.scanned.connect(scanner.on_typed_scan)
            self.wedge_filter.install()
        receipt = self.screens[Step.RECEIPT]
        if self.services.receipt_printer is not None:
            receipt.use_escpos(self.services.receipt_printer, self.worker.run,
                               self.config.devices.escpos_native_qr)
        self.device_watch = DeviceWatch(self, self.services.ops.metrics)
        self.device_watch.changed.connect(self.on_devices_changed)
        receipt.printer_status_read.connect(self.device_watch.on_printer_status)
        self.on_devices_changed()

    def on_devices_changed(self) -> None:
        """Offer what is there: the QR code by scanner or camera, typing when no reader."""
        watch = self.device_watch
        camera = self.camera_bridge is not None and watch.camera_working
        self.screens[Step.IDENTIFY].set_qr_available(camera)
        self.status_screen.scan_button.setVisible(camera)
        self.screens[Step.IDENTIFY].set_scanner_available(watch.scanner_attached)
        self.screens[Step.IDENTIFY].set_reader_available(watch.reader_present)
        self.scan_screen.set_scanner_available(watch.scanner_attached)

    @property
    def escpos_printer(self) -> Any:
        """The ESC/POS printer receipts go to now (None: Qt's printer or PDF)."""
        return self.screens[Step.RECEIPT].escpos_printer

    # -- the flow moved: show its screen ------------------------------------------------------
    def _on_flow_moved(self, old: Step, new: Step) -> None:
        self.idle_guard.stop()
        self.overlay.hide()
        self.keyboard_dock.dismiss()
        self.narrator.stop()
        if new is Step.WELCOME:
            for screen in (*self.screens.values(), self.scan_screen, self.status_screen):
                screen.clear()  # wipe the citizen's data from every widget, not just hide it
            if self.camera_bridge is not None:
                self.camera_bridge.forget()
            self.settings.reset()
            self.help_call.end("help.ended")
            QTimer.singleShot(0, release_free_memory)  # once the last session's widgets are gone
        else:  # the next citizen started: the last one's question goes
            self.rating.hide()
            self._rating_after_card = ""
        self._show_step(new)
        key = self.routes.take_read_key()
        # a card left on the reader when the last session ended never identifies the next citizen
        fresh = self.services.card_reader.card_present() and not self.card_guard.policy.left_over
        if read_on_arrival(old, new, card_present=fresh):
            self.card_bridge.read(key)

    def _show_step(self, step: Step) -> None:
        screen = self.screens[step]
        screen.enter()
        self.scan_screen.stop()
        if self.stack.currentWidget() is self.status_screen:
            self.status_screen.clear()
        screen.set_step(_STEP_NUMBERS.get(step), len(_STEP_NUMBERS))
        self.show_page(screen)
        # the public welcome screen shows nothing of the kiosk's state, not even the connection
        self.header.indicator.setVisible(step is not Step.WELCOME)
        self.monitor.set_active(step is not Step.WELCOME)  # checked often while it is seen
        self.header.fit_brand()
        self.idle.set_active(step in WATCHED_STEPS)
        self.step_changed.emit(step)

    # -- the page stack (``ui.scanning.Pages``) ----------------------------------------------------
    def current_page(self) -> QWidget:
        return self.stack.currentWidget() or self.screens[self.flow.step]

    def _receipt_screen(self) -> ReceiptScreen:
        screen = self.screens[Step.RECEIPT]
        if not isinstance(screen, ReceiptScreen):
            raise TypeError("the receipt step has no receipt screen")
        return screen

    def step_screen(self, step: Step) -> Screen:
        return self.screens[step]

    def show_page(self, page: QWidget) -> None:
        """Show a screen; the camera runs (and the scanner listens) only if that screen scans."""
        self.stack.setCurrentWidget(page)
        self.reading.page_shown()
        if page is self.scan_screen:
            mode = self.scan_screen.purpose
        elif page is self.status_screen:
            mode = "receipt"
        elif page in (self.screens[Step.WELCOME], self.screens[Step.IDENTIFY]):
            mode = "identity"
        else:
            mode = "off"
        self.scanner_bridge.set_mode(mode)
        if self.camera_bridge is None:
            return
        self.camera_bridge.set_mode(mode)
        self.camera_bridge.set_needed(mode != "off")

    def on_keyboard_moved(self, rect: Any) -> None:
        """Tell the screen shown where the on-screen keyboard is (in its coordinates)."""
        page = self.stack.currentWidget()
        if isinstance(page, Screen):
            page.on_keyboard(None if rect is None else rect.translated(-page.mapTo(self, QPoint())))

    def _audit_citizen(self, action: str, actor: str, details: dict) -> None:
        self.staff_mode.audit(actor, action, self.config.kiosk.kiosk_id, details)

    def _ask_rating(self, procedure_code: str) -> None:
        """After "Done": the card left on the reader comes first, then "Are you satisfied?"."""
        notice = self.card_guard.take_card
        if notice is not None and notice.isVisible():
            self._rating_after_card = procedure_code
        else:
            self.rating.ask(procedure_code)

    def _card_taken(self) -> None:
        code, self._rating_after_card = self._rating_after_card, ""
        if code and self.flow.step is Step.WELCOME:
            self.rating.ask(code)

    def on_rated(self, procedure_code: str, score: int) -> None:
        """One satisfaction rating: stored off the GUI thread, counted for the fleet."""
        ratings = self.services.ops.ratings
        self.services.ops.metrics.record_rating(score)
        if ratings is not None:
            self.worker.run(lambda: ratings.record(procedure_code, score), lambda _none: None,
                            lambda exc: log.error("Rating not stored: %s", type(exc).__name__),
                            name="rating")

    def on_connection_checked(self, status: Any) -> None:
        """The header's connection check is also the fleet's portal-latency figure."""
        latency_s = None if status.latency_ms is None else status.latency_ms / 1000.0
        self.services.ops.metrics.record_portal_health(status.reachable, latency_s)

    # -- language ------------------------------------------------------------------------------
    def set_language(self, language: str) -> None:
        self.translations.set_language(language)
        language = self.translations.language
        self.header.language.set_language(language)
        self.header.retranslate()
        self.narrator.set_language(language)
        self.keyboard_dock.retranslate()
        for screen in (*self.screens.values(), self.scan_screen, self.status_screen):
            screen.set_language(language)
        if self.demo_panel is not None:
            self.demo_panel.retranslate()
        for part in (getattr(self, "help_call", None), getattr(self, "rating", None),
                     getattr(getattr(self, "card_guard", None), "take_card", None)):
            if part is not None:  # (built after the first call, in __init__)
                part.retranslate()

    @property
    def language(self) -> str:
        return self.translations.language

    def on_look_changed(self) -> None:
        """A new text size or contrast: words measured for the old one are measured again."""
        self.set_language(self.language)
        if self.overlay.isVisible():
            self.overlay.setGeometry(self.rect())
        target = self.keyboard_dock.keyboard.target
        if self.keyboard_dock.isVisible() and target is not None:
            QTimer.singleShot(0, lambda: self.keyboard_dock.show_for(target))

    # -- cancel --------------------------------------------------------------------------------
    def on_cancel_requested(self) -> None:
        if not self.flow.allowed("cancel") or self.flow.step is Step.WELCOME:
            return
        self.overlay.ask(self.tr("Stop this application?"),
                         self.tr("Everything you entered will be deleted from this "
                                          "kiosk. Nothing will be sent."),
                         yes=self.tr("Yes, stop and delete"),
                         no=self.tr("No, continue"), purpose="cancel")

    def on_overlay_answered(self, purpose: str, yes: bool) -> None:
        idle = self.idle_guard.on_answered(purpose, yes)
        if purpose == "cancel" and yes or idle is IdleAction.END:
            if self.flow.allowed("cancel"):
                self.flow.cancel()
        else:
            self.idle.poke()

    @property
    def idle_warning_s(self) -> int:
        """Seconds to answer "Do you need more time?" (WCAG 2.2.1 asks for at least 20)."""
        return self.idle_guard.warning_s

    @idle_warning_s.setter
    def idle_warning_s(self, seconds: int) -> None:
        self.idle_guard.warning_s = seconds

    # -- card reader ---------------------------------------------------------------------------
    def on_card_inserted(self) -> None:
        choice = choose_for_card(self.flow.step)
        if choice is IdChoice.START:
            self.flow.start()  # reads the card on arrival at IDENTIFY
        elif choice is IdChoice.READ_CHIP:
            self.card_bridge.read()

    def on_identity_read(self, card_read: Any) -> None:
        """The chip was read: the identify screen shows it; the citizen continues from there."""
        if self.flow.step is Step.IDENTIFY:
            if self.stack.currentWidget() is self.scan_screen:
                self.routes.close_scan()
            self.screens[Step.IDENTIFY].on_card_read(card_read)

    # -- the routes' doors, for the demo strip, tools and tests --------------------------------
    def open_scan(self, purpose: str) -> None:
        self.routes.open_scan(purpose)

    def close_scan(self, reason: str = "") -> None:
        self.routes.close_scan(reason)

    def open_document(self, field_id: str) -> None:
        self.routes.open_document(field_id)

    @property
    def scan_result_delay_ms(self) -> int:
        return self.routes.scan_result_delay_ms

    @scan_result_delay_ms.setter
    def scan_result_delay_ms(self, ms: int) -> None:
        self.routes.scan_result_delay_ms = ms

    # -- submission ----------------------------------------------------------------------------
    def on_review_confirmed(self) -> None:
        if self.flow.allowed("confirm"):
            self.flow.confirm()  # consent is asked next

    def on_submit_requested(self) -> None:
        if not self.flow.allowed("consent"):
            return
        procedure_code = self.flow.procedure.code
        payload = self.flow.consent(True)
        attachments = self.flow.attachment_data()  # the photos' bytes, in the payload's order
        payload = self.staff_mode.annotate(payload)  # records an assisting staff member
        submission = self.services.submission
        self.worker.run(lambda: submission.submit(procedure_code, payload, attachments),
                        self._on_submitted, self._on_submit_failed, name="submit")

    def _on_submitted(self, receipt: Any) -> None:
        if self.flow.allowed("submitted"):
            self.flow.submitted(receipt)
        self.submission_finished.emit(receipt)

    def _on_submit_failed(self, exc: BaseException) -> None:
        log.error("Submission could not be saved: %s", type(exc).__name__)
        if isinstance(exc, StorageFull):
            message = self.tr("The kiosk's storage is full, so your application was NOT saved or "
                              "sent. Please ask a staff member for help; your answers are still "
                              "here.")
        else:
            message = self.tr("The kiosk could not save your application, so it was NOT sent. "
                              "Please try again, or ask a staff member for help.")
        if self.flow.allowed("submit_failed"):
            self.flow.submit_failed(message)
        self.submission_finished.emit(None)

    # -- lifetime ------------------------------------------------------------------------------
    def enter_kiosk_mode(self) -> None:
        """Full screen without decorations; closing or minimising from the keyboard or the window
        manager (Alt+F4, a close request) is refused, so a citizen never reaches the desktop."""
        self.kiosk_locked = True
        self.setWindowFlag(Qt.FramelessWindowHint, True)
        screen = self.screen()
        # Without a window manager nobody acts on the full-screen request: take the screen's
        # geometry ourselves, and again whenever the screen changes (a monitor re-plugged).
        self.setGeometry(screen.geometry())
        screen.geometryChanged.connect(self.on_screen_geometry_changed)
        self.showFullScreen()

    def on_screen_geometry_changed(self, geometry) -> None:
        if self.kiosk_locked and not self._shutting_down:
            self.setGeometry(geometry)
            self.showFullScreen()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.kiosk_locked and not self._shutting_down:
            event.ignore()
            log.warning("Close request refused (kiosk mode)")
            self.staff_mode.audit("system", "kiosk.close_blocked", self.config.kiosk.kiosk_id)
            return
        super().closeEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if (event.type() == QEvent.WindowStateChange and self.kiosk_locked
                and not self._shutting_down and self.windowState() & Qt.WindowMinimized):
            QTimer.singleShot(0, self.showFullScreen)  # minimised by a key or the WM: come back

    def shutdown(self, timeout: float = 15.0) -> None:
        """Stop timers and listeners and wait for background jobs (before services.close()).
        After this the window may close, even in kiosk mode (the app's own exit path)."""
        self._shutting_down = True
        self.monitor.stop()
        self.idle_guard.stop()
        self.idle.close()
        self.card_guard.close()
        self.card_bridge.close()
        self.scanner_bridge.close()
        self.device_watch.close()
        if self.wedge_filter is not None:
            self.wedge_filter.remove()
        if self.camera_bridge is not None:
            self.camera_bridge.close()
        self.staff_mode.close()
        self.worker.shutdown(timeout)
        self.keyboard_dock.follow_focus(False)
        self.reading.close()
        self.narrator.stop()
        self.translations.close()

    def citizen_view(self) -> QWidget:
        """What the citizen sees now: a notice or a question over the screen, or the screen."""
        if self.rating.isVisible():
            return self.rating
        notice = self.card_guard.take_card
        if notice is not None and notice.isVisible():
            return notice
        return self.overlay if self.overlay.isVisible() else self.current_page()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self.overlay.isVisible():
            self.overlay.setGeometry(self.rect())
        notice = self.card_guard.take_card
        if notice is not None and notice.isVisible():
            notice.setGeometry(self.rect())
        target = self.keyboard_dock.keyboard.target
        if self.keyboard_dock.isVisible() and target is not None:
            self.keyboard_dock.show_for(target)

