"""Tiny DER pieces (INTEGER, OBJECT IDENTIFIER, strings) for the LDS files parsed by hand.

DG13 and DG14 are small fixed shapes; reading them with the TLV codec keeps every failure a
``MalformedData``. CMS and X.509 (EF.SOD, certificates) use asn1crypto instead.
"""

from __future__ import annotations

from devices.card.errors import MalformedData
from devices.card.icao.card_access import encode_oid as oid_content
from devices.card.lds._tlv import decode_one, encode

__all__ = ["decode_int", "decode_oid", "decode_text", "encode_int", "encode_oid", "first"]

INTEGER, OID, UTF8, PRINTABLE, SEQUENCE, SET = 0x02, 0x06, 0x0C, 0x13, 0x30, 0x31
_TEXT_CODECS = {0x0C: "utf-8", 0x13: "ascii", 0x16: "ascii", 0x14: "latin-1", 0x1E: "utf-16-be"}


def decode_int(value: bytes, what: str) -> int:
    if not value or len(value) > 8:
        raise MalformedData(f"{what}: bad INTEGER length")
    return int.from_bytes(value, "big", signed=True)


def encode_int(number: int) -> bytes:
    size = number.bit_length() // 8 + 1
    return encode(INTEGER, number.to_bytes(size, "big", signed=True))


def decode_oid(value: bytes, what: str) -> str:
    if not value or value[-1] & 0x80:
        raise MalformedData(f"{what}: bad OBJECT IDENTIFIER")
    arcs, acc = [], 0
    for byte in value:
        acc = (acc << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(acc)
            acc = 0
    first_arc = min(arcs[0] // 40, 2)
    return ".".join(str(a) for a in [first_arc, arcs[0] - 40 * first_arc, *arcs[1:]])


def encode_oid(dotted: str) -> bytes:
    """The whole OBJECT IDENTIFIER TLV (the content bytes come from the EF.CardAccess codec)."""
    return encode(OID, oid_content(dotted))


def decode_text(tag: int, value: bytes, what: str) -> str:
    codec = _TEXT_CODECS.get(tag)
    if codec is None:
        raise MalformedData(f"{what}: expected a text string, found tag {tag:02X}")
    try:
        return value.decode(codec)
    except UnicodeDecodeError:
        raise MalformedData(f"{what}: the text is not valid {codec}") from None


def first(data: bytes, tag: int, what: str) -> tuple[bytes, int]:
    """Value of the TLV at the start of ``data`` (must be ``tag``) and the offset after it."""
    got, value, end = decode_one(data, 0)
    if got != tag:
        raise MalformedData(f"{what}: expected tag {tag:02X}, found {got:02X}")
    return value, end
