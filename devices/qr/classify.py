"""Tell what a decoded QR text is and parse it: a CCCD card, a kiosk receipt, a VietQR code, or other.

The dispatch looks only at each format's unmistakable start (``MCK<n>|``, ``000201``, 9 to 13 digits then
``|``); once a format is recognised its parser's typed error propagates, so a damaged receipt is
reported as a damaged receipt rather than silently treated as "some other code". Text no parser
claims comes back as ``Unrecognised``, whose raw text is for staff only (its repr hides it).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from devices.qr.cccd import CccdQr, parse_cccd_qr
from devices.qr.errors import CONTROL_CHARS, QrPayloadError
from devices.qr.receipt import ReceiptQr, parse_receipt_qr
from devices.qr.vietqr import VietQr, parse_vietqr

__all__ = ["MAX_LENGTH", "Payload", "Unrecognised", "classify", "kind_of", "to_fields"]

#: Longer than any code a kiosk reads; a QR holds at most ~4.3 K characters.
MAX_LENGTH = 2048
_CCCD_START = re.compile(r"\s*[0-9]{9,13}\s*\|")  # an ID-like number, then a separator
_RECEIPT_START = re.compile(r"\s*MCK[0-9]+\|")


@dataclasses.dataclass(frozen=True, slots=True)
class Unrecognised:
    raw: str = dataclasses.field(repr=False)

    def __repr__(self) -> str:  # may be anything, including personal data: staff see it on request
        return f"Unrecognised({len(self.raw)} chars)"


Payload = CccdQr | ReceiptQr | VietQr | Unrecognised


def classify(text: str) -> Payload:
    """Parse ``text`` with the parser its start names; raises a ``QrPayloadError`` subclass only."""
    if not isinstance(text, str):
        raise QrPayloadError("binary")
    if len(text) > MAX_LENGTH:
        raise QrPayloadError("too_long")
    text = unicodedata.normalize("NFC", text)
    if CONTROL_CHARS.search(text):
        raise QrPayloadError("binary")
    if _RECEIPT_START.match(text):
        return parse_receipt_qr(text)
    if text.startswith("000201"):
        return parse_vietqr(text)
    if _CCCD_START.match(text):
        return parse_cccd_qr(text)
    return Unrecognised(text)


def kind_of(payload: Payload) -> str:
    """A short stable name for the UI and the CLI: cccd, receipt, vietqr or unrecognised."""
    return {CccdQr: "cccd", ReceiptQr: "receipt", VietQr: "vietqr"}.get(type(payload), "unrecognised")


def to_fields(payload: Payload) -> dict[str, object]:
    """A JSON-ready view of a payload, personal data included: for staff tools, never for logs."""
    if isinstance(payload, CccdQr):
        i = payload.identity
        return {
            "id_number": i.id_number, "old_id": payload.old_id, "full_name": i.full_name,
            "date_of_birth": _iso(i.date_of_birth), "sex": i.sex.value if i.sex else None,
            "residence": i.residence, "issue_date": _iso(i.issue_date), "extras": list(payload.extras),
        }
    if isinstance(payload, ReceiptQr):
        return {"reference": payload.reference, "reference_kind": payload.kind.value,
                "unit_code": payload.unit_code, "day": payload.day.isoformat()}
    if isinstance(payload, VietQr):
        return {
            "bank_bin": payload.bank_bin, "bank_name": payload.bank_name, "account": payload.account,
            "service": payload.service.value, "amount": None if payload.amount is None else str(payload.amount),
            "currency": "704", "country": "VN", "purpose": payload.purpose,
            "merchant_name": payload.merchant_name, "dynamic": payload.dynamic, "extra": dict(payload.extra),
        }
    return {"raw": payload.raw}


def _iso(day: object) -> str | None:
    return None if day is None else day.isoformat()  # type: ignore[attr-defined]
