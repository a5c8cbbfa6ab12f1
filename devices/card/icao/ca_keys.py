"""Chip Authentication keys: DG14's public key, an ephemeral key pair on its domain, the secret.

ICAO 9303-11 §6.2 and BSI TR-03110 allow elliptic-curve (ECDH) and finite-field (DH) keys. A
DG14 key is a SubjectPublicKeyInfo whose domain parameters are often given in full ("explicit"
EC parameters) rather than by name; ``cryptography`` cannot load those, so the parameters are
matched against the standard curves here and the key rebuilt. ECDH runs in ``cryptography``
(OpenSSL) when it knows the curve and on the ``ecdsa`` package's curves otherwise (as PACE does);
DH is plain modular exponentiation, because ``cryptography`` is retiring finite-field DH.
Every key received from the other side is checked to lie in its group.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable

import ecdsa
from asn1crypto import keys
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from devices.card.errors import MalformedData, UnsupportedOperation
from devices.card.icao._ec import _CURVES, Curve

__all__ = ["DhDomain", "EphemeralKey", "PublicKey", "RFC5114_1024_160", "load_public_key",
           "private_key_for", "spki_for"]

_ASN1_ERRORS = (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError)
# ecdsa's curve name -> cryptography's curve class (the ones OpenSSL computes for us)
_OPENSSL: dict[str, type[ec.EllipticCurve]] = {"NIST192p": ec.SECP192R1, "NIST224p": ec.SECP224R1, "NIST256p": ec.SECP256R1,
            "NIST384p": ec.SECP384R1, "NIST521p": ec.SECP521R1,
            "BRAINPOOLP256r1": ec.BrainpoolP256R1, "BRAINPOOLP384r1": ec.BrainpoolP384R1,
            "BRAINPOOLP512r1": ec.BrainpoolP512R1}


@dataclasses.dataclass(frozen=True)
class DhDomain:
    p: int
    g: int
    q: int | None = None

    @property
    def size(self) -> int:
        return (self.p.bit_length() + 7) // 8

    def check(self, y: int) -> None:
        """The other side's public value is in the group (1 < y < p-1, y^q = 1 when q known)."""
        if not 1 < y < self.p - 1 or (self.q is not None and pow(y, self.q, self.p) != 1):
            raise MalformedData("The chip's key agreement value is not in its group.")


#: RFC 5114 1024-bit MODP group with 160-bit prime order subgroup (ICAO 9303-11 parameter ID 0).
RFC5114_1024_160 = DhDomain(
    p=int("B10B8F96A080E01DDE92DE5EAE5D54EC52C99FBCFB06A3C69A6A9DCA52D23B616073E28675A23D18"
          "9838EF1E2EE652C013ECB4AEA906112324975C3CD49B83BFACCBDD7D90C4BD7098488E9C219A7372"
          "4EFFD6FAE5644738FAA31A4FF55BCCC0A151AF5F0DC8B4BD45BF37DF365C1A65E68CFDA76D4DA708"
          "DF1FB2BC2E4A4371", 16),
    g=int("A4D1CBD5C3FD34126765A442EFB99905F8104DD258AC507FD6406CFF14266D31266FEA1E5C41564B"
          "777E690F5504F213160217B4B01B886A5E91547F9E2749F4D7FBD7D3B9A92EE1909D0D2263F80A76"
          "A6A24C087A091F531DBF0A0169B6A28AD662A4D18E73AFA32D779D5918D08BC8858F4DCEF97C2A24"
          "855E6EEB22B3B2E5", 16),
    q=int("F518AA8781A8DF278ABA4E7D64B7CB9D49462353", 16),
)


