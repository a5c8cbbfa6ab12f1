"""Form validation: turns the strings typed on screen into typed values, or precise problems.

Problems carry a code and parameters, never sentences: the UI words them through Qt's translation
system, in the citizen's language.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re
from collections.abc import Callable, Mapping
from typing import Any

from kiosk.domain import addresses
from kiosk.domain.identity import CitizenIdentity, IdProblem, Sex, check_id_number
from kiosk.domain.procedures import FieldType, FormField, Procedure

__all__ = ["FieldProblem", "ProblemCode", "cross_check", "current_address_text", "is_visible", "parse_date", "prefill", "validate",
           "visible_fields"]


class ProblemCode(enum.Enum):
    REQUIRED = "required"
    TOO_LONG = "too_long"
    NOT_A_NUMBER = "not_a_number"
    OUT_OF_RANGE = "out_of_range"
    BAD_PHONE = "bad_phone"
    BAD_EMAIL = "bad_email"
    BAD_DATE = "bad_date"
    DATE_OUT_OF_RANGE = "date_out_of_range"
    BAD_CHOICE = "bad_choice"
    BAD_ID = "bad_id"
    DISAGREES_WITH_ID = "disagrees_with_id"
    BAD_ADDRESS = "bad_address"  # not a (province, commune) pair of the current units
    BAD_ATTACHMENT = "bad_attachment"  # not an attachment id the kiosk could have made


@dataclasses.dataclass(frozen=True, slots=True)
class FieldProblem:
    field_id: str
    code: ProblemCode
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)


# Vietnamese mobile numbers: 10 digits, prefixes 03x, 05x, 07x, 08x, 09x (optionally +84 / 84).
_PHONE_RE = re.compile(r"0(3[2-9]|5[25689]|7[06-9]|8[1-9]|9\d)\d{7}")
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_YES = {"yes", "có", "co", "true", "1"}
_NO = {"no", "không", "khong", "false", "0"}


def normalise_phone(text: str) -> str:
    digits = re.sub(r"[\s.\-()]", "", text)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def parse_date(text: str) -> dt.date:
    """Parse ``dd/mm/yyyy`` (as Vietnamese write it) or ISO ``yyyy-mm-dd``."""
    text = text.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {text!r}")


Checker = Callable[[FormField, str, dt.date], Any]


def _number(field: FormField, text: str, today: dt.date) -> Any:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return ProblemCode.NOT_A_NUMBER, {}
    lo, hi = field.minimum, field.maximum
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        return ProblemCode.OUT_OF_RANGE, {"min": lo, "max": hi}
    return int(value) if value.is_integer() else value


def mobile_number(text: str) -> str | None:
    """The Vietnamese mobile number in ``text`` as 10 digits starting with 0, or None."""
    phone = normalise_phone(text)
    return phone if _PHONE_RE.fullmatch(phone) else None


def _phone(field: FormField, text: str, today: dt.date) -> Any:
    return mobile_number(text) or (ProblemCode.BAD_PHONE, {})


def _email(field: FormField, text: str, today: dt.date) -> Any:
    return text if _EMAIL_RE.fullmatch(text) else (ProblemCode.BAD_EMAIL, {})


def _date(field: FormField, text: str, today: dt.date) -> Any:
    try:
        value = parse_date(text)
    except ValueError:
        return ProblemCode.BAD_DATE, {}
    lo = today + dt.timedelta(days=field.minimum) if field.minimum is not None else None
    hi = today + dt.timedelta(days=field.maximum) if field.maximum is not None else None
    if (lo and value < lo) or (hi and value > hi):
        return ProblemCode.DATE_OUT_OF_RANGE, {"min": lo, "max": hi}
    return value.isoformat()


def _choice(field: FormField, text: str, today: dt.date) -> Any:
    values = {c.value for c in field.choices}
    return text if text in values else (ProblemCode.BAD_CHOICE, {})


def _yesno(field: FormField, text: str, today: dt.date) -> Any:
    key = text.casefold()
    if key in _YES:
        return True
    if key in _NO:
        return False
    return ProblemCode.BAD_CHOICE, {}


def _id12(field: FormField, text: str, today: dt.date) -> Any:
    problems = check_id_number(text.replace(" ", ""))
    if problems:
        return ProblemCode.BAD_ID, {"problems": tuple(p.value for p in problems)}
    return text.replace(" ", "")


def _text(field: FormField, text: str, today: dt.date) -> Any:
    return text


# Attachment ids are made by the kiosk (content hash, uuid, local ref): plain ASCII, no spaces.
_ATTACHMENT_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,99}")


def _attachment(field: FormField, text: str, today: dt.date) -> Any:
    return text if _ATTACHMENT_RE.fullmatch(text) else (ProblemCode.BAD_ATTACHMENT, {})


def _address(field: FormField, text: str, today: dt.date) -> Any:
    try:
        unit = addresses.parse_answer(text)
    except addresses.AddressError:
        return ProblemCode.BAD_ADDRESS, {}
    return unit.as_value()


_CHECKERS: dict[FieldType, Checker] = {
    FieldType.TEXT: _text,
    FieldType.ID12: _id12,
    FieldType.PHONE: _phone,
    FieldType.EMAIL: _email,
    FieldType.DATE: _date,
    FieldType.CHOICE: _choice,
    FieldType.NUMBER: _number,
    FieldType.YESNO: _yesno,
    FieldType.ADDRESS: _address,
    FieldType.ATTACHMENT: _attachment,
}


def _canonical(field: FormField, text: str) -> str:
    """The answer as a condition compares it: yes/no answers in any accepted spelling become yes/no."""
    text = text.strip()
    if field.type is FieldType.YESNO:
        key = text.casefold()
        return "yes" if key in _YES else "no" if key in _NO else text
    return text


def is_visible(procedure: Procedure, field: FormField, answers: Mapping[str, str]) -> bool:
    """A field shows when it has no condition, or its controlling field shows and has the value."""
    cond = field.visible_if
    if cond is None:
        return True
    target = procedure.field(cond.field)  # checked at load: an earlier field, so this ends
    if not is_visible(procedure, target, answers):
        return False
    return cond.matches(_canonical(target, answers.get(target.id) or ""))


def visible_fields(procedure: Procedure, answers: Mapping[str, str]) -> list[FormField]:
    """The questions to ask now, given the answers so far (the UI re-asks after every change)."""
    return [f for f in procedure.fields if is_visible(procedure, f, answers)]


def validate(
    procedure: Procedure, answers: Mapping[str, str], today: dt.date
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Check every visible field; return the typed values and the problems (empty when all is well).

    Hidden fields (``visible_if`` not met) are neither required nor kept, even if answered earlier:
    a citizen who changes their mind must not send an answer they can no longer see.
    """
    values: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for field in visible_fields(procedure, answers):
        text = (answers.get(field.id) or "").strip()
        if not text:
            if field.required:
                problems.append(FieldProblem(field.id, ProblemCode.REQUIRED))
            continue
        if len(text) > field.max_length:
            problems.append(FieldProblem(field.id, ProblemCode.TOO_LONG, {"max": field.max_length}))
            continue
        result = _CHECKERS[field.type](field, text, today)
        if isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], ProblemCode):
            problems.append(FieldProblem(field.id, result[0], result[1]))
        else:
            values[field.id] = result
    return values, problems


