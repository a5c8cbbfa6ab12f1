"""EF.COM and DG1 (MRZ) parse/build, with every check digit verified."""

from __future__ import annotations

import datetime as dt

import pytest

from devices.card.errors import MalformedData
from devices.card.lds import com, dg1
from devices.card.lds._tlv import encode

CCCD_TD1 = (
    "IDVNM1950123452079195012345<<2",
    "9503146F3503144VNM<<<<<<<<<<<2",
    "TRAN<<THI<MINH<ANH<<<<<<<<<<<<",
)
ICAO_TD3 = (  # ICAO 9303-4 specimen
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)


def test_com_round_trip_and_values():
    value = com.Com("0108", "040000", (1, 2, 3, 13, 14, 15))
    raw = com.build(value)
    assert raw.startswith(b"\x60")
    assert com.parse(raw) == value
    assert value.tags == (0x61, 0x75, 0x63, 0x6D, 0x6E, 0x6F)


def test_com_is_read_by_tag_not_offset():
    body = encode(0x5C, bytes([0x61, 0x6D])) + encode(0x5F36, b"040000") + encode(0x5F01, b"0107")
    assert com.parse(encode(0x60, body)).data_groups == (1, 13)


@pytest.mark.parametrize("raw", [
    encode(0x60, encode(0x5F01, b"0107")),                  # no tag list
    encode(0x60, encode(0x5C, b"\x99")),                     # unknown DG tag
    encode(0x61, encode(0x5C, b"\x61")),                     # wrong outer tag
    encode(0x60, encode(0x5C, b"\x61")) + b"\x00",           # trailing garbage
])
def test_com_rejects(raw):
    with pytest.raises(MalformedData):
        com.parse(raw)


def test_cccd_example_mrz_parses_with_check_digits():
    mrz = dg1.Mrz.from_lines(CCCD_TD1)
    assert mrz.format == "TD1"
    assert mrz.document_code == "ID" and mrz.issuing_state == "VNM"
    assert mrz.document_number == "195012345"
    assert mrz.id_number == "079195012345"
    assert (mrz.birth_yymmdd, mrz.sex, mrz.expiry_yymmdd) == ("950314", "F", "350314")
    assert mrz.nationality == "VNM"
    assert (mrz.surname, mrz.given_names) == ("TRAN", "THI MINH ANH")
    assert "079195012345" not in repr(mrz) and "TRAN" not in repr(mrz)


def test_dg1_round_trip_td1_and_td3():
    for lines in (CCCD_TD1, ICAO_TD3):
        raw = dg1.build(dg1.Dg1(dg1.Mrz.from_lines(lines)))
        assert dg1.parse(raw).mrz.lines == lines
    td3 = dg1.Mrz.from_lines(ICAO_TD3)
    assert (td3.document_number, td3.optional_data, td3.surname) == ("L898902C3", "ZE184226B",
                                                                     "ERIKSSON")
    assert td3.id_number is None


@pytest.mark.parametrize(("line", "col"), [
    (0, 14),   # document number check digit
    (0, 29),   # optional data check digit position is part of the composite
    (1, 6),    # date of birth
    (1, 14),   # expiry
    (1, 29),   # composite
])
def test_every_td1_check_digit_is_verified(line, col):
    lines = list(CCCD_TD1)
    wrong = str((int(lines[line][col]) + 1) % 10)
    lines[line] = lines[line][:col] + wrong + lines[line][col + 1:]
    with pytest.raises(MalformedData, match="check digit"):
        dg1.Mrz.from_lines(lines)


@pytest.mark.parametrize("col", [9, 19, 27, 42, 43])
def test_every_td3_check_digit_is_verified(col):
    line = ICAO_TD3[1]
    wrong = "<" if line[col] == "0" else str((int(line[col]) + 1) % 10)
    with pytest.raises(MalformedData):
        dg1.Mrz.from_lines((ICAO_TD3[0], line[:col] + wrong + line[col + 1:]))


def test_profile_mrz_matches_dg1(profiles):
    for profile in profiles:
        mrz = dg1.parse(dg1.build(dg1.Mrz.from_lines(profile.mrz()))).mrz
        assert mrz.id_number == profile.id_number
        assert mrz.document_number == profile.id_number[3:]


def test_long_document_number_form():
    from devices.card.mrz import check_digit

    number = "ABC1234567890"
    optional = number[9:] + check_digit(number) + "<<<<<<<<<<"
    l1 = "I<UTO" + number[:9] + "<" + optional
    l2 = "7408122F1204159UTO" + "<" * 11
    composite = l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
    mrz = dg1.Mrz.from_lines((l1, l2 + check_digit(composite), "ERIKSSON<<ANNA" + "<" * 16))
    assert mrz.document_number == number


@pytest.mark.parametrize("raw", [
    encode(0x61, encode(0x5F1F, b"X" * 90)),
    encode(0x61, encode(0x5F1F, "É".encode() * 45)),
    encode(0x61, encode(0x5F1F, b"IDVNM" * 5)),
    encode(0x61, b""),
])
def test_dg1_rejects(raw):
    with pytest.raises(MalformedData):
        dg1.parse(raw)


def test_mrz_dates():
    today = dt.date(2026, 11, 27)
    assert dg1.mrz_date("950314", today, future=False) == dt.date(1995, 3, 14)
    assert dg1.mrz_date("050902", today, future=False) == dt.date(2005, 9, 2)
    assert dg1.mrz_date("350314", today, future=True) == dt.date(2035, 3, 14)
    assert dg1.mrz_date("<<<<<<", today, future=True) is None
    with pytest.raises(MalformedData):
        dg1.mrz_date("951399", today, future=False)
