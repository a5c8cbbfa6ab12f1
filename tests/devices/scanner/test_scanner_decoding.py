"""The scanners' decoders on their own: framing, key events, HID-POS reports, mangled CCCD codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.scanner.framing import Framer, parse_affix
from devices.scanner.hidpos import HidPosFramer, find_hidraw, scanned_data_reports
from devices.scanner.keymap import KEY_CODES, KeyDecoder
from devices.scanner.results import looks_mangled, to_scan_result
from devices.scanner.base import Scanned
from devices.scanner.synthetic import key_events

codes = st.lists(st.binary(min_size=1, max_size=300).filter(lambda b: b"\r" not in b
                                                            and b.strip(b"\r\n")), max_size=6)


@given(codes, st.integers(min_value=1, max_value=64))
def test_framer_cuts_at_the_suffix_however_the_bytes_arrive(frames, chunk):
    framer = Framer(prefix=b"", suffix=b"\r", idle_s=10.0)
    stream = b"".join(f + b"\r" for f in frames)
    out = []
    for i in range(0, len(stream), chunk):
        out += framer.feed(stream[i:i + chunk], now=0.0)
    assert out == [f.strip(b"\r\n") for f in frames]


def test_framer_without_a_suffix_ends_a_code_after_a_pause():
    framer = Framer(suffix=b"", idle_s=0.1)
    assert framer.feed(b"ABC", now=1.0) == []
    assert framer.flush_if_idle(now=1.05) == []
    assert framer.flush_if_idle(now=1.2) == [b"ABC"]
    assert framer.feed(b"X", now=2.0) == [] and framer.feed(b"Y", now=3.0) == [b"X"]


def test_framer_strips_the_prefix_and_caps_the_length():
    framer = Framer(prefix=b"\x02", suffix=b"\r\n", idle_s=1.0, max_bytes=8)
    assert framer.feed(b"\x02HELLO\r\n", 0.0) == [b"HELLO"]
    assert framer.feed(b"0123456789ABCDEF", 0.0) == [b"012345678"]


@pytest.mark.parametrize("text, expected", [("CR", b"\r"), ("crlf", b"\r\n"), ("NONE", b""),
                                            ("\\x02", b"\x02"), ("TAB", b"\t"), ("#", b"#")])
def test_affixes_by_name_or_escape(text, expected):
    assert parse_affix(text) == expected


def test_the_keymap_uses_the_kernels_key_codes():
    ecodes = pytest.importorskip("evdev").ecodes
    assert KEY_CODES[ecodes.KEY_Q] == ("q", "Q") and KEY_CODES[ecodes.KEY_M] == ("m", "M")
    assert KEY_CODES[ecodes.KEY_1] == ("1", "!") and KEY_CODES[ecodes.KEY_SLASH] == ("/", "?")
    assert KEY_CODES[ecodes.KEY_ENTER] == ("\r", "\r") and KEY_CODES[ecodes.KEY_KP5][0] == "5"
    assert KEY_CODES[ecodes.KEY_APOSTROPHE] == ("'", '"')


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=200))
def test_key_events_type_back_to_the_same_ascii_text(text):
    decoder = KeyDecoder()
    assert "".join(decoder.feed(*e) for e in key_events(text)) == text + "\r"


def test_caps_lock_and_shift_cancel_for_letters_only():
    decoder = KeyDecoder()
    typed = [(1, 58, 1), (1, 58, 0), (1, 30, 1), (1, 42, 1), (1, 30, 1), (1, 2, 1), (1, 42, 0)]
    assert "".join(decoder.feed(*e) for e in typed) == "Aa!"


def test_a_keyboard_drops_vietnamese_letters():
    decoder = KeyDecoder()
    assert "".join(decoder.feed(*e) for e in key_events("Nữ Trần")) == "N Trn\r"


@given(st.binary(max_size=500))
def test_hidpos_reports_join_back_to_the_code(code):
    framer = HidPosFramer(idle_s=10.0)
    out = []
    for report in scanned_data_reports(code):
        assert len(report) == 64
        out += framer.feed(report, 0.0)
    assert out == ([code] if code else [])


def test_hidpos_ignores_other_reports_and_flushes_a_lost_ending():
    framer = HidPosFramer(idle_s=0.2)
    assert framer.feed(b"\x01\x05hello", 0.0) == []
    first = scanned_data_reports(b"A" * 100, aim=b"")[0]
    assert framer.feed(first, 0.0) == [] and framer.flush_if_idle(0.5) == [b"A" * 61]


def test_hidraw_found_by_usb_id(tmp_path):
    node = tmp_path / "hidraw3" / "device"
    node.mkdir(parents=True)
    (node / "uevent").write_text("DRIVER=hid-generic\nHID_ID=0003:00000C2E:00000B61\n")
    assert find_hidraw("0c2e:0b61", tmp_path) == "/dev/hidraw3"
    assert find_hidraw("0c2e:0b62", tmp_path) is None
    with pytest.raises(ValueError, match="vendor:product"):
        find_hidraw("0c2e-0b61", tmp_path)


CCCD = ("001205067890||Nguyễn Văn Khang|02092005|Nam|Thôn Đông, Xã Vân Nội, Huyện Đông Anh, "
        "Hà Nội|15082021")


def test_mangled_cccd_codes_are_recognised():
    assert not looks_mangled(CCCD)
    typed = "".join(c for c in CCCD if c.isascii())
    assert looks_mangled(typed)
    assert looks_mangled(CCCD.replace("ễ", "?"))
    assert not looks_mangled("MCK1|H12.22.10-261127-0001|H12.22.10|261127|AB")
    assert not looks_mangled("001205067890|x|y")  # too few fields to be a card's code


@given(st.text(max_size=300))
def test_any_scanned_text_gives_a_result_never_an_exception(text):
    raw = text.encode("utf-8", "surrogatepass")
    result = to_scan_result(Scanned(raw.decode("utf-8", "replace"), raw, "serial"))
    assert (result.payload is None) != (result.error is None)
