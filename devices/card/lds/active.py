"""Active authentication (9303-11 §6.1): is this the chip the issuer made, or a copy?

The terminal sends an 8-byte challenge with INTERNAL AUTHENTICATE; the chip signs it with a
private key that cannot be read out, and the matching public key is in DG15 (covered by passive
authentication). Copying the files to another chip copies DG15 but not the private key, so a
failed check means "the chip may be a clone": ``verify`` returns that as a result, never raises.

RSA uses ISO/IEC 9796-2 digital signature scheme 1 (partial message recovery):
``F = 6A || M1 || H(M1 || challenge) || trailer``, trailer ``BC`` (SHA-1) or ``<hash id> CC``.
ECDSA signatures are plain ``r || s`` over the challenge, hash from DG14 (default SHA-256).
``sign`` is the card side, for the chip emulator (textbook RSA, no blinding: test use only).
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature, encode_dss_signature,
)

from devices.card.errors import UnsupportedOperation
from devices.card.lds._cms import digest
from devices.card.lds._sigs import hash_for
from devices.card.lds.dg14 import ECDSA_PLAIN_HASHES, Dg14
from devices.card.lds.dg15 import Dg15
from devices.card.lds.passive import Status

__all__ = ["AaResult", "CHALLENGE_LENGTH", "challenge", "sign", "verify"]

CHALLENGE_LENGTH = 8
#: ISO/IEC 10118-3 hash identifiers used in the two-byte 9796-2 trailer ``<id> CC``.
_TRAILER_IDS = {"sha1": 0x33, "sha256": 0x34, "sha512": 0x35, "sha384": 0x36, "sha224": 0x38}
_TRAILER_HASHES = {v: k for k, v in _TRAILER_IDS.items()}
_CLONE = "The chip failed active authentication: it may be a copy of a genuine card (clone)."


@dataclasses.dataclass(frozen=True, slots=True)
class AaResult:
    status: Status
    reason: str
    algorithm: str = ""

    @property
    def ok(self) -> bool:
        return self.status is Status.PASSED


def challenge(rng: Callable[[int], bytes] = secrets.token_bytes) -> bytes:
    return rng(CHALLENGE_LENGTH)


def _rsa_block_size(key: rsa.RSAPublicKey | rsa.RSAPrivateKey) -> int:
    return (key.key_size + 6) // 8  # the message representative F stays below the modulus


def _verify_rsa(key: rsa.RSAPublicKey, nonce: bytes, signature: bytes) -> AaResult:
    numbers = key.public_numbers()
    n, k = numbers.n, _rsa_block_size(key)
    s = int.from_bytes(signature, "big")
    if not 0 < s < n:
        return AaResult(Status.FAILED, _CLONE, "rsa")
    f = pow(s, numbers.e, n)
    if f & 0xF != 0xC:
        f = n - f  # 9796-2 allows the signer to send min(s, n - s)
    block = f.to_bytes(k + 1, "big")
    if block[0] != 0:
        return AaResult(Status.FAILED, _CLONE, "rsa")
    block = block[1:]
    if block[-1] == 0xBC:
        hash_name, trailer = "sha1", 1
    elif block[-1] == 0xCC and block[-2] in _TRAILER_HASHES:
        hash_name, trailer = _TRAILER_HASHES[block[-2]], 2
    else:
        return AaResult(Status.FAILED, _CLONE, "rsa")
    if block[0] != 0x6A:  # only partial recovery is used by eMRTDs
        return AaResult(Status.FAILED, _CLONE, f"rsa-9796-2-{hash_name}")
    size = hash_for(hash_name).digest_size
    m1, h = block[1:k - trailer - size], block[k - trailer - size:k - trailer]
    if not secrets.compare_digest(digest(hash_name, m1 + nonce), h):
        return AaResult(Status.FAILED, _CLONE, f"rsa-9796-2-{hash_name}")
    return AaResult(Status.PASSED, "The chip is genuine (active authentication passed).",
                    f"rsa-9796-2-{hash_name}")


def _verify_ec(key: ec.EllipticCurvePublicKey, nonce: bytes, signature: bytes,
               hash_name: str) -> AaResult:
    label = f"ecdsa-{hash_name}"
    if not signature or len(signature) % 2:
        return AaResult(Status.FAILED, _CLONE, label)
    half = len(signature) // 2
    der = encode_dss_signature(int.from_bytes(signature[:half], "big"),
                               int.from_bytes(signature[half:], "big"))
    try:
        key.verify(der, nonce, ec.ECDSA(hash_for(hash_name)))
    except InvalidSignature:
        return AaResult(Status.FAILED, _CLONE, label)
    return AaResult(Status.PASSED, "The chip is genuine (active authentication passed).", label)


def verify(public_key: Dg15 | rsa.RSAPublicKey | ec.EllipticCurvePublicKey, nonce: bytes,
           signature: bytes, *, dg14: Dg14 | None = None) -> AaResult:
    """Check the chip's answer to ``nonce``; ``dg14`` names the ECDSA hash when present."""
    try:
        key = public_key.public_key() if isinstance(public_key, Dg15) else public_key
        if isinstance(key, rsa.RSAPublicKey):
            return _verify_rsa(key, nonce, signature)
        if isinstance(key, ec.EllipticCurvePublicKey):
            oid = dg14.aa_signature_oid if dg14 is not None else None
            if oid is not None and oid not in ECDSA_PLAIN_HASHES:
                raise UnsupportedOperation("unknown AA signature algorithm")
            hash_name = ECDSA_PLAIN_HASHES.get(oid, "sha256") if oid is not None else "sha256"
            return _verify_ec(key, nonce, signature, hash_name)
        raise UnsupportedOperation("the AA key is neither RSA nor EC")
    except UnsupportedOperation as exc:
        return AaResult(Status.NOT_DONE, f"Active authentication could not be checked: {exc}")


def sign(private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, nonce: bytes, *,
         hash_name: str | None = None, rng: Callable[[int], bytes] = secrets.token_bytes
         ) -> bytes:
    """The chip's INTERNAL AUTHENTICATE answer (RSA default SHA-1 'BC' trailer, EC SHA-256)."""
    if isinstance(private_key, ec.EllipticCurvePrivateKey):
        algorithm = hash_for(hash_name or "sha256")
        der = private_key.sign(nonce, ec.ECDSA(algorithm, deterministic_signing=True))
        r, s = decode_dss_signature(der)
        size = (private_key.curve.key_size + 7) // 8
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    hash_name = hash_name or "sha1"
    trailer = b"\xbc" if hash_name == "sha1" else bytes([_TRAILER_IDS[hash_name], 0xCC])
    k = _rsa_block_size(private_key)
    m1 = rng(k - 1 - hash_for(hash_name).digest_size - len(trailer))
    block = b"\x6a" + m1 + digest(hash_name, m1 + nonce) + trailer
    numbers = private_key.private_numbers()
    n = numbers.public_numbers.n
    return pow(int.from_bytes(block, "big"), numbers.d, n).to_bytes((n.bit_length() + 7) // 8,
                                                                     "big")