def cross_check(identity: CitizenIdentity | None, values: Mapping[str, Any]) -> list[FieldProblem]:
    """The ID number encodes the birth year and sex: typed values must agree with it."""
    if identity is None or not values.get("date_of_birth"):
        return []
    dob = dt.date.fromisoformat(values["date_of_birth"])
    sex = {"M": Sex.MALE, "F": Sex.FEMALE}.get(values.get("sex", ""))
    problems = check_id_number(identity.id_number, dob, sex)
    found = []
    if {IdProblem.CENTURY_MISMATCH, IdProblem.YEAR_MISMATCH} & set(problems):
        found.append(FieldProblem("date_of_birth", ProblemCode.DISAGREES_WITH_ID))
    if IdProblem.SEX_MISMATCH in problems:
        found.append(FieldProblem("sex", ProblemCode.DISAGREES_WITH_ID))
    return found


def _format_prefill(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def current_address_text(text: str) -> str:
    """An address from the card in today's two-level units ("12 Lê Lợi, Phường Sài Gòn, Thành phố
    Hồ Chí Minh") when the data is sure of the conversion; as written otherwise (the citizen
    corrects it, and the staff hints say to check it)."""
    found = addresses.convert_old_address(text)
    if found.confidence is not addresses.Confidence.EXACT or found.unit is None:
        return text
    return ", ".join(part for part in (found.street.strip(" ,"), found.unit.label) if part)


def prefill(procedure: Procedure, identity: CitizenIdentity | None) -> dict[str, str]:
    """Answers taken from the card or QR, as the strings the form shows."""
    answers: dict[str, str] = {}
    if identity is None:
        return answers
    for field in procedure.fields:
        if field.prefill and field.prefill.startswith("identity."):
            value = getattr(identity, field.prefill.removeprefix("identity."), None)
            if value in (None, ""):
                continue
            if field.type is FieldType.ADDRESS:
                # only a conversion the data is sure of becomes an answer; the citizen still sees it
                found = addresses.convert_old_address(str(value))
                if found.confidence is addresses.Confidence.EXACT and found.unit is not None:
                    answers[field.id] = found.unit.answer
                continue
            if field.prefill == "identity.residence":
                answers[field.id] = current_address_text(str(value))
                continue
            answers[field.id] = _format_prefill(value)
    return answers


__all__ += ["IdProblem", "mobile_number", "normalise_phone"]
