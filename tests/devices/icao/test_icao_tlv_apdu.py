"""BER-TLV and APDU encodings: known bytes, round trips, and fuzzed input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.card.errors import MalformedData
from devices.card.icao import tlv
from devices.card.icao.apdu import CommandApdu, ResponseApdu

H = bytes.fromhex


@pytest.mark.parametrize(
    ("tag", "value", "encoded"),
    [
        (0x80, b"", "8000"),
        (0x87, b"\x01" * 3, "8703010101"),
        (0x5F1F, b"A", "5F1F0141"),
        (0x7F49, b"\x00" * 0x80, "7F498180" + "00" * 0x80),
        (0x5F2E, b"\x00" * 0x100, "5F2E820100" + "00" * 0x100),
        (0x7F2E, b"\x00" * 0x10000, "7F2E83010000" + "00" * 0x10000),
        (0xBF8101, b"", "BF810100"),
    ],
)
def test_known_encodings(tag: int, value: bytes, encoded: str) -> None:
    assert tlv.encode(tag, value) == H(encoded)
    assert tlv.decode_one(H(encoded)) == (tag, value, len(H(encoded)))


def test_decode_accepts_non_minimal_lengths_and_finds_tags() -> None:
    assert tlv.decode_all(H("8181 02 AABB 8E00")) == [(0x81, H("AABB")), (0x8E, b"")]
    assert tlv.find(H("990290008E0100"), 0x8E) == b"\x00"
    assert tlv.find(H("99029000"), 0x8E) is None
    assert tlv.is_constructed(0x7C) and tlv.is_constructed(0x7F49)
    assert not tlv.is_constructed(0x5F1F)


@pytest.mark.parametrize(
    "raw",
    ["", "5F", "5F1F", "7F8181", "80", "8002AA", "8080", "8085FFFFFFFFFF", "8083FFFF",
     "9F81818181810100", "800100FF"],
)
def test_malformed_tlv_raises_malformed_data(raw: str) -> None:
    with pytest.raises(MalformedData):
        tlv.decode_all(H(raw)) if raw else tlv.decode_one(b"")


@pytest.mark.parametrize("tag", [-1, 0x1F, 0x5F05 | 0x80, 0x0101, 0x1_0000_0000])
def test_bad_tags_cannot_be_encoded(tag: int) -> None:
    with pytest.raises(ValueError):
        tlv.encode(tag, b"")


tags = st.one_of(
    st.integers(0, 0xFF).filter(lambda t: t & 0x1F != 0x1F),
    st.tuples(st.integers(0, 7), st.integers(0, 0x7F)).map(
        lambda t: ((t[0] << 5) | 0x1F) << 8 | t[1]
    ),
)


@given(st.lists(st.tuples(tags, st.binary(max_size=300)), max_size=5))
def test_round_trip(objects: list[tuple[int, bytes]]) -> None:
    assert tlv.decode_all(b"".join(tlv.encode(t, v) for t, v in objects)) == objects


@settings(max_examples=500)
@given(st.binary(max_size=64))
def test_random_bytes_raise_only_malformed_data(raw: bytes) -> None:
    try:
        tlv.decode_all(raw)
    except MalformedData:
        pass


# ---- APDUs -------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("apdu", "short", "extended"),
    [
        (CommandApdu(0x00, 0x84, 0, 0, le=8), "0084000008", "00840000000008"),
        (CommandApdu(0x00, 0xA4, 2, 0x0C, H("011E")), "00A4020C02011E", "00A4020C000002011E"),
        (CommandApdu(0x10, 0x86, 0, 0, H("7C00"), le=256), "10860000027C0000",
         "108600000000027C000100"),
        (CommandApdu(0x00, 0xB0, 0, 0, le=65536), None, "00B00000000000"),
        (CommandApdu(0x00, 0x22, 0xC1, 0xA4), "0022C1A4", "0022C1A4"),
    ],
)
def test_command_encodings(apdu: CommandApdu, short: str | None, extended: str) -> None:
    if short is None:
        with pytest.raises(ValueError):
            apdu.to_bytes()
    else:
        assert apdu.to_bytes() == H(short)
        assert CommandApdu.parse(H(short)) == apdu
    assert apdu.to_bytes(extended=True) == H(extended)
    assert CommandApdu.parse(H(extended)) == apdu


def test_le_zero_means_maximum_and_bad_fields_are_refused() -> None:
    assert CommandApdu(0, 0xB0, 0, 0, le=0).to_bytes() == H("00B0000000")
    assert CommandApdu.parse(H("00B0000000")).le == 256
    with pytest.raises(ValueError):
        CommandApdu(0x100, 0, 0, 0)
    with pytest.raises(ValueError):
        CommandApdu(0, 0, 0, 0, le=65537)
    with pytest.raises(ValueError):
        CommandApdu(0, 0, 0, 0, b"\x00" * 256).to_bytes()


commands = st.builds(
    CommandApdu, st.integers(0, 255), st.integers(0, 255), st.integers(0, 255),
    st.integers(0, 255), st.binary(max_size=600),
    st.one_of(st.none(), st.integers(1, 65536)),
)


@given(commands)
def test_command_round_trip(apdu: CommandApdu) -> None:
    assert CommandApdu.parse(apdu.to_bytes(extended=True)) == apdu
    if apdu.fits_short():
        assert CommandApdu.parse(apdu.to_bytes()) == apdu


@settings(max_examples=500)
@given(st.binary(max_size=300))
def test_random_commands_raise_only_malformed_data(raw: bytes) -> None:
    try:
        CommandApdu.parse(raw)
    except MalformedData:
        pass


def test_responses() -> None:
    resp = ResponseApdu.parse(H("60145F019000"))
    assert (resp.data, resp.sw, resp.sw1, resp.sw2) == (H("60145F01"), 0x9000, 0x90, 0)
    assert resp.ok
    assert resp.to_bytes() == H("60145F019000")
    assert "60145F01" not in repr(resp).upper()
    assert not ResponseApdu.parse(H("6A82")).ok
    with pytest.raises(MalformedData):
        ResponseApdu.parse(b"\x90")


@given(st.binary(max_size=40))
def test_random_responses_parse_or_raise_malformed_data(raw: bytes) -> None:
    try:
        assert ResponseApdu.parse(raw).to_bytes() == raw
    except MalformedData:
        assert len(raw) < 2
