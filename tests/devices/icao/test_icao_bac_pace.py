"""BAC and PACE: terminal and card objects against each other, and every refusal path."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icao_helpers import run

from devices.card.errors import (
    AccessDenied,
    CardError,
    MalformedData,
    SecureMessagingError,
    UnsupportedOperation,
)
from devices.card.icao import tlv
from devices.card.icao.apdu import CommandApdu, ResponseApdu
from devices.card.icao.bac import BacCard, BacTerminal, mrz_information, mrz_key_seed
from devices.card.icao.card_access import (
    PACE_ECDH_GM_3DES,
    PACE_ECDH_GM_AES_128,
    PACE_ECDH_GM_AES_256,
    PaceInfo,
)
from devices.card.icao.pace import (
    PASSWORD_CAN,
    PASSWORD_MRZ,
    PaceCard,
    PaceTerminal,
    can_password,
    mrz_password,
    supported_pace_info,
)
from devices.card.icao.sm import AesSM, TripleDesSM

CCCD_INFO = PaceInfo(PACE_ECDH_GM_AES_128, 2, 13)  # what CCCD cards advertise (cccd.md §4)


def seeded(seed: int):
    """Deterministic randomness for a test; a different stream per side."""
    gen = random.Random(seed)
    return lambda n: gen.randbytes(n)


def pace_after(steps: int) -> tuple[PaceTerminal, PaceCard, CommandApdu]:
    """A CCCD-like PACE terminal and card (seeded), ``steps`` exchanges in: the next command."""
    terminal = PaceTerminal(b"123456", PASSWORD_CAN, CCCD_INFO, seeded(1))
    card = PaceCard({PASSWORD_CAN: b"123456"}, [CCCD_INFO], seeded(2))
    cmd = terminal.start()
    for _ in range(steps):
        cmd = terminal.step(card.process(cmd))
    return terminal, card, cmd


def exchange_many(terminal_sm, card_sm, count: int = 20) -> None:
    for i in range(count):
        cmd = CommandApdu(0x00, 0xB0, i, 0, le=0xDF)
        assert card_sm.unprotect_command(terminal_sm.protect(cmd)) == cmd
        resp = ResponseApdu(bytes([i]) * (i * 7), 0x9000)
        assert terminal_sm.unprotect(card_sm.protect_response(resp)) == resp
    assert terminal_sm.ssc == card_sm.ssc


# ---- BAC -------------------------------------------------------------------------------------

def test_bac_with_a_cccd_mrz() -> None:
    # cccd.md §5: key material "1950123452 9503146 3503144".
    assert mrz_information("195012345", "950314", "350314") == "195012345295031463503144"
    seed = mrz_key_seed("195012345", "950314", "350314")
    terminal, card = BacTerminal(seed, seeded(1)), BacCard(seed, seeded(2))
    assert [c for c, _ in run(terminal, card)][0] == "0084000008"
    assert isinstance(terminal.result, TripleDesSM) and card.result is not None
    exchange_many(terminal.result, card.result)


def test_bac_wrong_key_is_access_denied() -> None:
    card = BacCard(mrz_key_seed("195012345", "950314", "350314"), seeded(2))
    terminal = BacTerminal(mrz_key_seed("195012345", "950315", "350314"), seeded(1))
    with pytest.raises(AccessDenied) as caught:
        run(terminal, card)
    assert caught.value.sw == 0x6300
    assert "195012345" not in str(caught.value) and "950315" not in str(caught.value)
    assert card.result is None
    with pytest.raises(RuntimeError):
        terminal.result


def test_bac_card_refuses_replay_and_bad_requests() -> None:
    seed = mrz_key_seed("195012345", "950314", "350314")
    card = BacCard(seed, seeded(2))
    assert card.process(CommandApdu(0, 0x82, 0, 0, b"\x00" * 40, 40)).sw == 0x6985
    assert card.process(CommandApdu(0, 0x84, 0, 0, le=4)).sw == 0x6700
    terminal = BacTerminal(seed, seeded(1))
    auth = terminal.step(card.process(terminal.start()))
    assert auth is not None
    assert card.process(auth).ok
    assert card.process(auth).sw == 0x6985  # one attempt per challenge
    assert card.process(CommandApdu(0, 0xCA, 0, 0)).sw == 0x6D00


def test_bac_terminal_rejects_bad_card_answers() -> None:
    seed = mrz_key_seed("195012345", "950314", "350314")
    terminal = BacTerminal(seed, seeded(1))
    terminal.start()
    with pytest.raises(UnsupportedOperation):
        terminal.step(bytes.fromhex("6D00"))
    terminal = BacTerminal(seed, seeded(1))
    terminal.start()
    with pytest.raises(MalformedData):
        terminal.step(bytes.fromhex("01029000"))
    terminal, card = BacTerminal(seed, seeded(1)), BacCard(seed, seeded(2))
    auth = terminal.step(card.process(terminal.start()))
    answer = bytearray(card.process(auth).to_bytes())
    answer[5] ^= 1
    with pytest.raises(SecureMessagingError):
        terminal.step(bytes(answer))
    with pytest.raises(RuntimeError):
        terminal.step(b"\x90\x00")


@settings(max_examples=100, deadline=None)
@given(raws=st.lists(st.binary(max_size=50), min_size=2, max_size=2))
def test_bac_terminal_random_answers_raise_only_card_errors(raws: list[bytes]) -> None:
    terminal = BacTerminal(mrz_key_seed("195012345", "950314", "350314"), seeded(1))
    terminal.start()
    try:
        for raw in raws:
            terminal.step(raw)
    except CardError:
        pass


# ---- PACE ------------------------------------------------------------------------------------

def test_pace_can_round_trip_cccd_parameters() -> None:
    terminal = PaceTerminal(can_password("012345"), PASSWORD_CAN, CCCD_INFO, seeded(3))
    card = PaceCard({PASSWORD_CAN: b"012345"}, [CCCD_INFO], seeded(4))
    transcript = run(terminal, card)
    assert [c[:4] for c, _ in transcript] == ["0022", "1086", "1086", "1086", "0086"]
    assert isinstance(terminal.result, AesSM) and card.result is not None
    exchange_many(terminal.result, card.result)


def test_pace_wrong_can_is_access_denied_with_a_plain_message() -> None:
    terminal = PaceTerminal(can_password("012346"), PASSWORD_CAN, CCCD_INFO, seeded(3))
    card = PaceCard({PASSWORD_CAN: b"012345"}, [CCCD_INFO], seeded(4))
    with pytest.raises(AccessDenied) as caught:
        run(terminal, card)
    assert caught.value.sw == 0x6300
    message = str(caught.value)
    assert "access number" in message and "QR code" in message and "012346" not in message
    assert card.result is None


def test_pace_wrong_mrz_is_access_denied() -> None:
    good = mrz_password("195012345", "950314", "350314")
    bad = mrz_password("195012345", "950314", "350315")
    terminal = PaceTerminal(bad, PASSWORD_MRZ, CCCD_INFO, seeded(3))
    with pytest.raises(AccessDenied):
        run(terminal, PaceCard({PASSWORD_MRZ: good}, [CCCD_INFO], seeded(4)))


@pytest.mark.parametrize("parameter_id", range(8, 19))
def test_pace_on_every_standard_curve(parameter_id: int) -> None:
    info = PaceInfo(PACE_ECDH_GM_AES_128, 2, parameter_id)
    terminal = PaceTerminal(b"123456", PASSWORD_CAN, info, seeded(parameter_id))
    card = PaceCard({PASSWORD_CAN: b"123456"}, [info], seeded(-parameter_id))
    run(terminal, card)
    exchange_many(terminal.result, card.result, count=2)


@pytest.mark.parametrize(("oid", "kind"), [(PACE_ECDH_GM_3DES, TripleDesSM),
                                           (PACE_ECDH_GM_AES_256, AesSM)])
def test_pace_other_ciphers(oid: str, kind: type) -> None:
    info = PaceInfo(oid, 2, 13)
    terminal = PaceTerminal(b"123456", PASSWORD_CAN, info, seeded(5))
    card = PaceCard({PASSWORD_CAN: b"123456"}, [info], seeded(6))
    run(terminal, card)
    assert isinstance(terminal.result, kind)
    exchange_many(terminal.result, card.result)


def test_pace_unsupported_choices() -> None:
    with pytest.raises(UnsupportedOperation):
        PaceTerminal(b"1", PASSWORD_CAN, PaceInfo("0.4.0.127.0.7.2.2.4.1.2", 2, 0), seeded(1))
    with pytest.raises(UnsupportedOperation):
        PaceTerminal(b"1", PASSWORD_CAN, PaceInfo(PACE_ECDH_GM_AES_128, 2, 99), seeded(1))
    # A card without the MRZ password refuses MSE:Set AT; the terminal says "fall back".
    terminal = PaceTerminal(b"x" * 20, PASSWORD_MRZ, CCCD_INFO, seeded(1))
    card = PaceCard({PASSWORD_CAN: b"123456"}, [CCCD_INFO], seeded(2))
    with pytest.raises(UnsupportedOperation) as caught:
        run(terminal, card)
    assert caught.value.sw == 0x6A88
    # A card that offers a different protocol answers 6A80.
    other = PaceCard({PASSWORD_CAN: b"123456"}, [PaceInfo(PACE_ECDH_GM_3DES, 2, 13)], seeded(2))
    assert other.process(PaceTerminal(b"123456", PASSWORD_CAN, CCCD_INFO).start()).sw == 0x6A80
    with pytest.raises(ValueError):
        can_password("12a456")


def test_pace_card_refuses_out_of_order_and_bad_points() -> None:
    card = PaceCard({PASSWORD_CAN: b"123456"}, [CCCD_INFO], seeded(2))
    ga = CommandApdu(0x10, 0x86, 0, 0, bytes.fromhex("7C00"), 256)
    assert card.process(ga).sw == 0x6985  # no MSE:Set AT yet
    terminal = PaceTerminal(b"123456", PASSWORD_CAN, CCCD_INFO, seeded(1))
    assert card.process(terminal.start()).ok
    assert card.process(CommandApdu(0x00, 0x86, 0, 0, bytes.fromhex("7C00"), 256)).sw == 0x6985
    assert card.process(terminal.start()).ok
    assert card.process(ga).ok
    off_curve = tlv.encode(0x7C, tlv.encode(0x81, b"\x04" + b"\x01" * 64))
    assert card.process(CommandApdu(0x10, 0x86, 0, 0, off_curve, 256)).sw == 0x6A80
    assert card.process(ga).sw == 0x6985  # the failed exchange reset the card
    assert card.process(CommandApdu(0, 0x22, 0xC1, 0xA4, b"\x80\x05")).sw == 0x6A80


def test_pace_terminal_rejects_bad_card_keys_and_tokens() -> None:
    terminal, _, _ = pace_after(2)
    bogus = tlv.encode(0x7C, tlv.encode(0x82, b"\x04" + b"\x02" * 64)) + b"\x90\x00"
    with pytest.raises(MalformedData):
        terminal.step(bogus)
    # A card that echoes the terminal's ephemeral key is refused (ICAO 9303-11 §4.4.3.4).
    terminal, _, cmd = pace_after(3)
    own = tlv.find(tlv.decode_one(cmd.data)[1], 0x83)
    with pytest.raises(MalformedData):
        terminal.step(tlv.encode(0x7C, tlv.encode(0x84, own)) + b"\x90\x00")


def test_pace_terminal_rejects_a_wrong_card_token() -> None:
    terminal, _, _ = pace_after(4)
    with pytest.raises(SecureMessagingError):
        terminal.step(tlv.encode(0x7C, tlv.encode(0x86, b"\x00" * 8)) + b"\x90\x00")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(step=st.integers(1, 4), raw=st.binary(max_size=90))
def test_pace_terminal_random_answers_raise_only_card_errors(step: int, raw: bytes) -> None:
    terminal, _, _ = pace_after(step)
    try:
        terminal.step(raw)
    except CardError:
        pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(step=st.integers(0, 4), data=st.binary(max_size=90), cla=st.sampled_from([0x00, 0x10]))
def test_pace_card_never_raises_on_random_commands(step: int, data: bytes, cla: int) -> None:
    _, card, _ = pace_after(step)
    answer = card.process(CommandApdu(cla, 0x86, 0, 0, data, 256))
    assert isinstance(answer, ResponseApdu)


def test_supported_pace_info_picks_the_first_runnable_entry() -> None:
    im = PaceInfo("0.4.0.127.0.7.2.2.4.4.2", 2, 13)  # integrated mapping: not implemented
    odd_curve = PaceInfo(PACE_ECDH_GM_AES_128, 2, 2)  # a DH group id: not an ECDH curve
    assert supported_pace_info([im, odd_curve, CCCD_INFO]) == CCCD_INFO
    assert supported_pace_info([im, odd_curve]) is None
    assert supported_pace_info([]) is None
