from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.forms import FieldProblem, ProblemCode, normalise_phone, parse_date, prefill, validate
from kiosk.identity import CitizenIdentity, IdSource, Sex
from kiosk.paths import PROCEDURES_DIR
from kiosk.procedures import Catalogue

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def record():
    return Catalogue.load(PROCEDURES_DIR).get("2.001417")  # criminal record certificate


def _good():
    return {"full_name": "Trần Thị Minh Anh", "date_of_birth": "14/03/1995", "sex": "F",
            "residence": "Số 12 Lê Lợi", "phone": "0912 345 678", "certificate_type": "1",
            "copies": "2", "delivery": "counter"}


def test_valid_answers_become_typed_values(record):
    values, problems = validate(record, _good(), TODAY)
    assert problems == []
    assert values["copies"] == 2
    assert values["phone"] == "0912345678"
    assert values["date_of_birth"] == "1995-03-14"
    assert "purpose" not in values  # optional and empty


@pytest.mark.parametrize(
    ("field", "text", "code"),
    [
        ("copies", "99", ProblemCode.OUT_OF_RANGE),
        ("copies", "0", ProblemCode.OUT_OF_RANGE),
        ("copies", "two", ProblemCode.NOT_A_NUMBER),
        ("phone", "0123456789", ProblemCode.BAD_PHONE),
        ("phone", "091234567", ProblemCode.BAD_PHONE),
        ("date_of_birth", "31/02/1995", ProblemCode.BAD_DATE),
        ("date_of_birth", "01/01/2030", ProblemCode.DATE_OUT_OF_RANGE),
        ("sex", "X", ProblemCode.BAD_CHOICE),
        ("full_name", "", ProblemCode.REQUIRED),
        ("full_name", "A" * 101, ProblemCode.TOO_LONG),
    ],
)
def test_each_problem_is_precise(record, field, text, code):
    answers = _good() | {field: text}
    values, problems = validate(record, answers, TODAY)
    assert [(p.field_id, p.code) for p in problems] == [(field, code)]


def test_out_of_range_carries_the_bounds(record):
    _, problems = validate(record, _good() | {"copies": "11"}, TODAY)
    assert problems == [FieldProblem("copies", ProblemCode.OUT_OF_RANGE, {"min": 1, "max": 10})]


def test_phone_normalisation():
    assert normalise_phone("+84 912-345-678") == "0912345678"
    assert normalise_phone("84912345678") == "0912345678"


def test_prefill_from_card(record):
    person = CitizenIdentity("079195012345", IdSource.CHIP, full_name="Trần Thị Minh Anh",
                             date_of_birth=dt.date(1995, 3, 14), sex=Sex.FEMALE, residence="Q1")
    answers = prefill(record, person)
    assert answers == {"full_name": "Trần Thị Minh Anh", "date_of_birth": "14/03/1995",
                       "sex": "F", "residence": "Q1"}
    assert prefill(record, CitizenIdentity("079195012345", IdSource.TYPED)) == {}


@given(st.dictionaries(st.sampled_from(list(_good())), st.text(max_size=300)))
def test_validate_never_raises(answers):
    record = Catalogue.load(PROCEDURES_DIR).get("2.001417")
    values, problems = validate(record, answers, TODAY)
    assert set(values).isdisjoint({p.field_id for p in problems})


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)))
def test_date_round_trip(day):
    assert parse_date(day.strftime("%d/%m/%Y")) == day
    assert parse_date(day.isoformat()) == day
