"""The shared BER-TLV codec (``devices.card.icao.tlv``) plus two helpers the LDS parsers share.

Every decoding problem is a ``MalformedData`` naming the offset or the tag, never the content
(which may be personal data).
"""

from __future__ import annotations

from devices.card.errors import MalformedData
from devices.card.icao.tlv import decode_all, decode_one, encode

__all__ = ["children", "decode_all", "decode_one", "encode", "expect"]


def expect(data: bytes, tag: int, what: str, *, allow_trailing: bool = False) -> bytes:
    """The value of the single TLV ``tag`` that ``data`` must consist of."""
    got, value, end = decode_one(data, 0)
    if got != tag:
        raise MalformedData(f"{what}: expected tag {tag:02X}, found {got:02X}")
    if end != len(data) and not allow_trailing:
        raise MalformedData(f"{what}: {len(data) - end} unexpected bytes after the data")
    return value


def children(value: bytes, what: str) -> dict[int, bytes]:
    """Child TLVs by tag; a repeated tag is a format error in the LDS templates that use this."""
    out: dict[int, bytes] = {}
    for tag, child in decode_all(value):
        if tag in out:
            raise MalformedData(f"{what}: tag {tag:02X} appears twice")
        out[tag] = child
    return out
