"""The virtual chip answers like a CCCD: selection, file reads, access rules, BAC + SM, hostility."""

from __future__ import annotations

import pytest
from chip_helpers import BAC_SEED, CARD_ACCESS, SELECT_AID, plain_files, run_terminal, sm_send
from hypothesis import given
from hypothesis import strategies as st

from devices.card import errors
from devices.card.chip import ChipKeys, Hostile, InProcessTransport, VirtualChip
from devices.card.chip.files import EF_CARD_ACCESS, EF_SOD, dg_fid, read_range
from devices.card.icao import tlv
from devices.card.icao.apdu import CommandApdu, ResponseApdu
from devices.card.icao.bac import BacTerminal, mrz_key_seed
from devices.card.icao.sm import SecureMessaging


def select_ef(fid: int, cla: int = 0) -> CommandApdu:
    return CommandApdu(cla, 0xA4, 0x02, 0x0C, fid.to_bytes(2, "big"))


def read(offset: int, le: int) -> CommandApdu:
    return CommandApdu(0, 0xB0, offset >> 8, offset & 0xFF, le=le)


def send(chip: VirtualChip, cmd: CommandApdu | bytes, extended: bool = False) -> ResponseApdu:
    raw = cmd if isinstance(cmd, bytes) else cmd.to_bytes(extended)
    return ResponseApdu.parse(chip.process(raw))


def bac(chip: VirtualChip, seed: bytes = BAC_SEED) -> SecureMessaging:
    return run_terminal(chip, BacTerminal(seed))


def read_all(chip: VirtualChip, sm: SecureMessaging | None, fid: int, block: int = 0xDF) -> bytes:
    do = (lambda c: sm_send(chip, sm, c)) if sm else (lambda c: send(chip, c))
    assert do(select_ef(fid)).sw == 0x9000
    out = b""
    while True:
        resp = do(read(len(out), block))
        out += resp.data
        if resp.sw != 0x9000:
            assert resp.sw in (0x6282, 0x6B00)
            return out


# -- selection and free files ------------------------------------------------------------------


def test_select_master_file_is_refused_like_the_cccd(chip: VirtualChip) -> None:
    assert send(chip, bytes.fromhex("00A40000023F00")).sw == 0x6D00
    assert send(chip, bytes.fromhex("00A4000C023F00")).sw == 0x6D00


def test_card_access_reads_before_any_authentication_and_before_the_applet(chip: VirtualChip) -> None:
    assert read_all(chip, None, EF_CARD_ACCESS, block=7) == CARD_ACCESS


def test_select_unknown_aid_and_applet_files_before_the_applet(chip: VirtualChip) -> None:
    assert send(chip, bytes.fromhex("00A4040C07A0000002471002")).sw == 0x6A82
    assert send(chip, select_ef(dg_fid(1))).sw == 0x6A82  # applet not selected yet
    assert send(chip, SELECT_AID).sw == 0x9000
    assert send(chip, select_ef(dg_fid(1))).sw == 0x9000
    assert send(chip, select_ef(dg_fid(11))).sw == 0x6A82  # DG11 is absent on the CCCD


@pytest.mark.parametrize("fid", [0x011E, dg_fid(1), dg_fid(2), dg_fid(3), EF_SOD])
def test_applet_files_need_access_control(chip: VirtualChip, fid: int) -> None:
    send(chip, SELECT_AID)
    assert send(chip, select_ef(fid)).sw == 0x9000
    resp = send(chip, read(0, 4))
    assert (resp.sw, resp.data) == (0x6982, b"")


def test_read_without_a_selected_file_and_unknown_instruction(chip: VirtualChip) -> None:
    assert send(chip, read(0, 4)).sw == 0x6985
    assert send(chip, bytes.fromhex("00CA010100")).sw == 0x6D00
    assert send(chip, bytes.fromhex("80A4040C07A0000002471001")).sw == 0x6E00
    assert send(chip, bytes.fromhex("00A4")).sw == 0x6700


