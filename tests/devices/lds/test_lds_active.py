"""Active authentication: RSA ISO 9796-2 (SHA-1 / SHA-256 trailers) and plain ECDSA."""

from __future__ import annotations

import random

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from devices.card.lds import active, dg14, dg15
from devices.card.lds.passive import Status


def _rng(seed: int):
    gen = random.Random(seed)
    return lambda n: gen.randbytes(n)


def test_challenge_uses_injected_rng():
    assert active.challenge(_rng(1)) == active.challenge(_rng(1))
    assert len(active.challenge()) == active.CHALLENGE_LENGTH


@pytest.mark.parametrize("hash_name", ["sha1", "sha256", "sha384", "sha512", "sha224"])
def test_rsa_pass_and_fail(pki, hash_name):
    nonce = active.challenge(_rng(2))
    sig = active.sign(pki.aa_rsa_key, nonce, hash_name=hash_name, rng=_rng(3))
    key = dg15.parse(dg15.build(dg15.Dg15.from_key(pki.aa_rsa_key.public_key())))
    result = active.verify(key, nonce, sig)
    assert result.ok and result.algorithm == f"rsa-9796-2-{hash_name}"
    assert not active.verify(key, b"\x00" * 8, sig).ok                 # another challenge
    clone = active.sign(pki.clone_rsa_key, nonce, hash_name=hash_name)
    bad = active.verify(key, nonce, clone)
    assert bad.status is Status.FAILED and "clone" in bad.reason
    flipped = bytes([sig[0] ^ 1]) + sig[1:]
    assert active.verify(key, nonce, flipped).status is Status.FAILED


def test_rsa_accepts_n_minus_s(pki):
    nonce = active.challenge(_rng(4))
    sig = int.from_bytes(active.sign(pki.aa_rsa_key, nonce), "big")
    n = pki.aa_rsa_key.public_key().public_numbers().n
    other = (n - sig).to_bytes(256, "big")
    assert active.verify(pki.aa_rsa_key.public_key(), nonce, other).ok


def test_rsa_garbage_signatures_fail_not_raise(pki):
    key = pki.aa_rsa_key.public_key()
    for sig in (b"", b"\x00" * 256, b"\xff" * 256, b"\x01" * 300):
        assert active.verify(key, b"12345678", sig).status is Status.FAILED


def test_ecdsa_pass_and_fail(pki):
    nonce = active.challenge(_rng(5))
    sig = active.sign(pki.aa_ec_key, nonce)
    assert len(sig) == 64
    key = dg15.Dg15.from_key(pki.aa_ec_key.public_key())
    assert active.verify(key, nonce, sig).ok
    assert active.verify(key, nonce, active.sign(pki.clone_ec_key, nonce)).status is Status.FAILED
    assert active.verify(key, nonce, sig[:-1]).status is Status.FAILED
    assert active.verify(key, b"other!!!", sig).status is Status.FAILED


def test_ecdsa_hash_follows_dg14(pki):
    nonce = b"\x01" * 8
    key = ec.generate_private_key(ec.SECP384R1())
    sig = active.sign(key, nonce, hash_name="sha384")
    info = dg14.Dg14((dg14.SecurityInfo.active_authentication("0.4.0.127.0.7.1.1.4.1.4"),))
    assert active.verify(key.public_key(), nonce, sig, dg14=info).ok
    assert not active.verify(key.public_key(), nonce, sig).ok  # default SHA-256 does not match
    unknown = dg14.Dg14((dg14.SecurityInfo.active_authentication("1.2.3.4"),))
    assert active.verify(key.public_key(), nonce, sig, dg14=unknown).status is Status.NOT_DONE


def test_unusable_key_is_not_done():
    result = active.verify(dg15.Dg15(b"\x30\x00", "ec"), b"12345678", b"\x00" * 64)
    assert result.status is Status.NOT_DONE
