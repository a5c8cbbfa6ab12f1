"""The kiosk's own receipt QR: build it for the printed receipt, parse it at the status screen.

Format (docs/qr.md)::

    MCK1|<reference>|<unit code>|<yymmdd>|<check>

``reference`` is the portal's dossier code (``UNIT-YYMMDD-NNNN``) or, while the submission waits in
the outbox, the kiosk's local reference (``Q-YYMMDD-NNNN``); ``unit code`` is the receiving unit;
``yymmdd`` the receipt day in Vietnam time (year 20yy); ``check`` four upper-case hex digits of CRC16-CCITT-FALSE
over the UTF-8 bytes of everything before it, including the last ``|``. The QR's own error
correction catches smudges; the check catches a hand-edited or look-alike code. ASCII only.

Errors (all ``ReceiptQrError``; ``code`` is stable)::

    code too_long / binary   longer than 128 characters / control characters
    code not_receipt         does not start with ``MCK<digit>|``: some other QR code
    code version             ``MCK2`` or later: printed by a newer kiosk
    code field_count         not exactly 5 fields
    code bad_check           the check is malformed or wrong
    code bad_ref             the reference is neither a dossier code nor a local reference
    code bad_unit            the unit code is malformed (or is ``Q``, reserved for local references)
    code bad_date            the day (or the reference's day) is not a real date
    code mismatch            the reference's unit or day contradicts the other fields
"""

from __future__ import annotations

import binascii
import dataclasses
import datetime as dt
import enum
import re

from devices.qr.errors import CONTROL_CHARS, ReceiptQrError
from kiosk.domain.codes import DOSSIER_CODE_RE, LOCAL_REF_RE, UNIT_CODE_RE

__all__ = ["MAX_LENGTH", "PREFIX", "ReceiptQr", "RefKind", "build_receipt_qr", "parse_receipt_qr"]

PREFIX = "MCK1"
MAX_LENGTH = 128
_SIGNATURE = re.compile(r"MCK(\d+)\|")
_DAY = re.compile(r"[0-9]{6}")
_CHECK = re.compile(r"[0-9A-F]{4}")


class RefKind(enum.Enum):
    DOSSIER = "dossier"  # the portal's dossier code: the submission was received
    LOCAL = "local"  # the kiosk's outbox reference: the submission was queued


@dataclasses.dataclass(frozen=True, slots=True)
class ReceiptQr:
    reference: str
    kind: RefKind
    unit_code: str
    day: dt.date


def check_code(text: str) -> str:
    """CRC16-CCITT-FALSE (poly 0x1021, init 0xFFFF; stdlib ``crc_hqx``) as 4 upper-case hex digits."""
    return f"{binascii.crc_hqx(text.encode('utf-8'), 0xFFFF):04X}"


def _day(text: str) -> dt.date:
    if not _DAY.fullmatch(text):
        raise ReceiptQrError("bad_date")
    try:  # 20yy always: strptime's %y would put 69..99 in the 1900s
        return dt.date(2000 + int(text[:2]), int(text[2:4]), int(text[4:]))
    except ValueError:
        raise ReceiptQrError("bad_date") from None


def _reference(ref: str) -> tuple[RefKind, str | None, str]:
    """(kind, unit in the reference or None, day text in the reference)."""
    if match := LOCAL_REF_RE.fullmatch(ref):  # first: "Q" would also pass as a unit code
        kind, unit = RefKind.LOCAL, None
    elif match := DOSSIER_CODE_RE.fullmatch(ref):
        kind, unit = RefKind.DOSSIER, match["unit"]
    else:
        raise ReceiptQrError("bad_ref")
    if int(match["seq"]) == 0:
        raise ReceiptQrError("bad_ref")
    return kind, unit, match["day"]


def build_receipt_qr(reference: str, unit_code: str, day: dt.date) -> str:
    """The payload to print on a receipt; raises ``ReceiptQrError`` if the parts are inconsistent."""
    body = f"{PREFIX}|{reference}|{unit_code}|{day:%y%m%d}|"
    text = body + check_code(body)
    parse_receipt_qr(text)  # the builder never prints what the parser would refuse
    return text


def _fields(text: object) -> list[str]:
    if not isinstance(text, str):
        raise ReceiptQrError("binary")
    if len(text) > MAX_LENGTH:
        raise ReceiptQrError("too_long")
    text = text.strip()
    if CONTROL_CHARS.search(text) or "\n" in text or "\t" in text:
        raise ReceiptQrError("binary")
    match = _SIGNATURE.match(text)
    if match is None:
        raise ReceiptQrError("not_receipt")
    if text[: match.end() - 1] != PREFIX:
        raise ReceiptQrError("version")
    fields = text.split("|")
    if len(fields) != 5:
        raise ReceiptQrError("field_count")
    body, check = text[: text.rindex("|") + 1], fields[4]
    if not _CHECK.fullmatch(check) or check != check_code(body):
        raise ReceiptQrError("bad_check")
    return fields


def parse_receipt_qr(text: str) -> ReceiptQr:
    """Parse a receipt QR payload; raises ``ReceiptQrError`` (and nothing else) on any bad input."""
    _, reference, unit_code, day_text, _ = _fields(text)
    kind, ref_unit, ref_day = _reference(reference)
    if not UNIT_CODE_RE.fullmatch(unit_code) or unit_code == "Q":  # "Q-..." means a local reference
        raise ReceiptQrError("bad_unit")
    day = _day(day_text)
    _day(ref_day)
    if (ref_unit is not None and ref_unit != unit_code) or ref_day != day_text:
        raise ReceiptQrError("mismatch")
    return ReceiptQr(reference, kind, unit_code, day)
