"""DG14: SecurityInfos (9303-11 §9.2): chip authentication keys, PACE infos, and the AA algorithm.

``6E { 31 { 30 { 06 protocol  <requiredData>  [<optionalData>] } ... } }``. Each info is kept as
parsed (OID + raw DER of its data), so infos we do not use survive untouched; helpers read the
ones the reader needs (the AA signature algorithm for ECDSA active authentication).
"""

from __future__ import annotations

import dataclasses

from devices.card.errors import MalformedData
from devices.card.lds import _der
from devices.card.lds._tlv import decode_all, decode_one, encode, expect

__all__ = [
    "AA_INFO_OID", "CA_PUBLIC_KEY_PREFIX", "Dg14", "ECDSA_PLAIN_HASHES", "SecurityInfo",
    "build", "parse",
]

AA_INFO_OID = "2.23.136.1.1.5"
CA_PUBLIC_KEY_PREFIX = "0.4.0.127.0.7.2.2.1."
CA_INFO_PREFIX = "0.4.0.127.0.7.2.2.3."
PACE_PREFIX = "0.4.0.127.0.7.2.2.4."
#: Signature algorithm OID in ActiveAuthenticationInfo -> hash name (BSI TR-03111 plain ECDSA and
#: the X9.62 ecdsa-with-SHA* OIDs that some issuers use instead).
ECDSA_PLAIN_HASHES: dict[str, str] = {
    "0.4.0.127.0.7.1.1.4.1.1": "sha1", "0.4.0.127.0.7.1.1.4.1.2": "sha224",
    "0.4.0.127.0.7.1.1.4.1.3": "sha256", "0.4.0.127.0.7.1.1.4.1.4": "sha384",
    "0.4.0.127.0.7.1.1.4.1.5": "sha512",
    "1.2.840.10045.4.1": "sha1", "1.2.840.10045.4.3.1": "sha224",
    "1.2.840.10045.4.3.2": "sha256", "1.2.840.10045.4.3.3": "sha384",
    "1.2.840.10045.4.3.4": "sha512",
}


@dataclasses.dataclass(frozen=True, slots=True)
class SecurityInfo:
    oid: str
    required: bytes               # DER of requiredData (a full TLV)
    optional: bytes | None = None  # DER of optionalData, if any

    @property
    def kind(self) -> str:
        if self.oid == AA_INFO_OID:
            return "active_authentication"
        if self.oid.startswith(CA_PUBLIC_KEY_PREFIX):
            return "chip_authentication_public_key"
        if self.oid.startswith(CA_INFO_PREFIX):
            return "chip_authentication"
        if self.oid.startswith(PACE_PREFIX):
            return "pace"
        return "unknown"

    @classmethod
    def active_authentication(cls, signature_oid: str, version: int = 1) -> SecurityInfo:
        return cls(AA_INFO_OID, _der.encode_int(version), _der.encode_oid(signature_oid))

    @classmethod
    def integers(cls, oid: str, first: int, second: int | None = None) -> SecurityInfo:
        """ChipAuthenticationInfo (version, keyId) or PACEInfo (version, parameterId)."""
        optional = None if second is None else _der.encode_int(second)
        return cls(oid, _der.encode_int(first), optional)

    @classmethod
    def chip_auth_public_key(cls, oid: str, spki_der: bytes, key_id: int | None = None
                             ) -> SecurityInfo:
        return cls(oid, spki_der, None if key_id is None else _der.encode_int(key_id))


@dataclasses.dataclass(frozen=True, slots=True)
class Dg14:
    infos: tuple[SecurityInfo, ...]

    @property
    def aa_signature_oid(self) -> str | None:
        """The AA signature algorithm OID from ActiveAuthenticationInfo, if DG14 has one."""
        for info in self.infos:
            if info.kind == "active_authentication" and info.optional is not None:
                tag, value, _ = decode_one(info.optional)
                if tag == _der.OID:
                    return _der.decode_oid(value, "DG14 AA algorithm")
        return None

    def of_kind(self, kind: str) -> tuple[SecurityInfo, ...]:
        return tuple(i for i in self.infos if i.kind == kind)


def _info(body: bytes) -> SecurityInfo:
    value, offset = _der.first(body, _der.OID, "DG14 SecurityInfo")
    oid = _der.decode_oid(value, "DG14 SecurityInfo")
    parts = []
    while offset < len(body):
        _, _, end = decode_one(body, offset)
        parts.append(body[offset:end])
        offset = end
    if not 1 <= len(parts) <= 2:
        raise MalformedData("DG14: a SecurityInfo has the wrong number of elements")
    return SecurityInfo(oid, parts[0], parts[1] if len(parts) == 2 else None)


def parse(raw: bytes) -> Dg14:
    infos = []
    for tag, body in decode_all(expect(expect(raw, 0x6E, "DG14"), _der.SET, "DG14")):
        if tag != _der.SEQUENCE:
            raise MalformedData(f"DG14: a SecurityInfo is tag {tag:02X}, not a SEQUENCE")
        infos.append(_info(body))
    return Dg14(tuple(infos))


def build(dg14: Dg14) -> bytes:
    entries = b"".join(
        encode(_der.SEQUENCE, _der.encode_oid(i.oid) + i.required + (i.optional or b""))
        for i in dg14.infos
    )
    return encode(0x6E, encode(_der.SET, entries))
