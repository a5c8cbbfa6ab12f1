"""DG15: the Active Authentication public key, a SubjectPublicKeyInfo (RSA or EC).

``6F { SubjectPublicKeyInfo }``. Parsing checks the structure with asn1crypto; turning it into a
usable key is separate (``public_key``), because a well-formed key with explicit curve parameters
that ``cryptography`` cannot load is not malformed data, just unsupported.
"""

from __future__ import annotations

import dataclasses

from asn1crypto import keys as asn1_keys
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from devices.card.errors import MalformedData, UnsupportedOperation
from devices.card.lds._tlv import encode, expect

__all__ = ["Dg15", "build", "parse"]

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey


@dataclasses.dataclass(frozen=True, slots=True)
class Dg15:
    spki_der: bytes
    algorithm: str  # "rsa" or "ec"

    def public_key(self) -> PublicKey:
        try:
            key = serialization.load_der_public_key(self.spki_der)
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            raise UnsupportedOperation(
                "The chip's active authentication key is in a format the kiosk cannot use."
            ) from exc
        if not isinstance(key, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey)):
            raise UnsupportedOperation("The chip's active authentication key is not RSA or EC.")
        return key

    @classmethod
    def from_key(cls, key: PublicKey) -> Dg15:
        der = key.public_bytes(serialization.Encoding.DER,
                               serialization.PublicFormat.SubjectPublicKeyInfo)
        return cls(der, "rsa" if isinstance(key, rsa.RSAPublicKey) else "ec")


def parse(raw: bytes) -> Dg15:
    spki = expect(raw, 0x6F, "DG15")
    try:
        info = asn1_keys.PublicKeyInfo.load(spki, strict=True)
        algorithm = info["algorithm"]["algorithm"].native
        info["public_key"].native  # noqa: B018 - forces the key structure to be decoded
        if algorithm == "ec":
            info["algorithm"]["parameters"].native  # noqa: B018
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError) as exc:
        raise MalformedData("DG15: the public key is not a valid SubjectPublicKeyInfo") from exc
    if algorithm not in ("rsa", "ec"):
        raise MalformedData(f"DG15: unsupported key algorithm {algorithm!s:.40}")
    return Dg15(spki, algorithm)


def build(dg15: Dg15) -> bytes:
    return encode(0x6F, dg15.spki_der)