def test_extended_length_is_refused_unless_enabled() -> None:
    cmd = read(0, 1000)
    refusing = VirtualChip(plain_files(), ChipKeys())
    assert send(refusing, cmd, extended=True).sw == 0x6700
    willing = VirtualChip(plain_files(), ChipKeys(), extended_length=True)
    send(willing, select_ef(EF_CARD_ACCESS))
    resp = send(willing, cmd, extended=True)
    assert (resp.data, resp.sw) == (CARD_ACCESS, 0x6282)


def test_short_file_identifier_and_odd_read_binary(chip: VirtualChip) -> None:
    resp = send(chip, CommandApdu(0, 0xB0, 0x80 | 0x1C, 0x02, le=5))  # SFI 1C = EF.CardAccess
    assert (resp.data, resp.sw) == (CARD_ACCESS[2:7], 0x9000)
    resp = send(chip, CommandApdu(0, 0xB1, 0, 0, bytes.fromhex("540103"), le=8))
    assert resp.sw == 0x9000 and resp.data == b"\x53\x04" + CARD_ACCESS[3:7]
    assert send(chip, CommandApdu(0, 0xB1, 0, 0, b"\x99\x00", le=8)).sw == 0x6A80


@given(
    content=st.binary(max_size=600),
    offset=st.integers(min_value=0, max_value=700),
    ne=st.integers(min_value=1, max_value=256),
)
def test_read_range_follows_iso7816(content: bytes, offset: int, ne: int) -> None:
    data, sw = read_range(content, offset, ne)
    if offset >= len(content):
        assert (data, sw) == (b"", 0x6B00)
    else:
        assert data == content[offset : offset + ne]
        assert sw == (0x9000 if len(data) == ne else 0x6282)


# -- BAC and secure messaging --------------------------------------------------------------------


def test_bac_opens_the_files_over_secure_messaging(chip: VirtualChip) -> None:
    send(chip, SELECT_AID)
    sm = bac(chip)
    assert chip.auth_method == "BAC"
    files = plain_files()
    assert read_all(chip, sm, dg_fid(1)) == files[dg_fid(1)]
    assert read_all(chip, sm, EF_SOD, block=0x80) == files[EF_SOD]
    assert sm_send(chip, sm, select_ef(dg_fid(3))).sw == 0x9000
    assert sm_send(chip, sm, read(0, 8)).sw == 0x6982  # DG3 needs EAC, even after BAC


def test_error_answers_inside_a_session_are_protected(chip: VirtualChip) -> None:
    """A real ICAO chip MACs its errors (DO'99' + DO'8E'); only 6987/6988 go out plain."""
    send(chip, SELECT_AID)
    sm = bac(chip)
    for cmd, sw in ((select_ef(dg_fid(11)), 0x6A82),
                    (CommandApdu(0, 0xB0, 0x80 | 11, 0, le=4), 0x6A82),
                    (CommandApdu(0, 0xB0, 0x80 | 3, 0, le=4), 0x6982)):
        raw = chip.process(sm.protect(cmd).to_bytes())
        assert raw[-2:] == sw.to_bytes(2, "big")
        objects = [tag for tag, _ in tlv.decode_all(raw[:-2])]
        assert objects == [0x99, 0x8E]
        assert sm.unprotect(raw) == ResponseApdu(b"", sw)


def test_bac_with_the_wrong_key_is_refused(chip: VirtualChip) -> None:
    send(chip, SELECT_AID)
    with pytest.raises(errors.AccessDenied):
        bac(chip, mrz_key_seed("195012345", "950314", "350315"))
    assert not chip.authenticated


def test_a_wrong_mac_drops_the_session_like_a_real_chip(chip: VirtualChip) -> None:
    send(chip, SELECT_AID)
    sm = bac(chip)
    raw = bytearray(sm.protect(select_ef(dg_fid(1))).to_bytes())
    raw[-2] ^= 0xFF  # inside DO'8E'
    assert chip.process(bytes(raw)) == b"\x69\x88"
    assert not chip.authenticated
    assert send(chip, select_ef(dg_fid(1))).sw == 0x9000
    assert send(chip, read(0, 4)).sw == 0x6982


