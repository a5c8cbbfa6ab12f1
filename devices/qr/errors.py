"""The payload error tree shared by every QR parser, ordered by the phase that finds the problem.

Each error has a stable ``code`` for the UI (which picks what to show) and a message for the person
in front of the kiosk. Messages never quote the payload: it may be a citizen's identity.

::

    QrPayloadError               code too_long / binary: not a payload any parser would take
     +-- CccdQrError             the printed QR of a citizen ID card (codes in devices.qr.cccd)
     +-- ReceiptQrError          the kiosk's own receipt QR            (codes in devices.qr.receipt)
     +-- VietQrError             a VietQR / EMVCo payment code         (codes in devices.qr.vietqr)
"""

from __future__ import annotations

import re
from typing import ClassVar

__all__ = ["CONTROL_CHARS", "CccdQrError", "QrPayloadError", "ReceiptQrError", "VietQrError"]

#: Control characters and U+FFFD (what a decoder puts in for undecodable bytes): not text at all.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]")


class QrPayloadError(ValueError):
    kind: ClassVar[str] = "qr"
    MESSAGES: ClassVar[dict[str, str]] = {
        "too_long": "This QR code holds far more text than any code the kiosk reads.",
        "binary": "This QR code does not contain readable text.",
    }

    def __init__(self, code: str, message: str | None = None) -> None:
        if message is None:
            message = self.MESSAGES.get(code) or QrPayloadError.MESSAGES.get(code)
        if message is None:
            raise KeyError(f"no message for QR error code {code!r}")  # a programming error
        super().__init__(message)
        self.code = code


class CccdQrError(QrPayloadError):
    kind = "cccd"
    MESSAGES = {
        "too_long": "This QR code is too long to be from a citizen ID card.",
        "binary": "This QR code does not contain text from a citizen ID card.",
        "not_cccd": "This QR code is not from a citizen ID card. Please show the QR code on your ID card.",
        "field_count": "This QR code looks incomplete. Please show the QR code on your ID card again.",
        "bad_id": "The ID number in this QR code is not valid. Please type your ID number instead.",
        "bad_date": "A date in this QR code is not valid. Please type your ID number instead.",
        "bad_field": "This QR code is missing some details. Please type your ID number instead.",
        "unsafe_text": ("This QR code contains hidden or control characters, so it cannot be "
                        "used. Please type your ID number instead."),
        "id_mismatch": (
            "The ID number in this QR code does not match the birth date or sex. Please ask a staff "
            "member for help."
        ),
    }


class ReceiptQrError(QrPayloadError):
    kind = "receipt"
    MESSAGES = {
        "too_long": "This QR code is too long to be from a kiosk receipt.",
        "binary": "This QR code does not contain text from a kiosk receipt.",
        "not_receipt": "This QR code is not from a kiosk receipt. Please show the QR code on your receipt.",
        "version": (
            "This receipt was printed by a newer kiosk. Please ask a staff member to look up your "
            "dossier."
        ),
        "field_count": "The QR code on this receipt is incomplete. Please ask a staff member for help.",
        "bad_ref": "The dossier number in this receipt's QR code is not valid. Please ask a staff member.",
        "bad_unit": "The office code in this receipt's QR code is not valid. Please ask a staff member.",
        "bad_date": "The date in this receipt's QR code is not a real date. Please ask a staff member.",
        "mismatch": (
            "The parts of this receipt's QR code do not agree with each other. Please ask a staff "
            "member for help."
        ),
        "bad_check": (
            "This receipt's QR code is damaged or was altered. Please type the dossier number printed "
            "under it."
        ),
    }


class VietQrError(QrPayloadError):
    kind = "vietqr"
    MESSAGES = {
        "too_long": "This payment QR code is longer than the standard allows.",
        "binary": "This payment QR code does not contain readable text.",
        "not_emv": "This QR code is not a payment code.",
        "bad_tlv": "This payment QR code is damaged (its fields do not line up).",
        "duplicate_tag": "This payment QR code is damaged (a field appears twice).",
        "bad_crc": "This payment QR code is damaged or was altered (its checksum is wrong).",
        "missing_field": "This payment QR code is missing a required field.",
        "bad_field": "A field in this payment QR code has a value the standard does not allow.",
        "not_vietqr": "This payment code is not a VietQR bank transfer code.",
        "bad_service": "This VietQR code is neither a transfer to an account nor to a card.",
        "bad_bank": "The bank code in this VietQR code is not valid.",
        "bad_account": "The account or card number in this VietQR code is not valid.",
        "bad_amount": "The amount in this VietQR code is not a valid amount.",
        "bad_currency": "This VietQR code is not in Vietnamese đồng.",
        "bad_country": "This VietQR code is not for a bank in Vietnam.",
    }
