"""Hints for staff during an assisted session: a strip under the header that says, for the step the
citizen is on, what the staff member should do or check, in plain words.

Why a strip in the window's layout (not an overlay): it takes its own rows above the screen, so it
never covers a field, a button or the on-screen keyboard (``ui/assist.py``'s KeyboardDock floats
over the window and docks at the bottom, or at the very top over the header and this strip).

Only ``StaffMode`` shows it, and only while a staff member assists; it is hidden and emptied when
the assistance ends (session over, sign-out, expiry), so a citizen alone never sees it. The hints
use facts of the procedure (document names, field labels, fee) and never a personal value: no
name, ID number, phone or address. At FORM the form's own prefill (``kiosk.forms.prefill``) says
which fields the card filled; an address field the card has a value for but that prefill left
empty is one whose old address could not be converted for certain, and staff are told to check it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt

from kiosk.flow import Step
from kiosk.forms import prefill
from kiosk.procedures import Document, FieldType, Procedure
from kiosk.submission import ReceiptStatus
from ui.texts import format_fee, processing_time
from ui.widgets.common import Card, label

__all__ = ["StaffHints"]


class StaffHints(Card):
    """The hint strip. ``show_step`` follows the journey; ``set_active`` shows or wipes it.

    ``lines`` holds the hints shown now (for tests and read-aloud tools); empty when inactive.
    """

    def __init__(self, window: Any) -> None:
        super().__init__(window, kind="card")
        self.setObjectName("staff-hints")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.body.setContentsMargins(24, 6, 24, 8)
        self.body.setSpacing(2)
        self._window = window
        self.active = False
        self.step: Step | None = None
        self.lines: list[str] = []
        self.heading = label("step", self, wrap=False)
        self.heading.setObjectName("staff-hints-heading")
        self.text = label("caption", self)
        self.text.setObjectName("staff-hints-text")
        self.body.addWidget(self.heading, 0, Qt.AlignLeft)
        self.body.addWidget(self.text)
        self.hide()

    # -- state from StaffMode ----------------------------------------------------------------------
    def set_active(self, active: bool, step: Step | None = None) -> None:
        self.active = active
        if step is not None:
            self.step = step
        if active:
            self._render()
            self.show()
        else:
            self.hide()
            self.lines = []
            self.heading.clear()
            self.text.clear()

    def show_step(self, step: Step) -> None:
        self.step = step
        if self.active:
            self._render()

    # -- rendering ---------------------------------------------------------------------------------
    def _render(self) -> None:
        step = self.step or self._window.flow.step
        builders: dict[Step, Callable[[], list[str]]] = {
            Step.WELCOME: self._welcome, Step.IDENTIFY: self._identify, Step.CHOOSE: self._choose,
            Step.REQUIREMENTS: self._requirements, Step.FORM: self._form,
            Step.REVIEW: self._review, Step.CONSENT: self._consent,
            Step.SUBMITTING: self._submitting, Step.RECEIPT: self._receipt,
        }
        self.lines = builders.get(step, list)()
        self.heading.setText(self.tr("Staff hints · {step}").format(step=self._step_name(step)))
        self.text.setText("\n".join("• " + line for line in self.lines))

    def _step_name(self, step: Step) -> str:
        return {Step.WELCOME: self.tr("Start"), Step.IDENTIFY: self.tr("Identify"),
                Step.CHOOSE: self.tr("Choose a service"), Step.REQUIREMENTS: self.tr("Documents"),
                Step.FORM: self.tr("Form"), Step.REVIEW: self.tr("Review"),
                Step.CONSENT: self.tr("Consent"), Step.SUBMITTING: self.tr("Sending"),
                Step.RECEIPT: self.tr("Receipt")}.get(step, step.value)

    @property
    def _language(self) -> str:
        return self._window.language

    def _procedure(self) -> Procedure | None:
        return self._window.flow.procedure

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
        procedure, identity = self._procedure(), self._window.flow.identity
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
        lines.append(self.tr("A USB keyboard types in any field. Accents: the on-screen Telex/VNI "
                             "keys, or the computer's Vietnamese input method if IT installed one."))
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
        return [self.tr("The citizen must answer the consent question personally (Decree "
                        "13/2023/NĐ-CP on personal data protection). Explain it if asked, but do "
                        "not press the answer for them.")]

    def _submitting(self) -> list[str]:
        return [self.tr("Sending to the portal. If the network or the portal is down, the "
                        "application is saved on this kiosk (queued) and sent automatically "
                        "later, exactly once.")]

    def _receipt(self) -> list[str]:
        receipt = self._window.flow.receipt
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

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.LanguageChange and self.active:
            self._render()
        super().changeEvent(event)
