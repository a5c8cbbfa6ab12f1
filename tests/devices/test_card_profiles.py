"""Profile loading and validation, the renewal rule and the MRZ (against cccd.md's worked example)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from device_helpers import PROFILES_DIR

from devices.card.mrz import check_digit, td1_lines
from devices.card.profiles import ProfileError, expected_expiry, list_profiles, load_profile
from kiosk.domain.identity import IdSource, Sex

GOOD = """\
id_number = "079195012345"
full_name = "Trần Thị Minh Anh"
date_of_birth = 1995-03-14
sex = "Nữ"
issue_date = 2021-05-10
expiry_date = 2035-03-14
"""


def write(tmp_path: Path, text: str, name: str = "p.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_profiles_load_and_cover_the_required_cases():
    profiles = list_profiles(PROFILES_DIR)
    assert len(profiles) >= 4
    ids = {p.id_number for p in profiles}
    assert {"079195012345", "001205067890"} <= ids
    assert any(p.date_of_birth.year <= 1955 and p.expiry_date is None for p in profiles)
    assert any(p.old_id_number is None for p in profiles)
    assert all(p.portrait is not None and p.portrait.is_file() for p in profiles)
    anh = next(p for p in profiles if p.id_number == "079195012345")
    assert anh.full_name == "Trần Thị Minh Anh" and anh.sex is Sex.FEMALE


def test_identity_carries_every_field(tmp_path):
    profile = load_profile(write(tmp_path, GOOD + 'old_id_number = "025678901"\nfather_name = "A B"\n'))
    identity = profile.identity()
    assert identity.source is IdSource.CHIP
    assert identity.date_of_birth == dt.date(1995, 3, 14)
    assert identity.old_id_number == "025678901" and identity.father_name == "A B"
    assert profile.identity(IdSource.QR).source is IdSource.QR


def test_repr_shows_no_personal_data(tmp_path):
    profile = load_profile(write(tmp_path, GOOD))
    assert "Minh" not in repr(profile) and "079195012345" not in repr(profile)


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda t: t + 'favourite_colour = "blue"\n', "favourite_colour"),
        (lambda t: t.replace('sex = "Nữ"\n', ""), "sex"),
        (lambda t: t.replace('"Nữ"', '"X"'), "sex"),
        (lambda t: t.replace("date_of_birth = 1995-03-14", 'date_of_birth = "14/03/1995"'), "date_of_birth"),
        (lambda t: t.replace("1995-03-14", "1996-03-14"), "id_number"),  # YY contradicts DOB
        (lambda t: t.replace('"Nữ"', '"Nam"'), "id_number"),  # S digit says female
        (lambda t: t.replace("079195012345", "999195012345x"), "id_number"),
        (lambda t: t.replace("2035-03-14", "2036-03-14"), "expiry_date"),
        (lambda t: t + 'old_id_number = "12345"\n', "old_id_number"),
        (lambda t: t + 'portrait = "missing.jpg"\n', "portrait"),
        (lambda t: t + 'full_name = ""\n', "full_name"),
    ],
)
def test_invalid_profiles_name_the_file_and_the_key(tmp_path, change, key):
    text = change(GOOD)
    if key == "full_name":
        text = text.replace('full_name = "Trần Thị Minh Anh"\n', "")
    path = write(tmp_path, text, "bad-profile.toml")
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert "bad-profile.toml" in str(info.value)
    assert repr(key) in str(info.value)


def test_broken_toml_names_the_file(tmp_path):
    with pytest.raises(ProfileError, match="broken.toml"):
        load_profile(write(tmp_path, "id_number = ", "broken.toml"))


def test_inconsistent_profile_needs_explicit_permission(tmp_path):
    text = GOOD.replace('"Nữ"', '"Nam"')
    with pytest.raises(ProfileError):
        load_profile(write(tmp_path, text))
    profile = load_profile(write(tmp_path, text + "allow_inconsistent = true\n"))
    assert profile.sex is Sex.MALE and profile.allow_inconsistent


@pytest.mark.parametrize(
    ("dob", "issued", "expiry"),
    [
        (dt.date(1995, 3, 14), dt.date(2021, 5, 10), dt.date(2035, 3, 14)),  # 26 -> 40
        (dt.date(2005, 9, 2), dt.date(2021, 8, 15), dt.date(2030, 9, 2)),  # 15 -> 25
        (dt.date(1998, 1, 1), dt.date(2021, 1, 1), dt.date(2038, 1, 1)),  # 23: within 2 y of 25 -> 40
        (dt.date(1950, 6, 20), dt.date(2021, 4, 1), None),  # issued at 70: no expiry
        (dt.date(1963, 1, 1), dt.date(2021, 1, 2), None),  # 58: no expiry
        (dt.date(1964, 1, 1), dt.date(2021, 1, 2), dt.date(2024, 1, 1)),  # 57 -> 60
        (dt.date(2012, 5, 5), dt.date(2024, 8, 1), dt.date(2037, 5, 5)),  # 12, 2024 law -> 25
        (dt.date(2016, 2, 29), dt.date(2024, 8, 1), dt.date(2030, 3, 1)),  # 8 -> 14, leap day
    ],
)
def test_expected_expiry_follows_the_renewal_ages(dob, issued, expiry):
    assert expected_expiry(dob, issued) == expiry


def test_mrz_matches_the_worked_example():
    lines = td1_lines("079195012345", dt.date(1995, 3, 14), "F", dt.date(2035, 3, 14), "Trần Thị Minh Anh")
    assert lines == (
        "IDVNM1950123452079195012345<<2",
        "9503146F3503144VNM<<<<<<<<<<<2",
        "TRAN<<THI<MINH<ANH<<<<<<<<<<<<",
    )
    assert all(len(line) == 30 for line in lines)


def test_check_digits_and_name_transliteration():
    assert check_digit("195012345") == "2"
    assert check_digit("950314") == "6"
    assert check_digit("<<<<<<") == "0"
    line3 = td1_lines("001205067890", dt.date(2005, 9, 2), "M", None, "Đỗ Văn Khang")[2]
    assert line3.startswith("DO<<VAN<KHANG<")
