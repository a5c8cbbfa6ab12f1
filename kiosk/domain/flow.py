"""The citizen's journey as an explicit state machine (no Qt: screens render it and forward intents).

::

    WELCOME -> IDENTIFY -> CHOOSE -> REQUIREMENTS -> FORM -> REVIEW -> CONSENT -> SUBMITTING -> RECEIPT
    (start)    (identify)  (choose)   (read_requirements) (submit_form) (confirm) (consent)  (submitted)
    back: each step from IDENTIFY to CONSENT goes to the one before it (CONSENT -> REVIEW)
    submit_failed: SUBMITTING -> REVIEW;  finish(): RECEIPT -> WELCOME
    cancel(): any step but SUBMITTING -> WELCOME

REQUIREMENTS shows which documents to bring and which the national databases already hold; CONSENT
asks for consent to personal-data processing (Law 91/2025/QH15 on Personal Data Protection and
Decree 356/2025/NĐ-CP, in force since 1 January 2026): only a yes moves on, and the
moment it was given goes into the payload as ``consent_at``.

On FORM, ``attach(field_id, data)`` keeps a document photo in the session (memory only) and makes
its SHA-256 the field's answer; the payload lists the photos sent (``attachments``) and
``attachment_data()`` gives their bytes in the same order for the outbox. On REVIEW or CONSENT,
``set_sms_phone(phone)`` records the citizen's choice to be told the result by SMS (``notify``).

Errors::

    FlowError
     +-- IllegalTransition   an intent that the current step does not accept (a programming error)
     +-- FormInvalid         the answers have problems; the flow stays on FORM with the answers kept
     +-- ConsentRefused      the citizen said no: nothing can be sent; the flow stays on CONSENT
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Callable
from typing import Any

from kiosk.domain.attachments import SessionAttachment
from kiosk.domain.forms import (FieldProblem, ProblemCode, cross_check, mobile_number, prefill, validate,
                         visible_fields)
from kiosk.domain.identity import CitizenIdentity
from kiosk.domain.procedures import Catalogue, FieldType, Procedure

__all__ = ["ConsentRefused", "Flow", "FlowError", "FormInvalid", "IllegalTransition", "Step", "VN_TZ"]

VN_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")


class Step(enum.Enum):
    WELCOME = "welcome"
    IDENTIFY = "identify"
    CHOOSE = "choose"
    REQUIREMENTS = "requirements"
    FORM = "form"
    REVIEW = "review"
    CONSENT = "consent"
    SUBMITTING = "submitting"
    RECEIPT = "receipt"


class FlowError(Exception):
    pass


class IllegalTransition(FlowError):
    def __init__(self, step: Step, intent: str) -> None:
        super().__init__(f"'{intent}' is not allowed on step {step.name}")
        self.step, self.intent = step, intent


class FormInvalid(FlowError):
    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__(f"{len(problems)} field(s) need attention: "
                         + ", ".join(p.field_id for p in problems))
        self.problems = problems


class ConsentRefused(FlowError):
    def __init__(self) -> None:
        super().__init__("Consent to personal-data processing was refused; the application cannot "
                         "be sent from the kiosk. Staff at the counter can take it on paper.")


# (intent, from step) -> to step.  Anything not here raises IllegalTransition.
_TRANSITIONS: dict[tuple[str, Step], Step] = {
    ("start", Step.WELCOME): Step.IDENTIFY,
    ("identify", Step.IDENTIFY): Step.CHOOSE,
    ("choose", Step.CHOOSE): Step.REQUIREMENTS,
    ("read_requirements", Step.REQUIREMENTS): Step.FORM,
    ("submit_form", Step.FORM): Step.REVIEW,
    ("confirm", Step.REVIEW): Step.CONSENT,
    ("consent", Step.CONSENT): Step.SUBMITTING,
    ("submitted", Step.SUBMITTING): Step.RECEIPT,
    ("submit_failed", Step.SUBMITTING): Step.REVIEW,
    ("finish", Step.RECEIPT): Step.WELCOME,
    ("back", Step.IDENTIFY): Step.WELCOME,
    ("back", Step.CHOOSE): Step.IDENTIFY,
    ("back", Step.REQUIREMENTS): Step.CHOOSE,
    ("back", Step.FORM): Step.REQUIREMENTS,
    ("back", Step.REVIEW): Step.FORM,
    ("back", Step.CONSENT): Step.REVIEW,
    **{("cancel", s): Step.WELCOME for s in Step if s is not Step.SUBMITTING},
}

Listener = Callable[[Step, Step], None]


@dataclasses.dataclass
class _Session:
    """Everything personal about the current citizen; dropped as a whole at the end."""

    identity: CitizenIdentity | None = None
    procedure: Procedure | None = None
    answers: dict[str, str] = dataclasses.field(default_factory=dict, repr=False)
    values: dict[str, Any] = dataclasses.field(default_factory=dict, repr=False)
    receipt: Any = None
    last_error: str | None = dataclasses.field(default=None, repr=False)
    consent_at: dt.datetime | None = None
    attachments: dict[str, SessionAttachment] = dataclasses.field(default_factory=dict, repr=False)
    sms_phone: str | None = dataclasses.field(default=None, repr=False)

    def wipe(self) -> None:
        self.answers.clear()
        self.values.clear()
        self.attachments.clear()
        self.identity = self.procedure = self.receipt = self.last_error = self.consent_at = None
        self.sms_phone = None


class Flow:
    """One kiosk's journey. Not thread-safe: drive it from one thread (the GUI thread)."""

    def __init__(
        self,
        catalogue: Catalogue,
        *,
        unit_code: str,
        kiosk_id: str,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(VN_TZ),
    ) -> None:
        self.catalogue = catalogue
        self.unit_code, self.kiosk_id = unit_code, kiosk_id
        self._clock = clock
        self._step = Step.WELCOME
        self._session = _Session()
        self._listeners: list[Listener] = []

    # -- observation ---------------------------------------------------------------------------
    @property
    def step(self) -> Step:
        return self._step

    identity = property(lambda self: self._session.identity)
    procedure = property(lambda self: self._session.procedure)
    receipt = property(lambda self: self._session.receipt)
    last_error = property(lambda self: self._session.last_error)
    consent_at = property(lambda self: self._session.consent_at)
    sms_phone = property(lambda self: self._session.sms_phone)

    @property
    def attachments(self) -> dict[str, SessionAttachment]:
        """The document photos taken so far, by field id (kept when going back and forth)."""
        return dict(self._session.attachments)

    @property
    def answers(self) -> dict[str, str]:
        return dict(self._session.answers)

    @property
    def values(self) -> dict[str, Any]:
        return dict(self._session.values)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def allowed(self, intent: str) -> bool:
        return (intent, self._step) in _TRANSITIONS

    def _go(self, intent: str) -> None:
        try:
            new = _TRANSITIONS[(intent, self._step)]
        except KeyError:
            raise IllegalTransition(self._step, intent) from None
        old, self._step = self._step, new
        if new is Step.WELCOME:
            self._session.wipe()
        for listener in list(self._listeners):
            listener(old, new)

    def _check(self, intent: str) -> None:
        if not self.allowed(intent):
            raise IllegalTransition(self._step, intent)

    # -- intents -------------------------------------------------------------------------------
    def start(self) -> None:
        self._go("start")

    def identify(self, identity: CitizenIdentity) -> None:
        """Start (or restart) the session for ``identity``.

        Going back to IDENTIFY and identifying someone else must never carry the previous
        person's answers over, so anything but the same ID number starts from a clean session.
        """
        self._check("identify")
        previous = self._session.identity
        if previous is None or previous.id_number != identity.id_number:
            self._session.wipe()
        self._session.identity = identity
        self._go("identify")

    def choose(self, procedure_code: str) -> None:
        self._check("choose")
        procedure = self.catalogue.get(procedure_code)
        if self._session.procedure is not procedure:  # keep answers when coming back to the same one
            self._session.answers = prefill(procedure, self._session.identity)
            self._session.attachments.clear()
        self._session.procedure = procedure
        self._go("choose")

    def read_requirements(self) -> None:
        """The citizen has seen what to bring and what the national databases already hold."""
        self._go("read_requirements")

    def submit_form(self, answers: dict[str, str]) -> None:
        """Keep the answers whatever happens; move on only when they are all valid."""
        self._check("submit_form")
        self._session.answers = dict(answers)
        values, problems = validate(self._chosen(), answers, self._clock().date())
        problems += cross_check(self._session.identity, values)
        problems += self._missing_photos(values)
        if problems:
            raise FormInvalid(problems)
        self._session.values = values
        self._go("submit_form")

    def attach(self, field_id: str, data: bytes, pages: int = 1) -> str:
        """Keep a document photo for an attachment field; its SHA-256 becomes the answer.
        Raises AttachmentRejected for bytes the kiosk could not have made (nothing is kept)."""
        if self._step is not Step.FORM:
            raise IllegalTransition(self._step, "attach")
        field = next((f for f in self._chosen().fields if f.id == field_id), None)
        if field is None or field.type is not FieldType.ATTACHMENT:
            raise ValueError(f"{field_id!r} is not an attachment field of this procedure")
        attachment = SessionAttachment(field_id, bytes(data), pages)
        self._session.attachments[field_id] = attachment
        self._session.answers[field_id] = attachment.sha256
        return attachment.sha256

    def detach(self, field_id: str) -> None:
        """Forget a document photo (the citizen wants to take it again, or skip it)."""
        if self._step is not Step.FORM:
            raise IllegalTransition(self._step, "detach")
        self._session.attachments.pop(field_id, None)
        self._session.answers.pop(field_id, None)

    def attachment_data(self) -> list[bytes]:
        """The bytes of the photos the payload lists, in its order (for the outbox)."""
        return [a.data for a in self._sent_attachments()]

    def set_sms_phone(self, phone: str | None) -> None:
        """The citizen's choice to receive the result by SMS (None: no SMS). Raises FormInvalid
        (field ``sms_phone``) for a number that is not a Vietnamese mobile number."""
        if self._step not in (Step.REVIEW, Step.CONSENT):
            raise IllegalTransition(self._step, "set_sms_phone")
        if phone is None or not phone.strip():
            self._session.sms_phone = None
            return
        number = mobile_number(phone)
        if number is None:
            raise FormInvalid([FieldProblem("sms_phone", ProblemCode.BAD_PHONE)])
        self._session.sms_phone = number

    def suggested_sms_phone(self) -> str | None:
        """The mobile number given in the form, if any: offered for SMS so nobody types it twice."""
        procedure = self._session.procedure
        for field in procedure.fields if procedure else ():
            value = self._session.values.get(field.id)
            if field.type is FieldType.PHONE and value:
                return mobile_number(str(value))
        return None

    def confirm(self) -> None:
        """The citizen checked the answers: ask for consent next (nothing is sent yet)."""
        self._go("confirm")

    def consent(self, agreed: bool) -> dict[str, Any]:
        """Move to SUBMITTING and return the payload to hand to the submission service.

        The Law on Personal Data Protection (91/2025/QH15) needs the data subject's explicit
        consent before processing, so a refusal
        never moves on; the time of a yes is recorded and sent with the application.
        """
        self._check("consent")
        if not agreed:
            self._session.consent_at = None
            raise ConsentRefused()
        self._session.consent_at = self._clock()
        payload = self._payload()
        self._session.last_error = None
        self._go("consent")
        return payload

    def submitted(self, receipt: Any) -> None:
        self._check("submitted")
        self._session.receipt = receipt
        self._go("submitted")

    def submit_failed(self, message: str) -> None:
        self._check("submit_failed")
        self._session.last_error = message
        self._go("submit_failed")

    def back(self) -> None:
        self._go("back")

    def cancel(self) -> None:
        self._go("cancel")

    def finish(self) -> None:
        self._go("finish")

    def _chosen(self) -> Procedure:
        """The procedure chosen: every step after CHOOSE has one."""
        if self._session.procedure is None:
            raise IllegalTransition(self._step, "use the procedure before one was chosen")
        return self._session.procedure

    def _payload(self) -> dict[str, Any]:
        identity, procedure = self._session.identity, self._chosen()
        consent_at = self._session.consent_at
        if identity is None or consent_at is None:
            raise IllegalTransition(self._step, "make the payload before identity and consent")
        values = self._session.values
        applicant = {
            "id_number": identity.id_number,
            "full_name": values.get("full_name") or identity.full_name,
            "date_of_birth": values.get("date_of_birth")
            or (identity.date_of_birth.isoformat() if identity.date_of_birth else None),
            "sex": values.get("sex") or (identity.sex.value if identity.sex else None),
            "residence": values.get("residence") or identity.residence,
            "identified_by": identity.source.value,
        }
        return {
            "unit_code": self.unit_code,
            "kiosk_id": self.kiosk_id,
            "procedure_code": procedure.code,
            "applicant": applicant,
            "form": values,
            "consent_at": consent_at.isoformat(timespec="seconds"),
            "submitted_at": self._clock().isoformat(timespec="seconds"),
            **self._extras(),
        }

    def _extras(self) -> dict[str, Any]:
        extras: dict[str, Any] = {}
        sent = self._sent_attachments()
        if sent:
            extras["attachments"] = [a.describe() for a in sent]
        if self._session.sms_phone:
            extras["notify"] = {"sms": self._session.sms_phone}
        return extras

    def _sent_attachments(self) -> list[SessionAttachment]:
        """Photos of the fields whose (visible, validated) answer names them, in field order."""
        procedure, values = self._chosen(), self._session.values
        photos = self._session.attachments
        return [photos[f.id] for f in visible_fields(procedure, values)
                if f.type is FieldType.ATTACHMENT and f.id in photos
                and values.get(f.id) == photos[f.id].sha256]

    def _missing_photos(self, values: dict[str, Any]) -> list[FieldProblem]:
        """An attachment answer must name a photo taken in this session, or it cannot be sent."""
        photos = self._session.attachments
        return [FieldProblem(f.id, ProblemCode.BAD_ATTACHMENT)
                for f in visible_fields(self._chosen(), values)
                if f.type is FieldType.ATTACHMENT and values.get(f.id)
                and (f.id not in photos or photos[f.id].sha256 != values[f.id])]
