"""EF.CardAccess: the SecurityInfos that tell a terminal which PACE variants a chip offers.

``SecurityInfos ::= SET OF SecurityInfo``; ``SecurityInfo ::= SEQUENCE { protocol OBJECT
IDENTIFIER, requiredData ANY, optionalData ANY OPTIONAL }`` (ICAO 9303-11 §9.2). PACEInfo's
requiredData is the version INTEGER and its optionalData the parameterId INTEGER. Anything else
(PACEDomainParameterInfo, ChipAuthenticationInfo when DG14 reuses this parser, vendor infos) is
kept as ``SecurityInfo`` with its raw DER so a builder can write it back unchanged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from devices.card.errors import MalformedData
from devices.card.icao import tlv

__all__ = [
    "PACE_ECDH_GM_3DES",
    "PACE_ECDH_GM_AES_128",
    "PACE_ECDH_GM_AES_192",
    "PACE_ECDH_GM_AES_256",
    "PaceInfo",
    "SecurityInfo",
    "build_card_access",
    "decode_oid",
    "encode_oid",
    "parse_card_access",
    "pace_infos",
    "parse_security_infos",
]

ID_PACE = "0.4.0.127.0.7.2.2.4"
PACE_ECDH_GM_3DES = ID_PACE + ".2.1"
PACE_ECDH_GM_AES_128 = ID_PACE + ".2.2"
PACE_ECDH_GM_AES_192 = ID_PACE + ".2.3"
PACE_ECDH_GM_AES_256 = ID_PACE + ".2.4"

_AGREEMENT_MAPPING = {"1": ("DH", "GM"), "2": ("ECDH", "GM"), "3": ("DH", "IM"),
                      "4": ("ECDH", "IM"), "6": ("ECDH", "CAM")}
_CIPHERS = {"1": "3des", "2": "aes128", "3": "aes192", "4": "aes256"}

_SET, _SEQUENCE, _OID, _INTEGER = 0x31, 0x30, 0x06, 0x02


def _bad(what: str) -> MalformedData:
    return MalformedData(f"The card's list of security protocols could not be read ({what}).")


@dataclasses.dataclass(frozen=True, slots=True)
class SecurityInfo:
    """A SecurityInfo this module does not interpret; ``raw`` is its full DER SEQUENCE."""

    oid: str
    raw: bytes

    def to_der(self) -> bytes:
        return self.raw


@dataclasses.dataclass(frozen=True, slots=True)
class PaceInfo:
    oid: str
    version: int = 2
    parameter_id: int | None = None

    @property
    def is_pace(self) -> bool:
        return self.oid.startswith(ID_PACE + ".") and self._suffix() is not None

    def _suffix(self) -> tuple[str, str] | None:
        parts = self.oid[len(ID_PACE) + 1 :].split(".")
        if len(parts) != 2 or parts[0] not in _AGREEMENT_MAPPING or parts[1] not in _CIPHERS:
            return None
        return parts[0], parts[1]

    @property
    def agreement(self) -> str | None:
        """``"ECDH"`` or ``"DH"``."""
        suffix = self._suffix()
        return _AGREEMENT_MAPPING[suffix[0]][0] if suffix else None

    @property
    def mapping(self) -> str | None:
        """``"GM"`` (generic), ``"IM"`` (integrated) or ``"CAM"`` (chip authentication)."""
        suffix = self._suffix()
        return _AGREEMENT_MAPPING[suffix[0]][1] if suffix else None

    @property
    def cipher(self) -> str | None:
        """``"3des"``, ``"aes128"``, ``"aes192"`` or ``"aes256"``."""
        suffix = self._suffix()
        return _CIPHERS[suffix[1]] if suffix else None

    def to_der(self) -> bytes:
        body = tlv.encode(_OID, encode_oid(self.oid))
        body += tlv.encode(_INTEGER, _encode_int(self.version))
        if self.parameter_id is not None:
            body += tlv.encode(_INTEGER, _encode_int(self.parameter_id))
        return tlv.encode(_SEQUENCE, body)


def encode_oid(oid: str) -> bytes:
    """Dotted string -> DER content bytes (no tag or length)."""
    try:
        arcs = [int(part) for part in oid.split(".")]
    except ValueError:
        raise ValueError(f"not an OID: {oid!r}") from None
    if len(arcs) < 2 or arcs[0] > 2 or (arcs[0] < 2 and arcs[1] > 39) or min(arcs) < 0:
        raise ValueError(f"not an OID: {oid!r}")
    out = bytearray()
    for arc in [arcs[0] * 40 + arcs[1], *arcs[2:]]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        out.extend(reversed(chunk))
    return bytes(out)


def decode_oid(content: bytes) -> str:
    """DER content bytes -> dotted string; raises ``MalformedData``."""
    if not content or content[-1] & 0x80:
        raise _bad("truncated object identifier")
    arcs: list[int] = []
    value = 0
    start = True
    for byte in content:
        if start and byte == 0x80:
            raise _bad("object identifier with a padded arc")
        value = (value << 7) | (byte & 0x7F)
        start = not byte & 0x80
        if start:
            arcs.append(value)
            value = 0
    first = min(arcs[0] // 40, 2)
    return ".".join(str(a) for a in [first, arcs[0] - 40 * first, *arcs[1:]])


def _encode_int(value: int) -> bytes:
    return value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big", signed=True)


def _decode_int(content: bytes) -> int:
    if not content:
        raise _bad("empty integer")
    if len(content) > 8:
        raise _bad("integer too large")
    return int.from_bytes(content, "big", signed=True)


def _parse_info(der: bytes) -> PaceInfo | SecurityInfo:
    tag, body, _ = tlv.decode_one(der)
    if tag != _SEQUENCE:
        raise _bad("an entry is not a SEQUENCE")
    fields = tlv.decode_all(body)
    if len(fields) < 2 or fields[0][0] != _OID:
        raise _bad("an entry does not start with an object identifier")
    oid = decode_oid(fields[0][1])
    candidate = PaceInfo(oid)
    if not candidate.is_pace or len(fields) > 3 or any(t != _INTEGER for t, _ in fields[1:]):
        return SecurityInfo(oid, der)
    version = _decode_int(fields[1][1])
    parameter_id = _decode_int(fields[2][1]) if len(fields) == 3 else None
    return PaceInfo(oid, version, parameter_id)


def parse_security_infos(der: bytes) -> list[PaceInfo | SecurityInfo]:
    """Parse a DER ``SET OF SecurityInfo`` (EF.CardAccess; DG14's content has the same shape)."""
    tag, content, end = tlv.decode_one(der)
    if tag != _SET:
        raise _bad("not a SET")
    if any(b not in (0x00, 0xFF) for b in der[end:]):  # files may be padded after the SET
        raise _bad("trailing data")
    infos: list[PaceInfo | SecurityInfo] = []
    offset = 0
    while offset < len(content):
        _, _, nxt = tlv.decode_one(content, offset)
        infos.append(_parse_info(content[offset:nxt]))
        offset = nxt
    return infos


parse_card_access = parse_security_infos


def build_card_access(infos: Iterable[PaceInfo | SecurityInfo]) -> bytes:
    """DER ``SET OF``: elements sorted by their encoding, as DER requires."""
    encoded = sorted(info.to_der() for info in infos)
    return tlv.encode(_SET, b"".join(encoded))


def pace_infos(infos: Sequence[PaceInfo | SecurityInfo]) -> list[PaceInfo]:
    """The PACE entries a terminal could use, in file order."""
    return [info for info in infos if isinstance(info, PaceInfo)]