def test_a_plain_command_inside_a_session_ends_it(chip: VirtualChip) -> None:
    send(chip, SELECT_AID)
    bac(chip)
    assert send(chip, select_ef(dg_fid(1))).sw == 0x6987
    assert not chip.authenticated


def test_reset_forgets_the_session(chip: VirtualChip) -> None:
    send(chip, SELECT_AID)
    bac(chip)
    assert chip.reset() == chip.atr
    assert chip.atr[0] == 0x3B and not chip.authenticated


# -- hostile chips through the in-process transport ----------------------------------------------


def test_card_removed_after_n_apdus() -> None:
    chip = VirtualChip(plain_files(), ChipKeys(), hostile=Hostile("remove", after=2))
    transport = InProcessTransport(chip)
    assert transport.transmit(SELECT_AID)[-2:] == b"\x90\x00"
    transport.transmit(select_ef(EF_CARD_ACCESS).to_bytes())
    with pytest.raises(errors.CardRemoved):
        transport.transmit(read(0, 4).to_bytes())
    with pytest.raises(errors.CardRemoved):  # and it stays gone
        transport.transmit(SELECT_AID)


def test_slow_answers_time_out_without_waiting() -> None:
    chip = VirtualChip(plain_files(), ChipKeys(), hostile=Hostile("slow", delay_s=30.0))
    with pytest.raises(errors.CardTimeout):
        InProcessTransport(chip).transmit(SELECT_AID, timeout=1.0)
    assert InProcessTransport(chip).transmit(SELECT_AID, timeout=60.0)[-2:] == b"\x90\x00"


def test_truncated_wrong_sw_and_oversized_answers() -> None:
    truncating = InProcessTransport(VirtualChip(plain_files(), ChipKeys(), hostile=Hostile("truncate")))
    with pytest.raises(errors.CardRemoved):  # one byte left: no status word
        truncating.transmit(SELECT_AID)
    wrong = VirtualChip(plain_files(), ChipKeys(), hostile=Hostile.parse("wrong-sw:1:6A82"))
    assert wrong.process(SELECT_AID) == b"\x90\x00"
    assert wrong.process(SELECT_AID) == b"\x6a\x82"
    big = VirtualChip(plain_files(), ChipKeys(), hostile=Hostile.parse("oversize:0:40"))
    big.process(select_ef(EF_CARD_ACCESS).to_bytes())
    answer = big.process(read(0, 4).to_bytes())
    assert len(answer) == 4 + 40 + 2 and answer[:4] == CARD_ACCESS[:4]


def test_wrong_mac_mode_breaks_only_protected_answers(chip: VirtualChip) -> None:
    chip.hostile = Hostile("wrong-mac")
    send(chip, SELECT_AID)
    sm = bac(chip)  # the handshake itself is not secure messaging
    with pytest.raises(errors.SecureMessagingError):
        sm_send(chip, sm, select_ef(dg_fid(1)))


@pytest.mark.parametrize("spec", ["nonsense", "remove:x", "slow:0:fast", "remove:-1"])
def test_bad_hostile_specs_are_rejected(spec: str) -> None:
    with pytest.raises(ValueError):
        Hostile.parse(spec)


@given(st.binary(max_size=300))
def test_any_bytes_get_a_status_word_never_an_exception(apdu: bytes) -> None:
    chip = VirtualChip(plain_files(), ChipKeys(can="123456", bac_seed=BAC_SEED))
    assert len(chip.process(SELECT_AID)) == 2
    answer = chip.process(apdu)
    assert len(answer) >= 2


@given(st.binary(min_size=4, max_size=120))
def test_garbage_inside_a_session_never_leaks_files(tail: bytes) -> None:
    chip = VirtualChip(plain_files(), ChipKeys(bac_seed=BAC_SEED), rng=lambda n: bytes(n))
    send(chip, SELECT_AID)
    bac(chip)
    answer = chip.process(bytes([0x0C]) + tail)
    assert answer in (b"\x69\x87", b"\x69\x88") or chip.authenticated
    if not chip.authenticated:
        assert send(chip, read(0, 4)).sw in (0x6982, 0x6985)