@dataclasses.dataclass(frozen=True)
class PublicKey:
    """A CA public key: ``agreement`` "ECDH" (``curve`` + ``point``) or "DH" (``dh`` + ``y``)."""

    agreement: str
    curve: Curve | None = None
    point: bytes = b""  # uncompressed 04 || X || Y
    dh: DhDomain | None = None
    y: int = 0

    def ephemeral(self, rng: Callable[[int], bytes] = secrets.token_bytes) -> EphemeralKey:
        """A fresh key pair on this key's domain, for one key agreement."""
        if self.agreement == "DH":
            assert self.dh is not None
            limit = self.dh.q or self.dh.p - 2
            x = int.from_bytes(rng((limit.bit_length() + 7) // 8 + 8), "big") % (limit - 1) + 1
            return EphemeralKey(self, x)
        assert self.curve is not None
        return EphemeralKey(self, self.curve.random_scalar(rng))


@dataclasses.dataclass(frozen=True)
class EphemeralKey:
    domain: PublicKey
    secret: int = dataclasses.field(repr=False)

    @property
    def public(self) -> bytes:
        """What is sent: the uncompressed point, or y = g^x mod p on the length of p."""
        if self.domain.agreement == "DH":
            dh = self.domain.dh
            assert dh is not None
            return pow(dh.g, self.secret, dh.p).to_bytes(dh.size, "big")
        curve = self.domain.curve
        assert curve is not None
        return curve.encode(curve.generator * self.secret)

    def shared_secret(self, other: bytes) -> bytes:
        """K: the x-coordinate of secret * other's point, or other^secret mod p (length of p)."""
        if self.domain.agreement == "DH":
            dh = self.domain.dh
            assert dh is not None
            y = int.from_bytes(other, "big")
            dh.check(y)
            return pow(y, self.secret, dh.p).to_bytes(dh.size, "big")
        curve = self.domain.curve
        assert curve is not None
        openssl = _OPENSSL.get(curve.curve.name)
        if openssl is None:
            return curve.shared_x(curve.decode(other), self.secret)
        try:
            peer = ec.EllipticCurvePublicKey.from_encoded_point(openssl(), other)
        except ValueError:
            raise MalformedData("The chip's key agreement point is not on its curve.") from None
        return ec.derive_private_key(self.secret, openssl()).exchange(ec.ECDH(), peer)


def _curve_from_parameters(params: keys.ECDomainParameters) -> Curve:
    if params.name == "named":
        oid = params.chosen.dotted
        for parameter_id, known in _CURVES.items():
            if ".".join(str(a) for a in known.oid) == oid:
                return Curve(parameter_id, known)
        raise UnsupportedOperation(detail=f"chip authentication curve {oid} is not supported")
    if params.name != "specified":
        raise UnsupportedOperation(detail="chip authentication key with implicit parameters")
    spec = params.chosen
    p = spec["field_id"]["parameters"].native
    a = int.from_bytes(spec["curve"]["a"].native, "big")
    b = int.from_bytes(spec["curve"]["b"].native, "big")
    n = spec["order"].native
    for parameter_id, known in _CURVES.items():
        c = known.curve
        if (int(c.p()), int(c.a()) % int(c.p()), int(c.b()), int(known.order)) == (p, a % p, b, n):
            return Curve(parameter_id, known)
    raise UnsupportedOperation(detail="chip authentication key on an unknown curve")


def load_public_key(spki_der: bytes) -> PublicKey:
    """DG14's SubjectPublicKeyInfo -> ``PublicKey``; ``MalformedData`` if it does not decode,
    ``UnsupportedOperation`` for a domain this kiosk cannot compute on."""
    try:
        info = keys.PublicKeyInfo.load(spki_der, strict=True)
        algorithm = info["algorithm"]["algorithm"].native
        if algorithm == "ec":
            curve = _curve_from_parameters(info["algorithm"]["parameters"])
            raw = info["public_key"].native
            point = raw if isinstance(raw, bytes) else bytes(info["public_key"])
            curve.decode(_uncompressed(curve, point))  # on the curve, not infinity
            return PublicKey("ECDH", curve=curve, point=_uncompressed(curve, point))
        if algorithm == "dh":
            params = info["algorithm"]["parameters"].native
            domain = DhDomain(params["p"], params["g"], params.get("q"))
            y = info["public_key"].parsed.native
            domain.check(y)
            return PublicKey("DH", dh=domain, y=y)
    except (MalformedData, UnsupportedOperation):
        raise
    except _ASN1_ERRORS:
        raise MalformedData("DG14: the chip authentication key does not decode") from None
    raise UnsupportedOperation(detail=f"chip authentication key type {algorithm}")


def _uncompressed(curve: Curve, point: bytes) -> bytes:
    if point[:1] == b"\x04":
        return point
    if point[:1] in (b"\x02", b"\x03"):
        try:
            key = ecdsa.VerifyingKey.from_string(point, curve=curve.curve)
        except (ValueError, ecdsa.errors.MalformedPointError):
            raise MalformedData("DG14: the chip authentication point is not on its curve") from None
        return curve.encode(key.pubkey.point)
    raise MalformedData("DG14: the chip authentication point is not in a known encoding")


# -- building keys (the virtual chip and the test PKI) ------------------------------------------------
def spki_for(key: ec.EllipticCurvePublicKey | tuple[DhDomain, int], *,
             explicit: bool = False) -> bytes:
    """A SubjectPublicKeyInfo for DG14: an EC key (by curve name, or ``explicit`` parameters as
    many issuers write them) or a DH key given as (domain, y)."""
    if isinstance(key, tuple):
        domain, y = key
        params = {"p": domain.p, "g": domain.g, "q": domain.q}
        return keys.PublicKeyInfo({
            "algorithm": {"algorithm": "dh", "parameters": keys.DomainParameters(params)},
            "public_key": y}).dump()
    der = key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    if not explicit:
        return der
    info = keys.PublicKeyInfo.load(der)
    curve = _curve_from_parameters(info["algorithm"]["parameters"]).curve
    c, size = curve.curve, (int(curve.curve.p()).bit_length() + 7) // 8
    generator = curve.generator
    base = (b"\x04" + int(generator.x()).to_bytes(size, "big")
            + int(generator.y()).to_bytes(size, "big"))
    specified = keys.SpecifiedECDomain({
        "version": "ecdpVer1",
        "field_id": {"field_type": "prime_field", "parameters": int(c.p())},
        "curve": {"a": (int(c.a()) % int(c.p())).to_bytes(size, "big"),
                  "b": int(c.b()).to_bytes(size, "big")},
        "base": base, "order": int(curve.order), "cofactor": 1})
    return keys.PublicKeyInfo({
        "algorithm": {"algorithm": "ec",
                      "parameters": keys.ECDomainParameters(name="specified", value=specified)},
        "public_key": info["public_key"]}).dump()


def private_key_for(public: PublicKey, secret: int) -> EphemeralKey:
    """The chip's static key pair as an ``EphemeralKey`` (same arithmetic, kept for good)."""
    return EphemeralKey(public, secret)
