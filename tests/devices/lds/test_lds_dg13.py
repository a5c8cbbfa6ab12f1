"""DG13 (Vietnam): fields by number, missing and unknown fields, text forms, to_identity."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from devices.card.errors import MalformedData
from devices.card.lds import _der, dg1, dg13
from devices.card.lds._tlv import encode
from devices.card.lds.build_chip_files import dg13_from_profile
from kiosk.domain.identity import IdSource, Sex

FULL = dg13.Dg13Fields(
    id_number="079195012345", full_name="Trần Thị Minh Anh", date_of_birth_text="14/03/1995",
    sex_text="Nữ", nationality="Việt Nam", ethnicity="Kinh", religion="Không",
    place_of_origin="Xã Tân Hòa, Huyện Châu Thành, Tiền Giang",
    residence="Số 12 Lê Lợi, Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh",
    identifying_marks="Nốt ruồi", issue_date_text="10/05/2021", expiry_text="14/03/2035",
    father_name="Trần Văn Hùng", mother_name="Lê Thị Hoa", spouse_name="Phạm Quốc Bảo",
    old_id_number="025678901", chip_id="0123456789ABCDEF",
)


def _field(number: int, *values: bytes) -> bytes:
    return encode(0x30, _der.encode_int(number) + b"".join(values))


def _dg13(*fields: bytes) -> bytes:
    seq = _der.encode_int(1) + _der.encode_oid(dg13.UTF8_OID) + encode(0x31, b"".join(fields))
    return encode(0x6D, encode(0x30, seq))


def test_layout_matches_cccd_md():
    raw = dg13.build(FULL)
    assert raw[0] == 0x6D
    assert bytes.fromhex("020101 060628D316010008".replace(" ", "")) in raw


def test_round_trip_and_typed_values():
    parsed = dg13.parse(dg13.build(FULL))
    assert parsed == FULL
    assert parsed.date_of_birth == dt.date(1995, 3, 14)
    assert parsed.issue_date == dt.date(2021, 5, 10)
    assert parsed.expiry_date == dt.date(2035, 3, 14) and parsed.has_expiry is True
    assert parsed.sex is Sex.FEMALE


def test_repr_hides_personal_data():
    text = repr(FULL)
    assert "079195012345" not in text and "Trần" not in text and "1995" not in text
    assert "13" in text and "14" in text


def test_missing_fields_are_none():
    raw = _dg13(_field(1, encode(0x0C, b"001205067890")), _field(2, encode(0x0C, b"Khang")))
    parsed = dg13.parse(raw)
    assert parsed.id_number == "001205067890"
    assert parsed.spouse_name is None and parsed.father_name is None
    assert parsed.expiry_text is None and parsed.has_expiry is None and parsed.date_of_birth is None


def test_unknown_fields_are_kept_raw_and_rebuilt():
    extra = encode(0x0C, "thêm".encode()) + encode(0x02, b"\x07")
    raw = _dg13(_field(1, encode(0x0C, b"001205067890")), _field(42, extra), _field(17, b""))
    parsed = dg13.parse(raw)
    assert parsed.unknown == {42: extra, 17: b""}
    assert dg13.parse(dg13.build(parsed)) == parsed


def test_printable_strings_flat_parents_and_no_expiry_text():
    raw = _dg13(
        _field(12, encode(0x0C, "Không thời hạn".encode())),
        _field(1, encode(0x13, b"038050004217")),  # order does not matter
        _field(13, encode(0x0C, "Lê Văn Sáu".encode()), encode(0x0C, "Nguyễn Thị Tư".encode())),
        _field(14, encode(0x30, encode(0x0C, b""))),
        _field(3, encode(0x0C, b"20/06/1950")),
    )
    parsed = dg13.parse(raw)
    assert parsed.id_number == "038050004217"
    assert (parsed.father_name, parsed.mother_name) == ("Lê Văn Sáu", "Nguyễn Thị Tư")
    assert parsed.spouse_name is None
    assert parsed.has_expiry is False and parsed.expiry_date is None
    assert parsed.date_of_birth == dt.date(1950, 6, 20)


def test_text_is_normalised_to_nfc():
    decomposed = "Nguye\u0302\u0303n"
    parsed = dg13.parse(_dg13(_field(2, encode(0x0C, decomposed.encode()))))
    assert parsed.full_name == "Nguyễn"


@pytest.mark.parametrize("raw", [
    _dg13(_field(1, encode(0x0C, b"1")), _field(1, encode(0x0C, b"2"))),  # duplicate
    _dg13(encode(0x31, b"")),                                              # field not SEQUENCE
    encode(0x6D, encode(0x30, _der.encode_int(1))),                       # no OID, no SET
    encode(0x6E, b""),
])
def test_rejects(raw):
    with pytest.raises(MalformedData):
        dg13.parse(raw)


GOOD = (_field(1, encode(0x0C, b"079195012345")), _field(9, encode(0x0C, "Hà Nội".encode())))


@pytest.mark.parametrize("number,bad", [
    (2, encode(0x02, b"\x01")),                                  # not text
    (2, encode(0x0C, b"a") + encode(0x0C, b"b")),                # two values
    (2, encode(0x0C, b"\xff\xfe")),                              # bad UTF-8
    (2, encode(0x0C, "Trần\u0000Anh".encode())),                 # control character
    (2, encode(0x0C, "\u202eAnh Trần".encode())),                # direction override
    (2, encode(0x0C, "Tr\u200bần".encode())),                    # zero-width space
    (8, encode(0x0C, "Xã A\nHuyện B".encode())),                 # line break in an address
    (15, encode(0x0C, "０２５６７８９０１".encode())),              # full-width digits
    (3, encode(0x0C, "١٤/٠٣/١٩٩٥".encode())),                     # Arabic-Indic digits in a date
    (11, encode(0x0C, b"10/05/2099")),                            # issued in the future
])
def test_one_bad_field_is_rejected_and_the_others_kept(number, bad):
    parsed = dg13.parse(_dg13(*GOOD, _field(number, bad)), today=dt.date(2026, 1, 1))
    assert parsed.id_number == "079195012345" and parsed.residence == "Hà Nội"
    assert list(parsed.rejected) == [number]
    reason = parsed.rejected[number]
    assert "Trần" not in reason and "Anh" not in reason and "2099" not in reason
    assert str(number) in repr(parsed)


def test_an_issue_date_before_the_birth_is_rejected():
    parsed = dg13.parse(_dg13(_field(3, encode(0x0C, b"14/03/1995")),
                              _field(11, encode(0x0C, b"10/05/1990"))))
    assert parsed.date_of_birth == dt.date(1995, 3, 14)
    assert parsed.issue_date is None and 11 in parsed.rejected


def test_to_identity_from_profiles(profiles):
    for profile in profiles:
        fields = dg13.parse(dg13.build(dg13_from_profile(profile)))
        mrz = dg1.Dg1(dg1.Mrz.from_lines(profile.mrz()))
        assert dg13.to_identity(fields, mrz) == profile.identity(IdSource.CHIP)


def test_to_identity_falls_back_to_dg1_and_checks_agreement(anh):
    mrz = dg1.Dg1(dg1.Mrz.from_lines(anh.mrz()))
    identity = dg13.to_identity(dg13.Dg13Fields(), mrz)
    assert identity.id_number == "079195012345" and identity.sex is Sex.FEMALE
    assert identity.full_name == "TRAN THI MINH ANH" and identity.source is IdSource.CHIP
    # disagreement is reported by the reader (document.ChipDocument.consistency); DG13 wins
    other = dg13.to_identity(dataclasses.replace(FULL, id_number="001205067890"), mrz)
    assert other.id_number == "001205067890"
    with pytest.raises(MalformedData):
        dg13.to_identity(dg13.Dg13Fields())
