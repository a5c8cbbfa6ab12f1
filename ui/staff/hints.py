"""Hints for staff during an assisted session: for the step the citizen is on, what the staff
member should do or check, in plain words, on a floating card that staff open from a pill.

Why a pill and a floating card (not a strip in the window's layout): the kiosk runs full screen at
1280x800, and a strip of several lines under the header pushed the window's minimum size past the
screen, squeezing and clipping the citizen's screens. The pill ("Staff hints (3)") sits in the
header (``StaffMode`` puts it in the brand's place, so the header keeps its width) and the card
is a child of the window laid over the screen, like ``ConfirmOverlay``, but neither modal nor
covering the window: anchored under the header on the right, at most ``MAX_WIDTH_SHARE`` of the
width, as tall as its text up to ``MAX_HEIGHT_SHARE`` of the height, then scrolling. It never
changes the window's layout size. It stays below the on-screen keyboard (``ui/assist.py``'s
KeyboardDock), the "are you sure?" overlay and the staff panels: it is put under the lowest of
them, never raised above them.

Closed by default: an open card covers part of the citizen's screen (often form fields), so it is
opened only when staff want it; the pill's count says how many hints the step has. Once open it
stays open from step to step and follows the journey, until staff close it.

Only ``StaffMode`` shows it, and only while a staff member assists; pill and card are hidden and
the text emptied when the assistance ends (session over, sign-out, expiry), so a citizen alone
never sees it. The hints use facts of the procedure (document names, field labels, fee) and never
a personal value: no name, ID number, phone or address. At FORM the form's own prefill
(``kiosk.domain.forms.prefill``) says which fields the card filled; an address field the card has a value
for but that prefill left empty is one whose old address could not be converted for certain, and
staff are told to check it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QScrollArea, QWidget

from kiosk.domain.flow import Flow, Step
from kiosk.domain.forms import prefill
from kiosk.domain.procedures import Document, FieldType, Procedure
from kiosk.services.submission import ReceiptStatus
from ui.texts import format_fee, processing_time
from ui.widgets.common import Card, button, label

__all__ = ["MAX_HEIGHT_SHARE", "MAX_WIDTH_SHARE", "StaffHints"]

#: the card's largest share of the window's width and height (taller text scrolls inside it)
MAX_WIDTH_SHARE = 0.45
MAX_HEIGHT_SHARE = 0.6
_HOLDER_RIGHT = 4  # px between the text and the scroll bar
_GAP = 12  # px between the card and the header above it and the window's right edge
#: the pill's own look on top of the theme's toggle button: a dashed, rounded "staff" pill, 48 px
#: tall (36 + padding + border), with no colour of its own so every theme (contrast too) keeps its
#: checked colours for "open"
_PILL_STYLE = ("QPushButton#staff-hints-pill { border-style: dashed; border-width: 2px; "
               "border-radius: 24px; padding: 4px 18px; min-height: 36px; font-size: 17px; "
               "font-weight: 700; }")
_SCROLL_STYLE = ("QScrollArea, QScrollArea > QWidget#qt_scrollarea_viewport, "
                 "QWidget#staff-hints-holder { background: transparent; border: none; }")


class StaffHints(Card):
    """The hint card and its pill. ``show_step`` follows the journey; ``set_active`` shows the
    pill or hides and wipes both; ``open_card``/``close_card`` (or the pill) show the card.

    ``lines`` holds the hints for the current step (for tests and read-aloud tools) while a staff
    member assists, open or not; empty when inactive.
    """

    scroll: QScrollArea  # type: ignore[assignment]  # the text's scroll area; QWidget.scroll() unused

    def __init__(self, host: QWidget, header: QWidget, keyboard_dock: QWidget, flow: Flow,
                 language: Callable[[], str]) -> None:
        super().__init__(host, kind="card")
        self.setObjectName("staff-hints")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.body.setContentsMargins(20, 12, 12, 14)
        self.body.setSpacing(8)
        self._host, self._header, self._keyboard_dock = host, header, keyboard_dock
        self._flow, self._language_of = flow, language
        self.active = False
        self.step: Step | None = None
        self.lines: list[str] = []
        self.heading = label("step", self)
        self.heading.setObjectName("staff-hints-heading")
        self.close_button: QPushButton = button("quiet", self, name="staff-hints-close")
        self.close_button.setMinimumHeight(48)
        self.close_button.setFocusPolicy(Qt.NoFocus)  # a tap keeps the citizen's field focused
        self.close_button.clicked.connect(self.close_card)
        self._top = QHBoxLayout()
        self._top.setSpacing(12)
        self._top.addWidget(self.heading, 1, Qt.AlignVCenter)
        self._top.addWidget(self.close_button, 0, Qt.AlignTop)
        self.text = label("caption", None)
        self.text.setObjectName("staff-hints-text")
        self.text.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        self.scroll = self._scroll_area(self.text)
        self.body.addLayout(self._top)
        self.body.addWidget(self.scroll)
        self.pill: QPushButton = button("toggle", None, name="staff-hints-pill")
        self.pill.setCheckable(True)
        self.pill.setMinimumHeight(48)
        self.pill.setFocusPolicy(Qt.NoFocus)
        self.pill.setStyleSheet(_PILL_STYLE)
        self.pill.clicked.connect(self._on_pill)
        self.pill.hide()
        self._retranslate_controls()
        self.hide()

    def _scroll_area(self, text: QWidget) -> QScrollArea:
        holder = QWidget()
        holder.setObjectName("staff-hints-holder")
        column = QHBoxLayout(holder)
        column.setContentsMargins(0, 0, _HOLDER_RIGHT, 0)
        column.addWidget(text)
        scroll = QScrollArea(self)
        scroll.setObjectName("staff-hints-scroll")
        scroll.setWidgetResizable(False)  # sized by ``place`` to the text's height for its width
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setStyleSheet(_SCROLL_STYLE)
        scroll.setWidget(holder)
        return scroll

    # -- state from StaffMode ----------------------------------------------------------------------
    def set_active(self, active: bool, step: Step | None = None) -> None:
        self.active = active
        if step is not None:
            self.step = step
        if active:
            self._render()
            self.pill.show()
        else:
            self.close_card()
            self.pill.hide()
            self.lines = []
            self.heading.clear()
            self.text.clear()
            self.pill.setText("")

    def show_step(self, step: Step) -> None:
        self.step = step
        if self.active:
            self._render()

    # -- the card --------------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self.isVisible()

    def open_card(self) -> None:
        """Show the card under the header, below every overlay and the keyboard (not raised)."""
        if not self.active:
            return
        self._stack_below_overlays()
        self.show()  # shown (so polished in the current theme) before its text is measured
        self._render()
        self.place()
        self.pill.setChecked(True)

    def close_card(self) -> None:
        self.hide()
        self.pill.setChecked(False)

    def _on_pill(self) -> None:
        if self.is_open:
            self.close_card()
        else:
            self.open_card()

    def _stack_below_overlays(self) -> None:
        """Above the screens, under the lowest of the window's overlays (the "are you sure?"
        question, the staff panels) and the on-screen keyboard, whichever opens first."""
        above = [w for w in self._host.children() if isinstance(w, QWidget) and w is not self
                 and (w.objectName() == "overlay" or w is self._keyboard_dock)]
        self.raise_()
        if above:
            self.stackUnder(above[0])  # children() lists the window's widgets bottom to top

    def place(self) -> None:
        """Anchor under the header on the right: as tall as the text, up to the limit."""
        window = self._host
        self.ensurePolished()
        self.text.ensurePolished()
        width = int(window.width() * MAX_WIDTH_SHARE)
        top = self._header.geometry().bottom() + 1 + _GAP
        limit = min(int(window.height() * MAX_HEIGHT_SHARE), window.height() - top - _GAP)
        margins, frame = self.body.contentsMargins(), self.contentsMargins()
        inner = width - margins.left() - margins.right() - frame.left() - frame.right()
        heading_h = max(self.heading.heightForWidth(inner - self.close_button.sizeHint().width()
                                                    - self._top.spacing()),
                        self.close_button.sizeHint().height())
        chrome = (margins.top() + margins.bottom() + frame.top() + frame.bottom() + heading_h
                  + self.body.spacing())
        room = max(48, limit - chrome)
        holder, text_w = self.scroll.widget(), inner - _HOLDER_RIGHT
        text_h = self.text.heightForWidth(text_w)
        if text_h > room:  # it scrolls: the text wraps beside the scroll bar
            text_w -= self.scroll.verticalScrollBar().sizeHint().width()
            text_h = self.text.heightForWidth(text_w)
        holder.resize(text_w + _HOLDER_RIGHT, text_h)
        self.scroll.setFixedHeight(min(text_h, room))
        self.setGeometry(window.width() - width - _GAP, top, width,
                         chrome + self.scroll.height())

    # -- rendering ---------------------------------------------------------------------------------
    def _render(self) -> None:
        step = self.step or self._flow.step
        builders: dict[Step, Callable[[], list[str]]] = {
            Step.WELCOME: self._welcome, Step.IDENTIFY: self._identify, Step.CHOOSE: self._choose,
            Step.REQUIREMENTS: self._requirements, Step.FORM: self._form,
            Step.REVIEW: self._review, Step.CONSENT: self._consent,
            Step.SUBMITTING: self._submitting, Step.RECEIPT: self._receipt,
        }
        self.lines = builders.get(step, list)()
        self.heading.setText(self.tr("Staff hints · {step}").format(step=self._step_name(step)))
        self.text.setText("\n".join("• " + line for line in self.lines))
        self.pill.setText(self.tr("Staff hints ({n})").format(n=len(self.lines)))
        if self.is_open:
            self.place()

    def step_name(self, step: Step) -> str:
        """The step's name as staff read it (the dashboard's help call says where the citizen is)."""
        return self._step_name(step)

    def _step_name(self, step: Step) -> str:
        return {Step.WELCOME: self.tr("Start"), Step.IDENTIFY: self.tr("Identify"),
                Step.CHOOSE: self.tr("Choose a service"), Step.REQUIREMENTS: self.tr("Documents"),
                Step.FORM: self.tr("Form"), Step.REVIEW: self.tr("Review"),
                Step.CONSENT: self.tr("Consent"), Step.SUBMITTING: self.tr("Sending"),
                Step.RECEIPT: self.tr("Receipt")}.get(step, step.value)

    @property
    def _language(self) -> str:
        return self._language_of()

    def _procedure(self) -> Procedure | None:
        return self._flow.procedure

    def _welcome(self) -> list[str]:
        return [self.tr("Ask the citizen to put their ID card on the reader, or tap Start "
                        "together. These hints follow each step and only staff see them.")]

    def _identify(self) -> list[str]:
        return [
            self.tr("Lay the card flat on the reader until the details appear (a few seconds)."),
            self.tr("Asked for the ID number? Type the 12 digits on the front of the card (the "
                    "chip's access number, CAN, is its last 6), or scan the card's QR code."),
            self.tr("Green “Verified by chip”: a genuine chip. Amber: read, issuer not checked "
                    "(IT: CSCA certificates); compare the card by eye. Red: security check "
                    "failed; check the card by eye, the citizen can type their details instead."),
            self.tr("Let the citizen confirm the details are theirs."),
        ]

    def _choose(self) -> list[str]:
        return [
            self.tr("Let the citizen say which service they need, then tap its tile."),
            self.tr("Search ignores accents: “ly lich tu phap” finds “Lý lịch tư pháp”. "
                    "A procedure code works too."),
        ]

    def _requirements(self) -> list[str]:
        procedure = self._procedure()
        if procedure is None:
            return []
        lines = [self.tr("Fee: {fee} · ready in {time}.").format(
            fee=format_fee(procedure.fee_vnd), time=processing_time(procedure.processing_days))]
        bring = procedure.documents_to_bring
        if bring:
            lines.append(self.tr("The citizen must still bring or photograph {n} document(s): "
                                 "{names}.").format(n=len(bring), names=self._names(bring)))
        else:
            lines.append(self.tr("The citizen does not need to bring any document for this "
                                 "service."))
        held = tuple(d for d in procedure.documents if d.held_by_national_db)
        if held:
            lines.append(self.tr("The national databases already hold: {names}. Do not ask "
                                 "for them.").format(names=self._names(held)))
        return lines

    def _names(self, documents: tuple[Document, ...]) -> str:
        names = []
        for document in documents:
            name = document.get(self._language)
            if not document.required:
                name += " " + self.tr("(only in some cases)")
            names.append(name)
        return "; ".join(names)

    def _form(self) -> list[str]:
        procedure, identity = self._procedure(), self._flow.identity
        if procedure is None:
            return []
        filled = prefill(procedure, identity)
        labels = [f.label.get(self._language) for f in procedure.fields if f.id in filled]
        if labels:
            lines = [self.tr("Filled in from the card: {fields}. Check them with the citizen."
                             ).format(fields=", ".join(labels))]
        else:
            lines = [self.tr("Nothing was filled in from a card: help the citizen type every "
                             "field.")]
        for field in procedure.fields:
            if (field.type is FieldType.ADDRESS and field.id not in filled
                    and self._card_value(identity, field.prefill)):
                lines.append(self.tr("“{field}”: the old address on the card could not be "
                                     "matched for certain to a current commune. Ask the citizen "
                                     "where they live now and choose it with them.").format(
                    field=field.label.get(self._language)))
        photos = [f.label.get(self._language) for f in procedure.fields
                  if f.type is FieldType.ATTACHMENT]
        if photos:
            lines.append(self.tr("Photograph with the kiosk camera: {fields}.").format(
                fields=", ".join(photos)))
        lines.append(self.tr("A USB keyboard types in any field, with accents in text fields: "
                             "Telex (“Nguyeenx” gives “Nguyễn”), or VNI when chosen on the "
                             "on-screen keyboard."))
        return lines

    @staticmethod
    def _card_value(identity: Any, source: str | None) -> bool:
        """Whether the card holds a value for ``source`` (the value itself is not kept)."""
        if identity is None or not source or not source.startswith("identity."):
            return False
        return bool(getattr(identity, source.removeprefix("identity."), None))

    def _review(self) -> list[str]:
        return [self.tr("Read each answer with the citizen. To correct one, go back to the "
                        "form. Nothing has been sent yet.")]

    def _consent(self) -> list[str]:
        return [self.tr("The citizen must answer the consent question personally (Law on "
                        "Personal Data Protection 91/2025/QH15, Decree 356/2025/NĐ-CP). Explain it "
                        "if asked, but do not press the answer for them.")]

    def _submitting(self) -> list[str]:
        return [self.tr("Sending to the portal. If the network or the portal is down, the "
                        "application is saved on this kiosk (queued) and sent automatically "
                        "later, exactly once.")]

    def _receipt(self) -> list[str]:
        receipt = self._flow.receipt
        status = getattr(receipt, "status", None)
        if status is ReceiptStatus.QUEUED:
            first = self.tr("Queued offline: the application is saved on this kiosk and will be "
                            "sent by itself when the portal answers. Its reference starts with "
                            "“Q-”.")
        elif status is ReceiptStatus.NEEDS_ATTENTION:
            first = self.tr("The portal did not accept the application: it waits on this kiosk "
                            "for staff.")
        else:
            first = self.tr("Sent: the receipt shows the portal's dossier code. Give the citizen "
                            "the printed receipt.")
        return [first, self.tr("Follow it on the staff dashboard (Applications: waiting, sent). "
                               "Under “Applications that need attention”, use Retry or Export "
                               "for manual entry.")]

    def _retranslate_controls(self) -> None:
        self.close_button.setText(self.tr("Close"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.LanguageChange:
            self._retranslate_controls()
            if self.active:
                self._render()
        super().changeEvent(event)
