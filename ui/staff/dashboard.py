"""The staff dashboard: the outbox, the relay, the devices, the portal and today's submissions at
a glance, with the entries that need a person and a Retry button for each.

It only renders a ``DashboardSnapshot`` (gathered on a worker by ``StaffMode``) and forwards staff
intents as signals; the controller does the work and writes the audit log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from ui.staff.snapshot import DashboardSnapshot
from ui.widgets.common import Card, ProblemLabel, button, clear_layout, label
from ui.widgets.flow import FlowLayout
from ui.widgets.scrolling import TouchScrollArea

__all__ = ["StaffDashboard", "default_printer_name", "format_age", "receipt_printer_state"]

log = logging.getLogger(__name__)

_STATES = ("queued", "sending", "failed_retryable", "needs_attention", "sent")


def format_age(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = int(seconds)
    if seconds < 3600:
        return f"{seconds // 60}:{seconds % 60:02d}"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def default_printer_name() -> str | None:
    """The print system's default printer (or the only one installed); None when there is none.
    Called on a worker thread: CUPS can take a while to answer."""
    default = QPrinterInfo.defaultPrinter()
    if not default.isNull():
        return default.printerName()
    names = QPrinterInfo.availablePrinterNames()
    return names[0] if len(names) == 1 else None


def receipt_printer_state(name: str) -> str:
    """"ready", "error" or "missing" for the receipt printer named in ``devices.printer``.
    Called on a worker thread: CUPS can take a while to answer."""
    info = QPrinterInfo.printerInfo(name)
    if info.isNull():
        return "missing"
    bad = (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted)
    return "error" if info.state() in bad else "ready"


class StaffDashboard(QWidget):
    retry_requested = Signal(int)       # an outbox entry id
    retry_all_requested = Signal()      # every parked or backed-off entry
    export_requested = Signal(int)      # an outbox entry id, to type in at the counter
    assist_requested = Signal(bool)     # True: start assisting; False: stop
    sign_out_requested = Signal()
    close_requested = Signal()
    refresh_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("overlay")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.snapshot: DashboardSnapshot | None = None
        self.portal: Any = None
        self.staff_id = ""
        self.assisting = False
        self.retry_buttons: dict[int, Any] = {}
        self.export_buttons: dict[int, Any] = {}
        #: a procedure's name for its code (staff read names, not codes): ``set_procedure_names``
        self.procedure_name: Callable[[str], str] = lambda code: code
        # the receipt printer the kiosk prints to (devices.printer); its state is asked on the
        # window's worker each time the dashboard shows new data
        config = getattr(parent, "config", None)
        self.receipt_printer: str = getattr(getattr(config, "devices", None), "printer", "") or ""
        self.printer_state: str | None = None  # None: not known yet
        self._asking_printer = False
        self._build()
        self.retranslate()
        self.hide()
        watch = getattr(parent, "device_watch", None)
        if watch is not None:  # devices plugged in or out, the printer's answer: show it
            watch.changed.connect(self._render)

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 30, 40, 30)
        self.card = Card(self, kind="dialog")
        self.card.setObjectName("staff-dashboard")
        self.title = label("title", self.card)
        self.who = label("caption", self.card)
        self.problem = ProblemLabel(self.card)
        self.help_call = label("problem-summary", self.card)  # a citizen called staff
        self.help_call.setObjectName("dashboard-help-call")
        self.help_call.hide()
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        self.values: dict[str, Any] = {}
        self.captions: dict[str, Any] = {}
        keys = ("ratings", "counts", "oldest", "breaker", "problems", "portal", "reader", "card",
                "camera",
                "scanner", "printer", "today")
        for row, key in enumerate(keys):
            self.captions[key] = label("review-label", self.card)
            self.values[key] = label("review-value", self.card)
            self.values[key].setObjectName(f"dashboard-{key}")
            grid.addWidget(self.captions[key], row, 0, Qt.AlignTop)
            grid.addWidget(self.values[key], row, 1)
        grid.setColumnStretch(1, 1)
        # everything between the title and the actions scrolls, so a large text size never
        # squeezes a line: the actions stay in reach at the bottom
        details = TouchScrollArea(self.card)
        details.setObjectName("staff-dashboard-details")
        holder = QWidget(details)
        holder.setObjectName("scroll-holder")
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 12, 0)
        column.addLayout(grid)
        self.attention_title = label("card-title", holder)
        self.retry_all_button = button("secondary", holder, name="staff-retry-all")
        self.retry_all_button.clicked.connect(self.retry_all_requested)
        title_row = QHBoxLayout()
        title_row.addWidget(self.attention_title, 1)
        title_row.addWidget(self.retry_all_button)
        column.addLayout(title_row)
        self.attention = QVBoxLayout()
        self.attention.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self.attention)
        column.addStretch(1)
        details.setWidget(holder)
        self.card.body.addWidget(self.title)
        self.card.body.addWidget(self.who)
        self.card.body.addWidget(self.problem)
        self.card.body.addWidget(self.help_call)
        self.card.body.addWidget(details, 1)
        self.card.body.addLayout(self._build_actions())
        outer.addWidget(self.card)

    def _build_actions(self) -> FlowLayout:
        row = FlowLayout(spacing=12)  # onto two lines when large text makes the keys wide
        self.assist_button = button("primary", self.card, name="staff-assist")
        self.refresh_button = button("secondary", self.card, name="staff-refresh")
        self.close_button = button("secondary", self.card, name="staff-close")
        self.sign_out_button = button("danger", self.card, name="staff-sign-out")
        for widget in (self.assist_button, self.refresh_button, self.close_button,
                       self.sign_out_button):
            row.addWidget(widget)
        self.assist_button.clicked.connect(lambda: self.assist_requested.emit(not self.assisting))
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.close_button.clicked.connect(self.close_requested)
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        return row

    # -- state from the controller -----------------------------------------------------------------
    def set_staff(self, staff_id: str, assisting: bool) -> None:
        self.staff_id, self.assisting = staff_id, assisting
        self._render_who()

    def show_snapshot(self, snapshot: DashboardSnapshot, portal: Any) -> None:
        self.snapshot, self.portal = snapshot, portal
        self.problem.clear()
        self._render()
        self._ask_printer()

    def _ask_printer(self) -> None:
        watch = getattr(self.parent(), "device_watch", None)
        if watch is not None and getattr(self.parent(), "escpos_printer", None) is not None:
            watch.check_printer()  # the answer comes back through watch.changed
            return
        worker = getattr(self.parent(), "worker", None)
        if not self.receipt_printer or worker is None or self._asking_printer:
            return
        self._asking_printer = True
        name = self.receipt_printer
        worker.run(lambda: receipt_printer_state(name), self._on_printer_state,
                   self._on_printer_failed, name="staff-printer")

    def _on_printer_state(self, state: str) -> None:
        self._asking_printer = False
        self.printer_state = state
        self._render()

    def _on_printer_failed(self, exc: BaseException) -> None:
        self._asking_printer = False
        self.printer_state = None
        log.warning("Receipt printer state unavailable: %s", type(exc).__name__)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)

    def clear(self) -> None:
        self.snapshot = self.portal = None
        self.printer_state = None
        self.staff_id = ""
        self.problem.clear()
        clear_layout(self.attention)
        self.retry_buttons, self.export_buttons = {}, {}
        for value in self.values.values():
            value.clear()

    # -- rendering ---------------------------------------------------------------------------------
    def set_procedure_names(self, name: Callable[[str], str]) -> None:
        self.procedure_name = name

    def show_help_call(self, text: str | None) -> None:
        """A citizen called staff ("since 10:42, on the form"), or nobody (None)."""
        self.help_call.setText(text or "")
        self.help_call.setVisible(bool(text))
        self._render_who()

    def _render_who(self) -> None:
        self.who.setText(self.tr("Signed in as {staff}").format(staff=self.staff_id))
        calling = self.help_call.isVisibleTo(self) if hasattr(self, "help_call") else False
        self.assist_button.setText(self.tr("Stop assisting") if self.assisting
                                   else self.tr("Help this citizen") if calling
                                   else self.tr("Assist a citizen"))

    def _render(self) -> None:
        snap = self.snapshot
        if snap is None:
            return
        v = self.values
        v["counts"].setText(" · ".join(f"{self._state_name(s)}: {snap.counts.get(s, 0)}"
                                       for s in _STATES))
        v["oldest"].setText(format_age(snap.oldest_queued_age_s))
        v["breaker"].setText({"closed": self.tr("sending normally"),
                              "open": self.tr("paused: the portal keeps failing"),
                              "half_open": self.tr("testing the portal")}.get(snap.breaker,
                                                                             snap.breaker))
        v["problems"].setText(self._problems_text(snap))
        v["portal"].setText(self._portal_text())
        v["reader"].setText(", ".join(snap.readers) if snap.readers else self.tr("no reader found"))
        v["card"].setText(self.tr("unknown") if snap.card_present is None
                          else self.tr("yes") if snap.card_present else self.tr("no"))
        v["camera"].setText({"off": self.tr("not installed"), "working": self.tr("working"),
                             "not working": self.tr("not working")}[snap.camera])
        v["scanner"].setText(self._scanner_text())
        v["printer"].setText(self._printer_text())
        v["today"].setText(", ".join(f"{self.procedure_name(code)}: {n}"
                                     for code, n in snap.today.items()) or self.tr("none yet"))
        v["ratings"].setText(self._ratings_text(snap.ratings))
        self._render_attention(snap)

    def _ratings_text(self, counts: dict[int, int] | None) -> str:
        if counts is None:
            return self.tr("not recorded on this kiosk")
        total = sum(counts.values())
        if not total:
            return self.tr("none yet")
        return self.tr("{n} ratings: very satisfied {good}, satisfied {fair}, not satisfied "
                       "{bad}").format(n=total, good=counts.get(3, 0), fair=counts.get(2, 0),
                                       bad=counts.get(1, 0))

    def _scanner_text(self) -> str:
        bridge = getattr(self.parent(), "scanner_bridge", None)
        if bridge is None or not bridge.configured:
            return self.tr("not installed")
        if bridge.attached:
            return self.tr("{name} · connected").format(name=bridge.scanner.name)
        return self.tr("{name} · not connected ({why})").format(
            name=bridge.scanner.name, why=bridge.scanner.last_problem or self.tr("unknown"))

    def _escpos_text(self, printer) -> str:
        state = getattr(getattr(self.parent(), "device_watch", None), "printer_state", None)
        words = {"ready": self.tr("ready"), "paper_low": self.tr("paper running low"),
                 "paper_out": self.tr("OUT OF PAPER (receipts are saved as PDF)"),
                 "cover_open": self.tr("COVER OPEN (receipts are saved as PDF)"),
                 "cutter_error": self.tr("cutter jammed"), "error": self.tr("reports an error"),
                 "offline": self.tr("offline (receipts are saved as PDF)"),
                 "no_answer": self.tr("does not report its state"),
                 "unreachable": self.tr("not found (receipts are saved as PDF)")}
        return f"{printer.name} · {words.get(state or '', self.tr('checking…'))}"

    def _printer_text(self) -> str:
        printer = getattr(self.parent(), "escpos_printer", None)
        if printer is not None:
            return self._escpos_text(printer)
        name = self.receipt_printer
        if not name:
            return self.tr("no printer configured (receipts are saved as PDF)")
        return {"ready": self.tr("{name} · ready"),
                "error": self.tr("{name} · reports a problem (receipts are saved as PDF)"),
                "missing": self.tr("{name} · not installed (receipts are saved as PDF)"),
                }.get(self.printer_state or "", self.tr("{name} · checking…")).format(name=name)

    def _problems_text(self, snap: DashboardSnapshot) -> str:
        """The outbox's own alarms: a wrong path to the portal, entries not moving, entries a
        damaged outbox lost. Staff read them; IT acts (the texts say what to tell IT)."""
        parts = []
        if snap.alarm == "misrouted":
            parts.append(self.tr("the portal address looks wrong (answers are not from the "
                                 "portal): tell IT; nothing is lost, sending resumes by itself"))
        elif snap.alarm == "refused":
            parts.append(self.tr("the portal refuses this kiosk's credential: tell IT; nothing "
                                 "is lost"))
        elif snap.alarm:
            parts.append(self.tr("the kiosk's portal settings are wrong: tell IT"))
        if snap.stuck_count:
            parts.append(self.tr("{n} not moving for a long time: {refs}").format(
                n=snap.stuck_count, refs=", ".join(snap.stuck)))
        if snap.lost:
            parts.append(self.tr("{n} lost with a damaged outbox (listed below)").format(
                n=len(snap.lost)))
        return " · ".join(parts) or self.tr("none")

    def _portal_text(self) -> str:
        status = self.portal
        if status is None:
            return self.tr("not checked yet")
        if status.reachable:
            return self.tr("reachable · {ms} ms").format(ms=round(status.latency_ms or 0))
        return self.tr("unreachable")

    def _render_attention(self, snap: DashboardSnapshot) -> None:
        clear_layout(self.attention)
        self.retry_buttons, self.export_buttons = {}, {}
        retryable = snap.counts.get("needs_attention", 0) + snap.counts.get("failed_retryable", 0)
        self.retry_all_button.setVisible(retryable > 0)
        if not snap.attention and not snap.lost:
            self.attention.addWidget(label("caption", None))
            self.attention.itemAt(0).widget().setText(self.tr("Nothing needs attention."))
        for entry in snap.lost:
            text = label("body", None)
            text.setObjectName(f"lost-{entry.id}")
            text.setText(self.tr("{ref} · {procedure} · lost with a damaged outbox: ask the "
                                 "citizen to apply again (IT: `kiosk outbox lost`)").format(
                ref=entry.local_ref, procedure=self.procedure_name(entry.procedure_code)))
            self.attention.addWidget(text)
        for entry in snap.attention:
            row = QHBoxLayout()
            text = label("body", None)
            text.setObjectName(f"attention-{entry.id}")
            text.setText(f"{entry.local_ref} · {self.procedure_name(entry.procedure_code)} · "
                         f"{entry.reason}")
            retry = button("secondary", None, name=f"retry-{entry.id}")
            retry.setText(self.tr("Retry"))
            retry.clicked.connect(lambda _=False, i=entry.id: self.retry_requested.emit(i))
            export = button("secondary", None, name=f"export-{entry.id}")
            export.setText(self.tr("Export for manual entry"))
            export.clicked.connect(lambda _=False, i=entry.id: self.export_requested.emit(i))
            row.addWidget(text, 1)
            row.addWidget(retry)
            row.addWidget(export)
            self.attention.addLayout(row)
            self.retry_buttons[entry.id] = retry
            self.export_buttons[entry.id] = export
        self.attention.addStretch(1)

    def _state_name(self, state: str) -> str:
        return {"queued": self.tr("waiting"), "sending": self.tr("sending"),
                "failed_retryable": self.tr("will retry"),
                "needs_attention": self.tr("needs attention"), "sent": self.tr("sent")}[state]

    def retranslate(self) -> None:
        self.title.setText(self.tr("Staff dashboard"))
        self.attention_title.setText(self.tr("Applications that need attention"))
        self.retry_all_button.setText(self.tr("Retry all"))
        captions = {"counts": self.tr("Applications"), "oldest": self.tr("Oldest waiting"),
                    "breaker": self.tr("Sending"), "problems": self.tr("Problems"),
                    "portal": self.tr("Portal"),
                    "reader": self.tr("Card reader"), "card": self.tr("Card in the reader"),
                    "camera": self.tr("Camera"), "scanner": self.tr("Barcode scanner"),
                    "printer": self.tr("Printer"),
                    "today": self.tr("Today by procedure"),
                    "ratings": self.tr("Satisfaction today")}
        for key, text in captions.items():
            self.captions[key].setText(text)
        self.refresh_button.setText(self.tr("Refresh"))
        self.close_button.setText(self.tr("Back to the kiosk"))
        self.sign_out_button.setText(self.tr("Sign out"))
        self._render_who()
        self._render()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
