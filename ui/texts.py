"""Words for things the core reports as codes: form problems, ID problems, categories, money, dates.

The core never writes sentences; this module words its codes through Qt's translation system (the
source strings are English; ``assets/translations/motcua_vi.ts`` holds the Vietnamese).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from kiosk.domain.forms import FieldProblem, ProblemCode, parse_date
from kiosk.domain.identity import IdProblem
from kiosk.domain.procedures import FieldType, FormField

__all__ = ["category_name", "describe_card_error", "describe_id_problem", "describe_qr_problem",
           "describe_receipt_problem", "read_step_text", "describe_problem", "display_value",
           "format_date", "format_fee", "format_number", "processing_time"]


def format_number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def format_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def format_fee(fee_vnd: int) -> str:
    """``200.000 đ`` (Vietnamese groups thousands with dots), or "Free"."""
    if fee_vnd == 0:
        return QCoreApplication.translate("Texts", "Free of charge")
    return f"{fee_vnd:,}".replace(",", ".") + " đ"


def processing_time(days: int) -> str:
    if days == 1:
        return QCoreApplication.translate("Texts", "1 working day")
    return QCoreApplication.translate("Texts", "{n} working days").format(n=days)


def category_name(category: str) -> str:
    """The category's name in the current language; "" for one without a name (its code is
    never shown: it would be English on a Vietnamese screen)."""
    names = {
        "civil_status": QCoreApplication.translate("Texts", "Civil status"),
        "justice": QCoreApplication.translate("Texts", "Justice"),
        "transport": QCoreApplication.translate("Texts", "Transport"),
        "residence": QCoreApplication.translate("Texts", "Residence"),
        "business": QCoreApplication.translate("Texts", "Business"),
        "land": QCoreApplication.translate("Texts", "Land and housing"),
        "social": QCoreApplication.translate("Texts", "Social welfare"),
        "certification": QCoreApplication.translate("Texts", "Certification"),
        "health_insurance": QCoreApplication.translate("Texts", "Health insurance"),
    }
    return names.get(category, "")


def describe_id_problem(problem: IdProblem) -> str:
    words = {
        IdProblem.NOT_12_DIGITS: QCoreApplication.translate(
            "Texts", "The ID number must have exactly 12 digits."),
        IdProblem.UNKNOWN_PROVINCE: QCoreApplication.translate(
            "Texts", "The first three digits are not a province code. Please check the number."),
        IdProblem.CENTURY_MISMATCH: QCoreApplication.translate(
            "Texts", "The ID number does not match the date of birth. Please check it."),
        IdProblem.YEAR_MISMATCH: QCoreApplication.translate(
            "Texts", "The ID number does not match the year of birth. Please check it."),
        IdProblem.SEX_MISMATCH: QCoreApplication.translate(
            "Texts", "The ID number does not match the sex. Please check it."),
    }
    return words[problem]


def _range_text(lo: Any, hi: Any, fmt: Any) -> str:
    if lo is not None and hi is not None:
        return QCoreApplication.translate("Texts", "Please enter a value between {min} and {max}.") \
            .format(min=fmt(lo), max=fmt(hi))
    if lo is not None:
        return QCoreApplication.translate("Texts", "Please enter {min} or more.").format(min=fmt(lo))
    return QCoreApplication.translate("Texts", "Please enter {max} or less.").format(max=fmt(hi))


def _date_range_text(lo: dt.date | None, hi: dt.date | None) -> str:
    """Says "a date": "enter a value between 13/05/1926 and 27/11/2026" left people unsure what
    to change (a date of birth, not a number)."""
    if lo is not None and hi is not None:
        return QCoreApplication.translate("Texts", "Please enter a date between {min} and {max}.") \
            .format(min=format_date(lo), max=format_date(hi))
    if lo is not None:
        return QCoreApplication.translate("Texts", "Please enter a date on or after {min}.") \
            .format(min=format_date(lo))
    return QCoreApplication.translate("Texts", "Please enter a date on or before {max}.") \
        .format(max=format_date(hi))


def describe_problem(problem: FieldProblem) -> str:
    """One plain sentence saying what to change in the field."""
    code, params = problem.code, problem.params
    if code is ProblemCode.OUT_OF_RANGE:
        return _range_text(params.get("min"), params.get("max"), format_number)
    if code is ProblemCode.DATE_OUT_OF_RANGE:
        return _date_range_text(params.get("min"), params.get("max"))
    if code is ProblemCode.TOO_LONG:
        return QCoreApplication.translate(
            "Texts", "This is too long: please use at most {max} characters.").format(
            max=params.get("max"))
    if code is ProblemCode.BAD_ID:
        found = [IdProblem(p) for p in params.get("problems", ())]
        return " ".join(describe_id_problem(p) for p in found) or describe_id_problem(
            IdProblem.NOT_12_DIGITS)
    return _simple_problem(code)


def _simple_problem(code: ProblemCode) -> str:
    words: Mapping[ProblemCode, str] = {
        ProblemCode.REQUIRED: QCoreApplication.translate("Texts", "Please fill this in."),
        ProblemCode.NOT_A_NUMBER: QCoreApplication.translate(
            "Texts", "Please enter a number, using digits only."),
        ProblemCode.BAD_PHONE: QCoreApplication.translate(
            "Texts", "Please enter a 10-digit mobile number, for example 0912345678."),
        ProblemCode.BAD_EMAIL: QCoreApplication.translate(
            "Texts", "Please enter an email address like name@example.com."),
        ProblemCode.BAD_DATE: QCoreApplication.translate(
            "Texts", "Please enter the date as day/month/year, for example 14/03/1995."),
        ProblemCode.BAD_CHOICE: QCoreApplication.translate("Texts", "Please choose one option."),
        ProblemCode.DISAGREES_WITH_ID: QCoreApplication.translate(
            "Texts", "This does not match your ID number. Please check it against your card."),
        ProblemCode.BAD_ADDRESS: QCoreApplication.translate(
            "Texts", "Please choose the province or city, then the commune or ward."),
        ProblemCode.BAD_ATTACHMENT: QCoreApplication.translate(
            "Texts", "The document photo is missing. Please take the photo again or ask staff."),
    }
    return words.get(code, QCoreApplication.translate("Texts", "Please check this answer."))


def display_value(field: FormField, text: str, language: str, *, pages: int | None = None) -> str:
    """How an answer reads on the review screen: choice labels, Yes/No, dates as dd/mm/yyyy, and
    a document photo as what it is (never its SHA-256); ``pages``: the photo's page count."""
    if not text:
        return QCoreApplication.translate("Texts", "(not given)")
    if field.type is FieldType.ATTACHMENT:
        if pages is None:
            return QCoreApplication.translate("Texts", "Photo missing: please take it again")
        if pages == 1:
            return QCoreApplication.translate("Texts", "Photo taken (1 page)")
        return QCoreApplication.translate("Texts", "Photo taken ({n} pages)").format(n=pages)
    if field.type is FieldType.CHOICE:
        for choice in field.choices:
            if choice.value == text:
                return choice.label.get(language)
    if field.type is FieldType.YESNO:
        yes = text.casefold() in {"yes", "có", "co", "true", "1"}
        return QCoreApplication.translate("Texts", "Yes") if yes else \
            QCoreApplication.translate("Texts", "No")
    if field.type is FieldType.ADDRESS:
        from kiosk.domain import addresses

        try:
            return addresses.parse_answer(text).label
        except ValueError:
            return text
    if field.type is FieldType.DATE:
        try:
            return format_date(parse_date(text))
        except ValueError:
            return text
    return text


