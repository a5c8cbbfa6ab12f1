"""Whether a chip takes extended-length APDUs, from what it says about itself (ISO/IEC 7816-4).

A chip announces it in two places, both readable before any access control:

- the historical bytes of its ATR (for a contactless card the reader builds the ATR from the
  card's ATS, PC/SC part 3): compact-TLV "card capabilities" ``7X``, whose third software
  function byte has b7 (0x40) set for extended Lc/Le;
- EF.ATR/INFO (file 2F01 in the master file): ``7F66`` "extended length information" with the
  longest command and response it accepts (two INTEGERs), and possibly the same ``47`` card
  capabilities.

The reader must allow extended length too (some refuse it, cccd.md section 4): that is the
transport's ``extended_length``. ``read_block`` turns the chip's longest response into the data
a protected READ BINARY can ask for.
"""

from __future__ import annotations

import dataclasses

from devices.card.errors import MalformedData
from devices.card.icao import tlv

__all__ = ["CardCapabilities", "from_atr", "from_atr_info", "historical_bytes", "read_block"]

EXTENDED_BIT = 0x40
_SM_OVERHEAD = 40  # DO'87' header and padding, DO'99', DO'8E', SW: what SM adds to an answer


@dataclasses.dataclass(frozen=True, slots=True)
class CardCapabilities:
    """``extended``: True/False when the chip said so, None when it said nothing."""

    extended: bool | None = None
    max_command: int | None = None
    max_response: int | None = None

    def merge(self, other: CardCapabilities) -> CardCapabilities:
        """What both sources say together (EF.ATR/INFO's lengths win, any "yes" counts)."""
        extended = self.extended if other.extended is None else other.extended
        if self.extended and other.extended is None:
            extended = True
        return CardCapabilities(extended, other.max_command or self.max_command,
                                other.max_response or self.max_response)


def historical_bytes(atr: bytes) -> bytes:
    """The historical bytes of an ATR (ISO 7816-3 §8.2): skip TS, T0 and the interface bytes."""
    if len(atr) < 2:
        return b""
    count, index, y = atr[1] & 0x0F, 2, atr[1] >> 4
    while y:
        index += bin(y).count("1")
        if not y & 0x8 or index > len(atr):
            break
        y = atr[index - 1] >> 4
    return atr[index:index + count]


def _capabilities(value: bytes) -> CardCapabilities:
    if len(value) >= 3:
        return CardCapabilities(extended=bool(value[2] & EXTENDED_BIT))
    return CardCapabilities()


def from_atr(atr: bytes | None) -> CardCapabilities:
    """Card capabilities from the ATR's historical bytes (category 00 or 80: compact-TLV)."""
    hist = historical_bytes(atr or b"")
    if not hist or hist[0] not in (0x00, 0x80):
        return CardCapabilities()
    body = hist[1:-3] if hist[0] == 0x00 else hist[1:]  # category 00 ends with 3 status bytes
    index = 0
    while index < len(body):
        tag, length = body[index] >> 4, body[index] & 0x0F
        value = body[index + 1:index + 1 + length]
        if tag == 0x7:
            return _capabilities(value)
        index += 1 + length
    return CardCapabilities()


def from_atr_info(raw: bytes | None) -> CardCapabilities:
    """Extended length information (7F66) and card capabilities (47) from EF.ATR/INFO."""
    if not raw:
        return CardCapabilities()
    found = CardCapabilities()
    for tag, value in _objects(raw):
        if tag == 0x47:
            found = found.merge(_capabilities(value))
        elif tag == 0x7F66:
            try:
                sizes = [int.from_bytes(v, "big") for t, v in tlv.decode_all(value) if t == 0x02]
            except MalformedData:
                continue
            if len(sizes) >= 2:
                found = found.merge(CardCapabilities(True, sizes[0], sizes[1]))
    return found


def _objects(raw: bytes) -> list[tuple[int, bytes]]:
    """The file's BER-TLV objects, stopping at padding (00/FF) or at anything undecodable."""
    out, offset = [], 0
    while offset < len(raw) and raw[offset] not in (0x00, 0xFF):
        try:
            tag, value, offset = tlv.decode_one(raw, offset)
        except MalformedData:
            break
        out.append((tag, value))
    return out


def read_block(max_response: int | None, *, cipher_block: int = 16) -> int:
    """The most file bytes one protected READ BINARY can ask for when the chip answers at most
    ``max_response`` bytes: room for the secure-messaging objects, whole cipher blocks."""
    limit = min(max_response or 0x10000, 0x10000)
    usable = (limit - _SM_OVERHEAD) // cipher_block * cipher_block - 1
    return max(0xDF, min(usable, 0xFFF0))
