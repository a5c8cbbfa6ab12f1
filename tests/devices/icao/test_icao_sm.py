"""Secure messaging: both ends in step over many APDUs, and every way a channel must fail."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.card.errors import CardError, SecureMessagingError
from devices.card.icao import tlv
from devices.card.icao.apdu import CommandApdu, ResponseApdu
from devices.card.icao.sm import AesSM, SecureMessaging, TripleDesSM, derive_key, make_sm

H = bytes.fromhex
KEY_A, KEY_B = H("979EC13B1CBFE9DCD01AB0FED307EAE5"), H("F1CB1F1FB5ADF208806B89DC579DC1F8")


def pair(kind: str, ssc: int = 0) -> tuple[SecureMessaging, SecureMessaging]:
    cls = TripleDesSM if kind == "3des" else AesSM
    return cls(KEY_A, KEY_B, ssc), cls(KEY_A, KEY_B, ssc)


commands = st.builds(
    CommandApdu,
    cla=st.sampled_from([0x00, 0x10]),
    ins=st.integers(0, 0xFF),
    p1=st.integers(0, 0xFF),
    p2=st.integers(0, 0xFF),
    data=st.binary(max_size=200),
    le=st.one_of(st.none(), st.integers(1, 256), st.integers(257, 65536)),
)
responses = st.builds(
    ResponseApdu,
    data=st.binary(max_size=300),
    sw=st.sampled_from([0x9000, 0x6282, 0x6A82, 0x6982, 0x6B00]),
)


@pytest.mark.parametrize("kind", ["3des", "aes"])
@settings(max_examples=30, deadline=None)
@given(exchanges=st.lists(st.tuples(commands, responses), min_size=1, max_size=12))
def test_terminal_and_card_stay_in_step(kind: str, exchanges) -> None:
    terminal, card = pair(kind, ssc=(1 << 64) - 3)  # also crosses the 64-bit boundary
    for cmd, resp in exchanges:
        protected = terminal.protect(cmd)
        extended = not protected.fits_short()
        wire = CommandApdu.parse(protected.to_bytes(extended=extended))
        assert card.unprotect_command(wire) == cmd
        assert terminal.unprotect(card.protect_response(resp)) == resp
        assert terminal.ssc == card.ssc


def test_ssc_wraps_within_its_width() -> None:
    terminal, card = pair("3des", ssc=(1 << 64) - 1)
    card.unprotect_command(terminal.protect(CommandApdu(0, 0xB0, 0, 0, le=4)))
    assert terminal.ssc == card.ssc == 0
    aes_terminal, _ = pair("aes", ssc=(1 << 128) - 1)
    aes_terminal.protect(CommandApdu(0, 0xB0, 0, 0, le=4))
    assert aes_terminal.ssc == 0


def test_odd_ins_uses_do85_and_le_above_256_uses_two_bytes() -> None:
    terminal, card = pair("aes")
    cmd = CommandApdu(0x00, 0xB1, 0x01, 0x1E, H("5402 0000"), le=1000)
    protected = terminal.protect(cmd)
    tags = [tag for tag, _ in tlv.decode_all(protected.data)]
    assert tags == [0x85, 0x97, 0x8E]
    assert tlv.find(protected.data, 0x97) == (1000).to_bytes(2, "big")
    assert protected.le == 65536
    assert card.unprotect_command(protected) == cmd
    raw = card.protect_response(ResponseApdu(b"\x53\x02ab", 0x9000))
    assert tlv.decode_one(raw)[0] == 0x85
    assert terminal.unprotect(raw).data == b"\x53\x02ab"


@pytest.mark.parametrize("kind", ["3des", "aes"])
def test_a_tampered_response_mac_is_refused(kind: str) -> None:
    terminal, card = pair(kind)
    card.unprotect_command(terminal.protect(CommandApdu(0, 0xB0, 0, 0, le=4)))
    raw = bytearray(card.protect_response(ResponseApdu(b"1234", 0x9000)))
    raw[-3] ^= 0x01  # last MAC byte
    with pytest.raises(SecureMessagingError):
        terminal.unprotect(bytes(raw))


@pytest.mark.parametrize("kind", ["3des", "aes"])
def test_a_tampered_cryptogram_or_status_is_refused(kind: str) -> None:
    for index in (3, -13):  # inside DO'87', inside DO'99'
        terminal, card = pair(kind)
        card.unprotect_command(terminal.protect(CommandApdu(0, 0xB0, 0, 0, le=4)))
        raw = bytearray(card.protect_response(ResponseApdu(b"1234", 0x9000)))
        raw[index] ^= 0x40
        with pytest.raises(SecureMessagingError):
            terminal.unprotect(bytes(raw))


def test_a_response_without_mac_is_refused() -> None:
    terminal, _ = pair("aes")
    terminal.protect(CommandApdu(0, 0xB0, 0, 0, le=4))
    with pytest.raises(SecureMessagingError):
        terminal.unprotect(tlv.encode(0x99, H("9000")) + H("9000"))
    terminal.protect(CommandApdu(0, 0xB0, 0, 0, le=4))
    with pytest.raises(SecureMessagingError):
        terminal.unprotect(H("9000"))  # success without any data objects


@pytest.mark.parametrize("sw", ["6987", "6988"])
def test_sm_error_status_words_raise(sw: str) -> None:
    terminal, card = pair("3des")
    terminal.protect(CommandApdu(0, 0xB0, 0, 0, le=4))
    with pytest.raises(SecureMessagingError):
        terminal.unprotect(H(sw))
    # and the card sends them plain
    assert card.protect_response(ResponseApdu(b"", int(sw, 16))) == H(sw)


@pytest.mark.parametrize("sw", ["6A82", "6982", "6B00", "6D00", "63C2"])
def test_a_plain_error_status_is_returned_without_counting_it(sw: str) -> None:
    """Some chips never protect their errors (JMRTD's rule): the status comes back as it is and
    the counter does not move, because the chip did not count an answer it did not protect."""
    terminal, card = pair("aes")
    card.unprotect_command(terminal.protect(CommandApdu(0, 0xA4, 2, 0x0C, H("0103"))))
    assert terminal.unprotect(H(sw)) == ResponseApdu(b"", int(sw, 16))
    assert terminal.ssc == 1
    # the channel goes on: the next command and its protected answer are in step
    card.unprotect_command(terminal.protect(CommandApdu(0, 0xB0, 0, 0, le=4)))
    raw = card.protect_response(ResponseApdu(b"abcd", 0x9000))
    assert terminal.unprotect(raw) == ResponseApdu(b"abcd", 0x9000)


@pytest.mark.parametrize("sw", ["9000", "6282", "6100"])
def test_a_plain_success_inside_the_channel_is_refused(sw: str) -> None:
    """An unauthenticated status may only stop something: "done" or "end of file" unprotected
    could be injected by anything between the card and the kiosk."""
    terminal, card = pair("aes")
    card.unprotect_command(terminal.protect(CommandApdu(0, 0xA4, 2, 0x0C, H("0103"))))
    with pytest.raises(SecureMessagingError):
        terminal.unprotect(H(sw))
    # ...while the same status protected by the card goes through
    terminal, card = pair("aes")
    card.unprotect_command(terminal.protect(CommandApdu(0, 0xA4, 2, 0x0C, H("0103"))))
    raw = card.protect_response(ResponseApdu(b"", int(sw, 16)))
    assert terminal.unprotect(raw) == ResponseApdu(b"", int(sw, 16))


@pytest.mark.parametrize("kind", ["3des", "aes"])
def test_a_response_without_do99_takes_its_status_from_the_trailer(kind: str) -> None:
    terminal, card = pair(kind)
    card.unprotect_command(terminal.protect(CommandApdu(0, 0xB0, 0, 0, le=4)))
    raw = card.protect_response(ResponseApdu(b"1234", 0x6282), with_status=False)
    assert tlv.encode(0x99, H("6282")) not in raw
    assert terminal.unprotect(raw) == ResponseApdu(b"1234", 0x6282)


@pytest.mark.parametrize("kind", ["3des", "aes"])
def test_a_response_without_do99_and_a_bad_mac_is_refused(kind: str) -> None:
    terminal, card = pair(kind)
    card.unprotect_command(terminal.protect(CommandApdu(0, 0xB0, 0, 0, le=4)))
    raw = bytearray(card.protect_response(ResponseApdu(b"1234", 0x9000), with_status=False))
    raw[3] ^= 0x01  # inside the cryptogram, which the MAC covers
    with pytest.raises(SecureMessagingError):
        terminal.unprotect(bytes(raw))


@pytest.mark.parametrize("kind", ["3des", "aes"])
def test_the_card_refuses_bad_commands(kind: str) -> None:
    terminal, card = pair(kind)
    protected = terminal.protect(CommandApdu(0, 0xB0, 0, 0, le=4))
    forged = CommandApdu(protected.cla, protected.ins, protected.p1 ^ 1, protected.p2,
                         protected.data, protected.le)
    with pytest.raises(SecureMessagingError):
        card.unprotect_command(forged)  # header is covered by the MAC
    with pytest.raises(SecureMessagingError):
        card.unprotect_command(CommandApdu(0x00, 0xB0, 0, 0, le=4))  # not protected at all
    with pytest.raises(SecureMessagingError):
        card.unprotect_command(CommandApdu(0x0C, 0xB0, 0, 0, tlv.encode(0x97, b"\x04"), 256))


def test_a_replayed_command_is_refused() -> None:
    terminal, card = pair("aes")
    protected = terminal.protect(CommandApdu(0, 0xB0, 0, 0, le=4))
    card.unprotect_command(protected)
    with pytest.raises(SecureMessagingError):
        card.unprotect_command(protected)


@pytest.mark.parametrize("kind", ["3des", "aes"])
@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=80))
def test_random_answers_raise_only_card_errors(kind: str, raw: bytes) -> None:
    terminal, _ = pair(kind)
    terminal.protect(CommandApdu(0, 0xB0, 0, 0, le=4))
    try:
        terminal.unprotect(raw)
    except CardError:
        pass


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=80), cla=st.integers(0, 0xFF), ins=st.integers(0, 0xFF))
def test_random_commands_raise_only_card_errors(data: bytes, cla: int, ins: int) -> None:
    _, card = pair("aes")
    try:
        card.unprotect_command(CommandApdu(cla, ins, 0, 0, data, 256))
    except CardError:
        pass


@settings(max_examples=150, deadline=None)
@given(
    position=st.integers(0, 200), flip=st.integers(1, 255), kind=st.sampled_from(["3des", "aes"])
)
def test_any_single_byte_change_in_a_response_is_caught(
    position: int, flip: int, kind: str
) -> None:
    terminal, card = pair(kind)
    card.unprotect_command(terminal.protect(CommandApdu(0, 0xB0, 0, 0, le=20)))
    raw = bytearray(card.protect_response(ResponseApdu(b"personal data here!", 0x9000)))
    position %= len(raw) - 2  # the trailer SW is not protected; DO'99' is
    raw[position] ^= flip
    with pytest.raises(CardError):
        terminal.unprotect(bytes(raw))


def test_kdf_variants() -> None:
    # AES-128 vectors are ICAO 9303-11 Appendix G.1 (see test_icao_worked_examples).
    shared = H("28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925")
    assert derive_key(shared, 1, "aes128") == H("F5F0E35C0D7161EE6724EE513A0D9A7F")
    assert len(derive_key(shared, 1, "aes256")) == 32
    assert derive_key(shared, 1, "aes192") == derive_key(shared, 1, "aes256")[:24]
    assert derive_key(shared, 1, "aes128", nonce=b"x") != derive_key(shared, 1, "aes128")
    assert all(bin(b).count("1") % 2 for b in derive_key(shared, 1, "3des"))
    with pytest.raises(ValueError):
        derive_key(shared, 1, "rc4")  # type: ignore[arg-type]
    assert isinstance(make_sm("3des", shared), TripleDesSM)
    assert isinstance(make_sm("aes128", shared), AesSM)


def test_aes_256_against_an_independent_implementation() -> None:
    """Not an ICAO vector (ICAO publishes no AES trace): a chip exchange recorded in gmrtd's
    tests (TestNfcSessionSecureMessagingAES, AES-256 keys, SSC 0x20), reading EF.COM."""
    channel = AesSM(H("74B94F408BBB2CD92571FD5B6370A94CCE7A2FA42AE3EB4DA47B97CE6EAA24C6"),
                    H("9E28D5D9FF1D979BE752E8926BF0E1D35A440FC0AEFC4AA3BC5610055AC8B113"), 0x20)
    steps = [
        (CommandApdu(0, 0xA4, 2, 0x0C, H("011E")),
         "0CA4020C1D8711011D35E7EB510E21A0DD12380D9AD2B92D8E0828CB68B81D3FAFC000",
         "990290008E08E083EAA61ADABFCE9000", ""),
        (CommandApdu(0, 0xB0, 0, 0, le=4), "0CB000000D9701048E084AFC933E0CDBE5F000",
         "871101D8059A9CF835105082CA2B1837E4AEC0990290008E08B36DB56761D706BB9000", "60185F01"),
        (CommandApdu(0, 0xB0, 0, 4, le=0x16), "0CB000040D9701168E0811F7EFC907D1F27400",
         "87210142E919C115FAF69350B01813D77A9E8D91912A7F717AFD073F199070E61B79C699029000"
         "8E083382E3D983F441369000", "04303130385F36063034303030305C06617563766D6E"),
    ]
    for plain, protected, answer, data in steps:
        assert channel.protect(plain).to_bytes().hex().upper() == protected
        assert channel.unprotect(H(answer)).data.hex().upper() == data
    assert channel.ssc == 0x26


def test_repr_hides_keys() -> None:
    terminal, _ = pair("aes")
    assert KEY_A.hex() not in repr(terminal).lower() and "AesSM" in repr(terminal)
