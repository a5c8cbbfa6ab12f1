from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.identity import CitizenIdentity, IdProblem, IdSource, Sex, check_id_number


def test_reference_examples_are_valid():
    assert check_id_number("079195012345", dt.date(1995, 3, 14), Sex.FEMALE) == []
    assert check_id_number("001205067890", dt.date(2005, 9, 2), Sex.MALE) == []


def test_structure_problems():
    assert check_id_number("07919501234") == [IdProblem.NOT_12_DIGITS]
    assert check_id_number("07919501234x") == [IdProblem.NOT_12_DIGITS]
    assert check_id_number("003195012345") == [IdProblem.UNKNOWN_PROVINCE]
    assert check_id_number("979195012345") == []  # born abroad: country code, accepted


def test_disagreement_with_dob_and_sex():
    problems = check_id_number("079195012345", dt.date(2001, 3, 14), Sex.MALE)
    assert problems == [IdProblem.CENTURY_MISMATCH, IdProblem.YEAR_MISMATCH, IdProblem.SEX_MISMATCH]


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2399, 12, 31)),
       st.sampled_from(list(Sex)), st.integers(0, 999999))
def test_generated_numbers_agree(dob, sex, serial):
    digit = (dob.year // 100 - 19) * 2 + (1 if sex is Sex.FEMALE else 0)
    number = f"001{digit}{dob.year % 100:02d}{serial:06d}"
    assert check_id_number(number, dob, sex) == []


@given(st.text(max_size=20))
def test_never_raises(text):
    assert isinstance(check_id_number(text), list)


def test_repr_hides_personal_data():
    person = CitizenIdentity("079195012345", IdSource.CHIP, full_name="Trần Thị Minh Anh")
    assert "Trần" not in repr(person) and "079195012" not in repr(person)
    assert person.can == "012345"
    assert CitizenIdentity("079195012345", IdSource.TYPED,
                           date_of_birth=dt.date(1995, 3, 14)).age_on(dt.date(2026, 3, 13)) == 30
