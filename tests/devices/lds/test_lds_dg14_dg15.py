"""DG14 SecurityInfos and DG15 public keys."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from devices.card.errors import MalformedData, UnsupportedOperation
from devices.card.lds import _der, dg14, dg15
from devices.card.lds._tlv import encode


def test_dg14_round_trip_keeps_unknown_infos(chip):
    parsed = dg14.parse(chip.dgs[14])
    kinds = {i.kind for i in parsed.infos}
    assert {"chip_authentication_public_key", "chip_authentication", "pace"} <= kinds
    unknown = dg14.SecurityInfo("1.2.3.4.5", encode(0x04, b"opaque"), _der.encode_int(9))
    value = dg14.Dg14((*parsed.infos, unknown))
    again = dg14.parse(dg14.build(value))
    assert again == value and again.of_kind("unknown") == (unknown,)
    assert again.aa_signature_oid is None  # RSA AA: no ActiveAuthenticationInfo


def test_dg14_aa_algorithm():
    info = dg14.SecurityInfo.active_authentication("0.4.0.127.0.7.1.1.4.1.4")
    parsed = dg14.parse(dg14.build(dg14.Dg14((info,))))
    assert parsed.aa_signature_oid == "0.4.0.127.0.7.1.1.4.1.4"
    assert dg14.ECDSA_PLAIN_HASHES[parsed.aa_signature_oid] == "sha384"


@pytest.mark.parametrize("raw", [
    encode(0x6E, encode(0x31, encode(0x02, b"\x01"))),                       # not a SEQUENCE
    encode(0x6E, encode(0x31, encode(0x30, _der.encode_oid("1.2.3")))),      # no requiredData
    encode(0x6E, encode(0x31, encode(0x30, _der.encode_int(1)))),            # no OID
    encode(0x6E, encode(0x30, b"")),                                         # not a SET
])
def test_dg14_rejects(raw):
    with pytest.raises(MalformedData):
        dg14.parse(raw)


def test_oid_codec():
    for dotted in ("0.4.0.127.0.7.2.2.4.2.2", "1.0.10646.1.0.8", "2.23.136.1.1.5", "2.999.3"):
        encoded = _der.encode_oid(dotted)
        assert _der.decode_oid(encoded[2:], "x") == dotted


@pytest.mark.parametrize("key", [
    rsa.generate_private_key(65537, 1024).public_key(),
    ec.generate_private_key(ec.BrainpoolP256R1()).public_key(),
    ec.generate_private_key(ec.SECP256R1()).public_key(),
])
def test_dg15_round_trip(key):
    value = dg15.Dg15.from_key(key)
    parsed = dg15.parse(dg15.build(value))
    assert parsed == value
    assert parsed.public_key().public_numbers() == key.public_numbers()


def test_dg15_rejects_and_unsupported():
    with pytest.raises(MalformedData):
        dg15.parse(encode(0x6F, encode(0x30, b"\x01\x02")))
    with pytest.raises(MalformedData):
        dg15.parse(encode(0x6F, b""))
    odd = dg15.Dg15(b"\x30\x03\x02\x01\x01", "rsa")
    with pytest.raises(UnsupportedOperation):
        odd.public_key()
