"""VietQR (NAPAS) payment codes: EMVCo merchant-presented QR, parsed strictly and built for fees.

Top level is TLV: a 2-digit tag, a 2-digit length (in characters), the value. VietQR puts the
beneficiary in tag 38: sub-tag 00 the GUID ``A000000727``, 01 a nested TLV (00 bank BIN, 01 account
or card number), 02 the service (``QRIBFTTA`` to an account, ``QRIBFTTC`` to a card). Tag 53 is the
currency (704), 54 the amount, 58 the country (VN), 62 additional data (sub-tag 08: purpose), and 63
is CRC16-CCITT-FALSE over everything before its value (so including ``6304``), 4 upper-case hex.

Errors (all ``VietQrError``; ``code`` is stable; checked in this order)::

    code too_long / binary   more than 512 characters / control characters
    code not_emv             does not start with ``000201``: not a payment code at all
    code bad_tlv             tags or lengths do not line up, or 63 is not the last field
    code duplicate_tag       a tag appears twice at one level
    code bad_crc             tag 63 missing, malformed, or the checksum is wrong
    code missing_field       a mandatory field (01?, 38, 53, 58) is absent
    code bad_field           point of initiation not 11/12, other malformed fields
    code not_vietqr          tag 38 has no VietQR GUID (another scheme's payment code)
    code bad_service / bad_bank / bad_account / bad_amount / bad_currency / bad_country
"""

from __future__ import annotations

import binascii
import dataclasses
import enum
import re
from decimal import Decimal

from devices.qr.errors import CONTROL_CHARS, VietQrError

__all__ = ["GUID", "MAX_LENGTH", "Service", "VietQr", "build_vietqr", "crc16", "parse_tlv", "parse_vietqr"]

GUID = "A000000727"
MAX_LENGTH = 512
_BIN = re.compile(r"[0-9]{6}")
_ACCOUNT = re.compile(r"[0-9A-Za-z]{1,19}")
_AMOUNT = re.compile(r"(?!0+(\.0*)?$)[0-9]{1,13}(\.[0-9]{1,2})?")
_CRC = re.compile(r"[0-9A-F]{4}")
_FREE_TEXT = re.compile(r"[\x20-\x7e]*")
#: A few well-known NAPAS BINs, only to show a bank name; any 6-digit BIN is accepted.
BANK_NAMES = {
    "970436": "Vietcombank", "970415": "VietinBank", "970418": "BIDV", "970405": "Agribank",
    "970422": "MB", "970407": "Techcombank", "970416": "ACB", "970432": "VPBank",
    "970423": "TPBank", "970403": "Sacombank",
}


class Service(enum.Enum):
    ACCOUNT = "QRIBFTTA"
    CARD = "QRIBFTTC"


@dataclasses.dataclass(frozen=True, slots=True)
class VietQr:
    bank_bin: str
    account: str
    service: Service
    amount: Decimal | None = None
    purpose: str | None = None
    merchant_name: str | None = None
    dynamic: bool = False  # point of initiation 12: a one-off code (usually with an amount)
    extra: tuple[tuple[str, str], ...] = ()  # top-level tags we do not interpret, kept raw

    @property
    def bank_name(self) -> str | None:
        return BANK_NAMES.get(self.bank_bin)

    def __repr__(self) -> str:  # an account number is personal data
        amount = "none" if self.amount is None else str(self.amount)
        return f"VietQr(bank={self.bank_bin}, service={self.service.name}, amount={amount})"


def crc16(text: str) -> str:
    """CRC16-CCITT-FALSE (poly 0x1021, init 0xFFFF; stdlib ``crc_hqx``) as 4 upper-case hex digits."""
    return f"{binascii.crc_hqx(text.encode('utf-8'), 0xFFFF):04X}"


def parse_tlv(text: str) -> dict[str, str]:
    """One level of EMV TLV; raises ``bad_tlv`` / ``duplicate_tag``. Order is kept."""
    fields: dict[str, str] = {}
    pos = 0
    while pos < len(text):
        head = text[pos : pos + 4]
        if len(head) < 4 or not head.isascii() or not head.isdigit():
            raise VietQrError("bad_tlv")
        tag, length = head[:2], int(head[2:])
        value = text[pos + 4 : pos + 4 + length]
        if length == 0 or len(value) < length:
            raise VietQrError("bad_tlv")
        if tag in fields:
            raise VietQrError("duplicate_tag")
        fields[tag] = value
        pos += 4 + length
    return fields


