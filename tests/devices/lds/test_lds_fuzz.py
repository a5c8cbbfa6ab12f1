"""Every LDS parser, fed random and mutated bytes, raises MalformedData and nothing else."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devices.card.errors import CardError, MalformedData
from devices.card.lds import active, com, dg1, dg2, dg13, dg14, dg15, passive, pki, sod
from devices.card.lds.build_chip_files import build_chip_files
from devices.card.lds.csca import CscaStore
from devices.card.profiles import load_profile

ROOT = Path(__file__).resolve().parents[3]
_PKI = pki.load()
_CHIP = build_chip_files(load_profile(ROOT / "assets/profiles/01-tran-thi-minh-anh.toml"), _PKI)
_SMALL_FACE = dg2.build(dg2.Dg2((dg2.FaceImage(dg2.JPEG, b"\xff\xd8\xff\xe0" + b"\x00" * 16),)))
SAMPLES = {
    "com": (com.parse, _CHIP.com),
    "dg1": (dg1.parse, _CHIP.dgs[1]),
    "dg2": (dg2.parse, _SMALL_FACE),
    "dg13": (dg13.parse, _CHIP.dgs[13]),
    "dg14": (dg14.parse, _CHIP.dgs[14]),
    "dg15": (dg15.parse, _CHIP.dgs[15]),
    "sod": (sod.parse, _CHIP.sod),
}
FUZZ = settings(max_examples=int(__import__("os").environ.get("LDS_FUZZ_EXAMPLES", "150")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def mutated(draw, sample: bytes) -> bytes:
    data = bytearray(sample)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "delete", "set"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[pos] ^= draw(st.integers(1, 255))
        elif op == "cut":
            del data[pos:]
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=4))
        elif op == "delete" and data:
            del data[pos:pos + draw(st.integers(1, 8))]
        elif op == "set" and data:
            data[pos] = draw(st.sampled_from([0x00, 0x7F, 0x80, 0x81, 0x82, 0x84, 0xFF]))
    return bytes(data)


def _only_malformed(parse, data: bytes) -> None:
    try:
        parse(data)
    except MalformedData:
        pass


def test_samples_are_valid():
    for parse, sample in SAMPLES.values():
        parse(sample)


@pytest.mark.parametrize("name", sorted(SAMPLES))
@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes(name, data):
    parse, sample = SAMPLES[name]
    _only_malformed(parse, data)
    _only_malformed(parse, sample[:2] + data)  # right outer tag, random inside


@pytest.mark.parametrize("name", sorted(SAMPLES))
@FUZZ
@given(data=st.data())
def test_mutated_samples(name, data):
    parse, sample = SAMPLES[name]
    _only_malformed(parse, data.draw(mutated(sample)))


@FUZZ
@given(data=st.data())
def test_passive_verify_never_raises_on_mutated_sod(data):
    raw = data.draw(mutated(_CHIP.sod))
    dgs = {n: d for n, d in _CHIP.dgs.items() if n != 3}
    report = passive.verify(raw, dgs, _STORE, now=dt.datetime(2026, 11, 27, tzinfo=dt.UTC))
    if raw != _CHIP.sod:
        assert not report.ok or sod.parse(raw).dg_hashes == sod.parse(_CHIP.sod).dg_hashes


@FUZZ
@given(nonce=st.binary(min_size=8, max_size=8), sig=st.binary(max_size=300))
def test_active_verify_never_raises(nonce, sig):
    for key in (_PKI.aa_rsa_key.public_key(), _PKI.aa_ec_key.public_key()):
        assert not active.verify(key, nonce, sig).ok


@FUZZ
@given(data=st.data())
def test_to_identity_raises_only_card_errors(data):
    raw = data.draw(mutated(_CHIP.dgs[13]))
    try:
        dg13.to_identity(dg13.parse(raw), dg1.parse(_CHIP.dgs[1]))
    except CardError:
        pass


_STORE = CscaStore([_PKI.csca_cert])
