"""Staff mode's controller: opens sign-in or the dashboard on the hidden gesture, keeps the
StaffSession alive while staff work and signs out when it expires, runs staff actions (retry) off
the GUI thread and writes each one to the audit log under the staff ID, and marks an assisted
citizen session (header badge, ``assisted_by`` in the payload, a line on the receipt) and gives
staff the hints for each step (``ui.staff.hints``: a pill beside the badge, a card it opens) while
it lasts. Badge and pill take the brand's place in the header, so the header keeps its width.

Built by the composition root from the parts it names (``StaffParts``, not the window); the
window calls ``annotate(payload)`` before it hands a payload to the submission service. Audit lines hold staff IDs and references only.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

from kiosk.domain.config import Config
from kiosk.domain.flow import Flow, Step
from kiosk.services.composition import Services
from ui.connection import ConnectionMonitor
from ui.screens.receipt import ReceiptScreen
from ui.staff.dashboard import StaffDashboard, default_printer_name
from ui.staff.gesture import LongPress
from ui.staff.hints import StaffHints
from ui.staff.manual import ManualEntryPanel, ManualSheet
from ui.staff.signin import StaffSignInPanel
from ui.staff.snapshot import collect_snapshot
from ui.widgets.chrome import Header
from ui.widgets.common import ElidedLabel
from ui.worker import Worker

__all__ = ["SHORTCUT", "StaffMode", "StaffParts"]

log = logging.getLogger(__name__)

SHORTCUT = "Ctrl+Alt+S"
LONG_PRESS_MS = 3000
_ACTIVITY = frozenset({QEvent.MouseButtonPress, QEvent.KeyPress, QEvent.TouchBegin})
_EXTEND_EVERY_S = 5.0


@dataclasses.dataclass(frozen=True)
class StaffParts:
    """What staff mode works with, each named (not the window)."""

    host: QWidget  # the kiosk's window: the staff panels cover it and follow its size
    services: Services
    config: Config
    flow: Flow
    worker: Worker
    header: Header
    monitor: ConnectionMonitor
    receipt: ReceiptScreen  # shows who assisted, below the receipt
    keyboard_dock: QWidget  # the hints card stays under it
    language: Callable[[], str]
    help_call: Any = None  # the citizen's "Call staff" (ui.help_call.HelpCall): answered here


class StaffMode(QObject):
    session_changed = Signal(object)   # StaffSession, or None after signing out
    assist_changed = Signal(object)    # the assisting staff ID, or None
    audited = Signal(str)              # an audit action was written (for tests and the dashboard)

    def __init__(self, parts: StaffParts, *, clock: Callable[[], float] = time.time,
                 refresh_ms: int = 5000) -> None:
        super().__init__(parts.host)
        self._parts, self._host, self._clock = parts, parts.host, clock
        window, services = parts.host, parts.services
        self._ops, self._outbox, self._engine = services.ops, services.outbox, services.engine
        self._session_ttl = float(parts.config.ops.staff_session_s)
        self.session: Any = None
        self.assisted_by: str | None = None
        self.receipt_assisted_by: str | None = None
        self._extended_at = 0.0
        self._refreshing = False
        self._audit_queue: list[tuple[str, str, str, dict | None]] = []
        self._auditing = False
        self.signin = StaffSignInPanel(self._ops.staff.authenticate, parts.worker, window)
        self.dashboard = StaffDashboard(window)
        self.manual = ManualEntryPanel(window, parts.config.data_path() / "exports")
        self.long_press = LongPress(parts.header.emblem, LONG_PRESS_MS)
        self.shortcut = QShortcut(QKeySequence(SHORTCUT), window)
        self._expiry = QTimer(self)
        self._expiry.setInterval(1000)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(refresh_ms)
        self.assist_block = QWidget(parts.header)  # in the header while assisting
        self.assist_block.setObjectName("assist-block")
        self.assist_block.hide()
        # who assists, shortened in the middle when a large text size leaves little room
        self.badge = ElidedLabel("brand-sub", self.assist_block)
        self.badge.setObjectName("assisted-badge")
        self.receipt_note = parts.receipt.assisted_note
        # its pill beside the badge, its card over the window
        self.hints = StaffHints(window, parts.header, parts.keyboard_dock, parts.flow,
                                parts.language)
        row = QHBoxLayout(self.assist_block)  # side by side: the header keeps its height
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        row.addWidget(self.hints.pill)
        row.addWidget(self.badge, 1)
        self._connect()

    def _connect(self) -> None:
        self.long_press.triggered.connect(self.open)
        self.shortcut.activated.connect(self.open)
        self.signin.signed_in.connect(self._on_signed_in)
        self.dashboard.retry_requested.connect(self.retry)
        self.dashboard.retry_all_requested.connect(self.retry_all)
        self.dashboard.export_requested.connect(self.export_manual)
        self.dashboard.assist_requested.connect(self.set_assisting)
        self.dashboard.sign_out_requested.connect(lambda: self.sign_out("signed_out"))
        self.dashboard.close_requested.connect(self.hide_dashboard)
        self.dashboard.refresh_requested.connect(self.refresh)
        self._expiry.timeout.connect(self._check_expiry)
        self._refresh_timer.timeout.connect(self.refresh)
        self._host.installEventFilter(self)

    # -- opening -----------------------------------------------------------------------------------
    def open(self) -> None:
        """The gesture: the dashboard if a session is alive, else sign-in."""
        if self.session is not None and not self.session.expired(self._clock()):
            self.show_dashboard()
        else:
            self.signin.open_panel()

    def _on_signed_in(self, session: Any) -> None:
        self.session = session
        self._expiry.start()
        # touches anywhere keep the session alive: the application-wide filter (every event
        # passes it) is there only while a staff member is signed in
        QApplication.instance().installEventFilter(self)
        self.session_changed.emit(session)
        self.show_dashboard()

    def show_dashboard(self) -> None:
        self.dashboard.set_staff(self.session.staff_id, self.assisted_by is not None)
        self.dashboard.set_procedure_names(self._procedure_name)
        self._show_help_call()
        self.dashboard.setGeometry(self._host.rect())
        self.dashboard.raise_()
        self.dashboard.show()
        self._refresh_timer.start()
        self._parts.monitor.refresh()
        self.refresh()

    def _procedure_name(self, code: str) -> str:
        try:
            return self._parts.flow.catalogue.get(code).name.get(self._parts.language())
        except (KeyError, LookupError):
            return code

    def _show_help_call(self) -> None:
        """The citizen's call for staff on the dashboard, with when and where they were."""
        call = self._parts.help_call
        if call is None or not call.active:
            self.dashboard.show_help_call(None)
            return
        since = time.strftime("%H:%M", time.localtime(call.since))
        try:
            step = self.hints.step_name(Step(call.step_name))
        except ValueError:
            step = call.step_name
        self.dashboard.show_help_call(self.tr("A citizen called for help at {time} (step: {step}). "
                                              "“Help this citizen” takes over in assisted mode.")
                                      .format(time=since, step=step))

    def hide_dashboard(self) -> None:
        """Back to the citizen's screen; the session stays alive until it expires."""
        self._refresh_timer.stop()
        self.dashboard.hide()

    # -- the session -------------------------------------------------------------------------------
    def _check_expiry(self) -> None:
        if self.session is not None and self.session.expired(self._clock()):
            self.sign_out("expired")

    def sign_out(self, reason: str = "signed_out") -> None:
        if self.session is None:
            return
        staff_id, self.session = self.session.staff_id, None
        self.set_assisting(False, by=staff_id)
        self._expiry.stop()
        self._refresh_timer.stop()
        QApplication.instance().removeEventFilter(self)
        self.dashboard.hide()
        self.dashboard.clear()
        self.manual.clear()  # the citizen's data leaves the screen with the staff member
        self._audit(staff_id, "staff.sign_out", staff_id, {"reason": reason})
        self.session_changed.emit(None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind == QEvent.Resize and watched is self._host:
            for overlay in (self.signin, self.dashboard, self.manual):
                overlay.setGeometry(self._host.rect())
            if self.hints.is_open:
                self.hints.place()
        elif kind in _ACTIVITY and self.session is not None:
            staff_visible = self.dashboard.isVisible() or self.manual.isVisible()
            if staff_visible or self.assisted_by is not None:
                self._extend()
        return False

    def _extend(self) -> None:
        now = self._clock()
        if now - self._extended_at >= _EXTEND_EVERY_S and not self.session.expired(now):
            self._extended_at = now
            self.session = self.session.extended(now, self._session_ttl)

    # -- assisted sessions ---------------------------------------------------------------------------
    def set_assisting(self, on: bool, *, by: str | None = None) -> None:
        if on and self.session is not None and self.assisted_by is None:
            self.assisted_by = self.session.staff_id
            self._audit(self.assisted_by, "assist.start", self._parts.config.kiosk.kiosk_id,
                        {"step": self._parts.flow.step.value})
            if self._parts.help_call is not None:  # taking over answers a citizen's call
                self._parts.help_call.end("help.answered", by=self.assisted_by)
            self.hide_dashboard()
        elif not on and self.assisted_by is not None:
            staff_id, self.assisted_by = self.assisted_by, None
            self._audit(by or staff_id, "assist.end", self._parts.config.kiosk.kiosk_id,
                        {"step": self._parts.flow.step.value})
        else:
            return
        self._show_badge()
        self.hints.set_active(self.assisted_by is not None, self._parts.flow.step)
        if self.session is not None:
            self.dashboard.set_staff(self.session.staff_id, self.assisted_by is not None)
        self.assist_changed.emit(self.assisted_by)

    def annotate(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The main window's hook: the payload to submit, marked when a staff member assisted."""
        self.receipt_assisted_by = self.assisted_by
        if self.assisted_by is None:
            return payload
        self._audit(self.assisted_by, "assist.submit", str(payload.get("procedure_code", "")))
        return {**payload, "assisted_by": self.assisted_by}

    def on_step_changed(self, step: Step) -> None:
        self.hints.show_step(step)
        if step is Step.RECEIPT and self.receipt_assisted_by:
            self._parts.receipt.show_assisted_note(
                self.tr("This application was assisted by staff member {staff}.").format(
                    staff=self.receipt_assisted_by))
        elif step is Step.WELCOME:
            self._parts.receipt.show_assisted_note(None)
            self.receipt_assisted_by = None
            if self.assisted_by is not None:
                self.set_assisting(False)  # the citizen's session is over

    def _show_badge(self) -> None:
        """The hints pill and who assists, in the brand's place in the header; the badge is
        shortened in the middle when room is short, so the header keeps its width (the full text
        is the tooltip)."""
        if self.assisted_by is None:
            self._parts.header.show_staff(None)
            self.badge.setText("")
            return
        self.badge.setText(self.tr("Assisted by {staff}").format(staff=self.assisted_by))
        self._parts.header.show_staff(self.assist_block)

    # -- dashboard data and actions ----------------------------------------------------------------
    def refresh(self) -> None:
        if self._refreshing or not self.dashboard.isVisible():
            return
        self._refreshing = True
        engine, outbox, services, now = self._engine, self._outbox, self._parts.services, self._clock()
        stuck_after_s = self._parts.config.sync.stuck_after_s
        self._parts.worker.run(
            lambda: collect_snapshot(engine, outbox, services.card_reader, services.camera, now,
                                     printer=default_printer_name, stuck_after_s=stuck_after_s,
                                     ratings=getattr(services.ops, "ratings", None)),
            self._on_snapshot, self._on_snapshot_failed, name="staff-dashboard")

    def _on_snapshot(self, snapshot: Any) -> None:
        self._refreshing = False
        if self.session is not None:
            self.dashboard.show_snapshot(snapshot, self._parts.monitor.status)
            self._show_help_call()

    def _on_snapshot_failed(self, exc: BaseException) -> None:
        self._refreshing = False
        log.error("Dashboard data unavailable: %s", type(exc).__name__)
        self.dashboard.show_problem(self.tr("The outbox cannot be read right now. IT: run "
                                            "`kiosk doctor`."))

    def retry(self, entry_id: int) -> None:
        """Staff action, as `kiosk outbox retry ID`: queue the entry again, audited, and wake the
        relay so it is sent now."""
        if self.session is None:
            return
        staff_id, outbox, audit = self.session.staff_id, self._outbox, self._ops.audit
        wake = self._parts.services.sync_thread.wake

        def job() -> str:
            entry = outbox.retry(entry_id)
            audit.append(staff_id, "outbox.retry", entry.local_ref, {"entry_id": entry_id})
            wake()
            return "outbox.retry"

        self._parts.worker.run(job, self._on_action_done, self._on_action_failed, name="staff-retry")

    def retry_all(self) -> None:
        """Staff action, as `kiosk outbox retry --all`: every parked or backed-off entry is queued
        again in one step, audited with their references, and the relay woken."""
        if self.session is None:
            return
        staff_id, outbox, audit = self.session.staff_id, self._outbox, self._ops.audit
        wake = self._parts.services.sync_thread.wake

        def job() -> str:
            entries = outbox.retry_all()
            audit.append(staff_id, "outbox.retry_all", "outbox",
                         {"count": len(entries), "local_refs": [e.local_ref for e in entries][:200]})
            wake()
            return "outbox.retry_all"

        self._parts.worker.run(job, self._on_action_done, self._on_action_failed,
                               name="staff-retry-all")

    def export_manual(self, entry_id: int) -> None:
        """Staff action: show the entry's data for typing in at the counter. Audited with the
        staff ID and the local reference only; the payload is decrypted on the worker."""
        if self.session is None:
            return
        staff_id, outbox, audit = self.session.staff_id, self._outbox, self._ops.audit

        def job() -> ManualSheet:
            entry = outbox.get(entry_id, with_payload=True)
            audit.append(staff_id, "outbox.export_manual", entry.local_ref, {"entry_id": entry_id})
            return ManualSheet(entry.id, entry.local_ref, entry.procedure_code,
                               entry.last_error or "", entry.payload or {})

        self._parts.worker.run(job, self._on_exported, self._on_action_failed, name="staff-export")

    def _on_exported(self, sheet: ManualSheet) -> None:
        self.audited.emit("outbox.export_manual")
        if self.session is not None:
            self.manual.show_sheet(sheet)

    def _on_action_done(self, action: str) -> None:
        self.audited.emit(action)
        self.refresh()

    def _on_action_failed(self, exc: BaseException) -> None:
        log.warning("Staff action refused: %s", type(exc).__name__)
        self.dashboard.show_problem(self.tr("That could not be done: {reason}").format(
            reason=str(exc)))
        self.refresh()

    def audit(self, actor: str, action: str, target: str, details: dict | None = None) -> None:
        """For the window's own events (a refused close): written in order with staff actions."""
        self._audit(actor, action, target, details)

    def _audit(self, actor: str, action: str, target: str, details: dict | None = None) -> None:
        """Append off the GUI thread (each line is fsynced), in the order the actions happened:
        one job at a time drains the queue."""
        self._audit_queue.append((actor, action, target, details))
        if not self._auditing:
            self._start_audit_job()

    def _start_audit_job(self) -> None:
        self._auditing = True
        audit, pending = self._ops.audit, list(self._audit_queue)
        self._audit_queue.clear()

        def job() -> list[str]:
            done = []
            for actor, action, target, details in pending:
                audit.append(actor, action, target, details)
                done.append(action)
            return done

        self._parts.worker.run(job, self._on_audit_done, self._on_audit_failed, name="staff-audit")

    def _on_audit_done(self, done: list[str]) -> None:
        self._auditing = False
        for action in done:
            self.audited.emit(action)
        if self._audit_queue:
            self._start_audit_job()

    def _on_audit_failed(self, exc: BaseException) -> None:
        self._auditing = False
        log.error("Audit line not written: %s", type(exc).__name__)
        if self._audit_queue:
            self._start_audit_job()

    def close(self) -> None:
        """At shutdown: end the session (audited) and stop the timers."""
        self.sign_out("shutdown")
        QApplication.instance().removeEventFilter(self)
