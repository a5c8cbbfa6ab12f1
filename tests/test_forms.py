from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.forms import (
    FieldProblem,
    ProblemCode,
    normalise_phone,
    parse_date,
    prefill,
    validate,
    visible_fields,
)
from kiosk.identity import CitizenIdentity, IdSource, Sex
from kiosk.paths import PROCEDURES_DIR
from kiosk.procedures import Catalogue

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def record():
    return Catalogue.load(PROCEDURES_DIR).get("3.000333")  # criminal record certificate


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
    record = Catalogue.load(PROCEDURES_DIR).get("3.000333")
    values, problems = validate(record, answers, TODAY)
    assert set(values).isdisjoint({p.field_id for p in problems})


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)))
def test_date_round_trip(day):
    assert parse_date(day.strftime("%d/%m/%Y")) == day
    assert parse_date(day.isoformat()) == day


# --- conditional fields, addresses, attachments (issue 6)

def _catalogue():
    return Catalogue.load(PROCEDURES_DIR)


def _marriage_answers(**changes):
    answers = {"full_name": "Trần Thị Minh Anh", "date_of_birth": "14/03/1995", "sex": "F",
               "phone": "0912345678", "residence_address": "1:466",
               "partner_id_number": "001094012345", "partner_full_name": "Nguyễn Văn An",
               "partner_date_of_birth": "02/01/1994", "previously_married": "không", "delivery": "counter"}
    return answers | changes


def test_hidden_fields_are_neither_required_nor_kept():
    marriage = _catalogue().get("1.000894")
    values, problems = validate(marriage, _marriage_answers(divorce_document="att-1"), TODAY)
    assert problems == [] and "divorce_document" not in values  # answered, then hidden: dropped
    assert values["previously_married"] is False


def test_shown_conditional_fields_are_required_and_checked():
    marriage = _catalogue().get("1.000894")
    _, problems = validate(marriage, _marriage_answers(previously_married="có"), TODAY)
    assert problems == [FieldProblem("divorce_document", ProblemCode.REQUIRED)]
    values, problems = validate(marriage, _marriage_answers(previously_married="yes",
                                                            divorce_document="sha256:ab12"), TODAY)
    assert problems == [] and values["divorce_document"] == "sha256:ab12"


def test_visible_fields_follow_the_answers_and_chains():
    extract = _catalogue().get("2.000635")
    ids = lambda answers: [f.id for f in visible_fields(extract, answers)]  # noqa: E731
    assert "subject_id_number" not in ids({"for_whom": "self"})
    assert {"subject_id_number", "subject_full_name"} <= set(ids({"for_whom": "other"}))
    assert "post_address" not in ids({"delivery": "counter"})
    assert "post_address" in ids({"delivery": " post "})


def test_address_answers_are_current_units():
    marriage = _catalogue().get("1.000894")
    values, problems = validate(marriage, _marriage_answers(), TODAY)
    assert values["residence_address"] == {"province_code": 1, "province": "Thành phố Hà Nội",
                                           "commune_code": 466, "commune": "Xã Phúc Thịnh"}
    for bad in ("1:26740", "1:999999", "99:466", "Hà Nội", "1:", "١:٤٦٦"):
        _, problems = validate(marriage, _marriage_answers(residence_address=bad), TODAY)
        assert problems == [FieldProblem("residence_address", ProblemCode.BAD_ADDRESS)], bad


@pytest.mark.parametrize("bad", ["a b", "../etc/passwd", "x" * 101, "ảnh", "-start"])
def test_attachment_ids_are_plain_tokens(bad):
    death = _catalogue().get("1.000656")
    answers = {"full_name": "A", "phone": "0912345678", "deceased_id_number": "001094012345",
               "deceased_full_name": "B", "date_of_death": "01/11/2026", "relationship": "child",
               "death_notice": bad, "delivery": "counter"}
    _, problems = validate(death, answers, TODAY)
    assert [(p.field_id, p.code) for p in problems] == [("death_notice", ProblemCode.BAD_ATTACHMENT)]
    _, problems = validate(death, answers | {"death_notice": "Q-261127-0001.jpg"}, TODAY)
    assert problems == []


def test_address_prefill_only_when_the_conversion_is_exact():
    marriage = _catalogue().get("1.000894")
    person = CitizenIdentity("079195012345", IdSource.CHIP, full_name="Trần Thị Minh Anh",
                             residence="Thôn Đông, Xã Vân Nội, Huyện Đông Anh, Hà Nội")
    assert prefill(marriage, person)["residence_address"] == "1:466"
    split = dataclasses.replace(person, residence="Ấp 3, Xã Tân Thạnh, Huyện Thới Lai, Thành phố Cần Thơ")
    assert "residence_address" not in prefill(marriage, split)  # split commune: the citizen chooses


@given(st.dictionaries(st.sampled_from(list(_marriage_answers()) + ["divorce_document"]),
                       st.text(max_size=120)))
def test_validate_with_conditions_never_raises(answers):
    marriage = Catalogue.load(PROCEDURES_DIR).get("1.000894")
    values, problems = validate(marriage, answers, TODAY)
    assert set(values).isdisjoint({p.field_id for p in problems})
    shown = {f.id for f in visible_fields(marriage, answers)}
    assert set(values) <= shown and {p.field_id for p in problems} <= shown


def test_a_new_procedure_goes_through_the_flow_and_the_portal_schema():
    """Address and attachment values travel in the payload the reference portal accepts."""
    from kiosk.flow import VN_TZ, Flow, Step
    from kiosk.portal.schema import load_procedures, validate_submission

    now = dt.datetime(2026, 11, 27, 9, 30, tzinfo=VN_TZ)
    flow = Flow(_catalogue(), unit_code="H12.22.10", kiosk_id="K1", clock=lambda: now)
    person = CitizenIdentity("001195012345", IdSource.CHIP, full_name="Trần Thị Minh Anh",
                             date_of_birth=dt.date(1995, 3, 14), sex=Sex.FEMALE)
    flow.start()
    flow.identify(person)
    flow.choose("1.000656")
    flow.read_requirements()
    photo = b"\xff\xd8\xff\xe0" + bytes(range(256))
    digest = flow.attach("death_notice", photo)
    flow.submit_form(flow.answers | {
        "phone": "0912345678", "deceased_id_number": "001094012345", "deceased_full_name": "Nguyễn Văn B",
        "date_of_death": "20/11/2026", "relationship": "child",
        "delivery": "post", "post_address": "1:466", "post_street": "Thôn Đông"})
    assert flow.step is Step.REVIEW
    flow.confirm()
    payload = flow.consent(True)
    assert payload["form"]["post_address"]["commune"] == "Xã Phúc Thịnh"
    assert payload["form"]["death_notice"] == digest
    assert payload["attachments"] == [{"field": "death_notice", "sha256": digest,
                                       "media_type": "image/jpeg", "size": len(photo), "pages": 1}]
    assert flow.attachment_data() == [photo]
    assert validate_submission(payload, load_procedures(PROCEDURES_DIR)) is payload