def describe_card_error(exc: BaseException, *, key_given: bool = False) -> str:
    """The card layer's errors, worded for the citizen in their language (by error class).

    ``key_given``: the read used the ID number the citizen typed or showed, so a refusal most
    likely means that number was wrong."""
    if key_given and type(exc).__name__ == "AccessDenied":
        return QCoreApplication.translate(
            "Texts", "The card did not accept this ID number. Please check the 12 digits on your "
                     "card and type them again, or take the card off the reader and continue by "
                     "typing.")
    words = {
        "NoReader": QCoreApplication.translate(
            "Texts", "The card reader is not working. Please type your ID number or ask staff."),
        "NoCard": QCoreApplication.translate(
            "Texts", "Please place your ID card flat on the reader, chip side up."),
        "CardRemoved": QCoreApplication.translate(
            "Texts", "The card was moved before reading finished. Please put it back and leave it "
                     "on the reader until the screen says it is done."),
        "AccessDenied": QCoreApplication.translate(
            "Texts", "The card could not be opened. Please ask a staff member for help."),
        "SecureMessagingError": QCoreApplication.translate(
            "Texts", "The connection to the chip was interrupted. Please leave the card on the "
                     "reader and try again."),
        "MalformedData": QCoreApplication.translate(
            "Texts", "The chip's data cannot be read. Please type your ID number or ask staff."),
        "VerificationFailed": QCoreApplication.translate(
            "Texts", "The card's data could not be verified. Please ask a staff member for help."),
        "CardTimeout": QCoreApplication.translate(
            "Texts", "Reading the card took too long. Please keep the card still and try again."),
        "UnsupportedOperation": QCoreApplication.translate(
            "Texts", "This reader cannot read the chip. Please type your ID number instead."),
    }
    return words.get(type(exc).__name__, QCoreApplication.translate(
        "Texts", "The card could not be read. Please try again or ask a staff member."))