def _tlv(fields: dict[str, str]) -> str:
    parts = []
    for tag, value in fields.items():
        if not 0 < len(value) <= 99:
            raise VietQrError("bad_field", f"Field {tag} must hold 1 to 99 characters.")
        parts.append(f"{tag}{len(value):02d}{value}")
    return "".join(parts)


def _checked_fields(text: object) -> dict[str, str]:
    if not isinstance(text, str):
        raise VietQrError("binary")
    if len(text) > MAX_LENGTH:
        raise VietQrError("too_long")
    if CONTROL_CHARS.search(text) or "\n" in text or "\t" in text:
        raise VietQrError("binary")
    if not text.startswith("000201"):
        raise VietQrError("not_emv")
    fields = parse_tlv(text)
    if list(fields)[-1] != "63":
        raise VietQrError("bad_crc" if "63" not in fields else "bad_tlv")
    crc = fields["63"]
    if not _CRC.fullmatch(crc) or crc != crc16(text[: len(text) - len(crc)]):
        raise VietQrError("bad_crc")
    for tag in ("38", "53", "58"):
        if tag not in fields:
            raise VietQrError("missing_field")
    if fields.get("01", "11") not in ("11", "12"):
        raise VietQrError("bad_field")
    return fields


def _merchant(value: str) -> tuple[str, str, Service]:
    sub = parse_tlv(value)
    if sub.get("00") != GUID:
        raise VietQrError("not_vietqr")
    try:
        service = Service(sub.get("02", ""))
    except ValueError:
        raise VietQrError("bad_service") from None
    beneficiary = parse_tlv(sub.get("01", ""))
    bank, account = beneficiary.get("00", ""), beneficiary.get("01", "")
    if not _BIN.fullmatch(bank):
        raise VietQrError("bad_bank")
    if not _ACCOUNT.fullmatch(account):
        raise VietQrError("bad_account")
    return bank, account, service


def _text(value: str | None) -> str | None:
    if value is not None and not _FREE_TEXT.fullmatch(value):
        raise VietQrError("bad_field")
    return value


def parse_vietqr(text: str) -> VietQr:
    """Parse a VietQR payload; raises ``VietQrError`` (and nothing else) on any bad input."""
    fields = _checked_fields(text)
    bank, account, service = _merchant(fields["38"])
    amount = fields.get("54")
    if amount is not None and not _AMOUNT.fullmatch(amount):
        raise VietQrError("bad_amount")
    if fields["53"] != "704":
        raise VietQrError("bad_currency")
    if fields["58"] != "VN":
        raise VietQrError("bad_country")
    purpose = _text(parse_tlv(fields["62"]).get("08")) if "62" in fields else None
    known = {"00", "01", "38", "53", "54", "58", "59", "62", "63"}
    return VietQr(
        bank_bin=bank, account=account, service=service,
        amount=None if amount is None else Decimal(amount), purpose=purpose,
        merchant_name=_text(fields.get("59")), dynamic=fields.get("01") == "12",
        extra=tuple((t, v) for t, v in fields.items() if t not in known),
    )


def build_vietqr(
    bank_bin: str, account: str, *, service: Service = Service.ACCOUNT, amount: int | Decimal | None = None,
    purpose: str | None = None, merchant_name: str | None = None,
) -> str:
    """A payload for the kiosk to show (e.g. a fee); dynamic when it carries an amount."""
    beneficiary = _tlv({"00": bank_bin, "01": account})
    fields = {"00": "01", "01": "12" if amount is not None else "11",
              "38": _tlv({"00": GUID, "01": beneficiary, "02": service.value}), "53": "704"}
    if amount is not None:
        fields["54"] = str(amount)
    fields["58"] = "VN"
    if merchant_name:
        fields["59"] = merchant_name
    if purpose:
        fields["62"] = _tlv({"08": purpose})
    body = _tlv(fields) + "6304"
    text = body + crc16(body)
    parse_vietqr(text)  # never show a code our own parser (or a bank app) would refuse
    return text