def describe_qr_problem(code: str) -> str:
    """Why the QR code shown to the camera cannot be used (codes of devices.qr.cccd)."""
    words = {
        "too_long": QCoreApplication.translate(
            "Texts", "This QR code is not from a citizen ID card. Please show the QR code on "
                     "the back of your ID card."),
        "not_cccd": QCoreApplication.translate(
            "Texts", "This QR code is not from a citizen ID card. Please show the QR code on "
                     "the back of your ID card."),
        "binary": QCoreApplication.translate(
            "Texts", "This QR code is not from a citizen ID card. Please show the QR code on "
                     "the back of your ID card."),
        "field_count": QCoreApplication.translate(
            "Texts", "The QR code could not be read completely. Please hold the card still in "
                     "front of the camera."),
        "id_mismatch": QCoreApplication.translate(
            "Texts", "The details in this QR code do not match each other. Please ask a staff "
                     "member for help."),
        "mangled": QCoreApplication.translate(
            "Texts", "The scanner lost the Vietnamese letters of your card's code. Please check "
                     "the ID number below and continue, or put your card on the reader."),
    }
    return words.get(code, QCoreApplication.translate(
        "Texts", "This QR code cannot be used. Please type your ID number instead."))


def describe_receipt_problem(code: str) -> str:
    """Why a code shown on the status screen is not a usable receipt (devices.qr.receipt codes)."""
    if code in {"bad_check", "field_count", "mismatch", "bad_date", "bad_ref", "bad_unit"}:
        return QCoreApplication.translate(
            "Texts", "This receipt code could not be read correctly. Please hold the receipt "
                     "still, or type the code printed under it.")
    return QCoreApplication.translate(
        "Texts", "This is not the QR code of a receipt from this centre. Please show the QR code "
                 "printed on your receipt, or type its code.")


def read_step_text(file: str) -> str:
    """What the chip reader is doing, in plain words, from the file being read (``DG2``...)."""
    if file == "DG2":
        return QCoreApplication.translate("Texts", "Reading the portrait photo…")
    if file in {"DG1", "DG13", "DG11", "DG12"}:
        return QCoreApplication.translate("Texts", "Reading your personal details…")
    if file in {"EF.SOD", "DG14", "DG15"}:
        return QCoreApplication.translate("Texts", "Checking that the card is genuine…")
    return QCoreApplication.translate("Texts", "Opening the card…")
