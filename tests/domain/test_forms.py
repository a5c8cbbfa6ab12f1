from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.form_pages import CARD_PAGE, FormPage, check_answers, form_pages, page_of
from kiosk.domain.forms import (
    FieldProblem,
    ProblemCode,
    normalise_phone,
    parse_date,
    prefill,
    validate,
    visible_fields,
)
from kiosk.domain.identity import CitizenIdentity, IdSource, Sex
from kiosk.domain.paths import PROCEDURES_DIR
from kiosk.domain.procedures import Catalogue, FieldType

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


# --- conditional fields, addresses, attachments

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
    from kiosk.domain.flow import VN_TZ, Flow, Step
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


# -- one question (or a small group) per page: kiosk.domain.form_pages ---------------------------------
CATALOGUE = Catalogue.load(PROCEDURES_DIR)


def _ids(pages: list[FormPage]) -> list[tuple[str, ...]]:
    return [p.field_ids for p in pages]


def test_driving_licence_pages_card_then_one_thing_each():
    licence = CATALOGUE.get("3.000347")
    pages = form_pages(licence, {})
    assert _ids(pages) == [("full_name", "date_of_birth", "sex", "residence"), ("delivery",),
                           ("licence_number", "licence_class")]
    assert [p.from_card for p in pages] == [True, False, False]
    assert [p.key for p in pages] == [CARD_PAGE, "delivery", "licence_number"]
    # the follow-ups of "by post" appear on the page of the answer that asks for them
    posted = form_pages(licence, {"delivery": "post"})
    assert _ids(posted)[1] == ("delivery", "phone", "post_address", "post_street")
    assert page_of(posted, "post_street") == 1 and page_of(posted, "licence_class") == 2
    with pytest.raises(ValueError):
        page_of(pages, "post_street")  # hidden: no page asks it


def test_follow_up_joins_its_controller_page_even_after_other_pages():
    housing = CATALOGUE.get("1.004194")
    pages = form_pages(housing, {"housing": "rented"})
    assert ("housing", "rental_contract") in _ids(pages)
    assert ("housing_proof",) in _ids(pages)  # the page after still has its own
    assert _ids(form_pages(housing, {}))[2] == ("new_address", "new_street")  # one group


def test_no_card_page_without_prefilled_fields():
    procedure = dataclasses.replace(CATALOGUE.get("3.000347"), fields=tuple(
        dataclasses.replace(f, prefill=None) for f in CATALOGUE.get("3.000347").fields))
    pages = form_pages(procedure, {})
    assert not any(p.from_card for p in pages)
    assert _ids(pages)[:2] == [("full_name",), ("date_of_birth",)]


def test_group_shares_a_page_only_when_consecutive():
    base = CATALOGUE.get("3.000333")
    fields = list(base.fields)
    by_id = {f.id: i for i, f in enumerate(fields)}
    for field_id in ("phone", "copies"):  # certificate_type lies between them
        fields[by_id[field_id]] = dataclasses.replace(fields[by_id[field_id]], group="g")
    pages = form_pages(dataclasses.replace(base, fields=tuple(fields)), {})
    assert ("phone",) in _ids(pages) and ("copies",) in _ids(pages)


def _answer_strategy(field):
    if field.type is FieldType.CHOICE:
        return st.sampled_from(["", *(c.value for c in field.choices)])
    if field.type is FieldType.YESNO:
        return st.sampled_from(["", "yes", "no", "có", "Không"])
    return st.sampled_from(["", "x", "0912345678"])


@st.composite
def _procedure_and_answers(draw):
    procedure = draw(st.sampled_from(CATALOGUE.procedures))
    answers = {f.id: draw(_answer_strategy(f)) for f in procedure.fields}
    return procedure, answers


@given(_procedure_and_answers())
def test_pages_hold_every_visible_field_once(case):
    procedure, answers = case
    pages = form_pages(procedure, answers)
    shown = [f.id for f in visible_fields(procedure, answers)]
    placed = [field_id for page in pages for field_id in page.field_ids]
    assert sorted(placed) == sorted(shown) and len(placed) == len(set(placed))
    order = [f.id for f in procedure.fields]
    for index, page in enumerate(pages):
        assert page.fields, "no empty page"
        positions = [order.index(i) for i in page.field_ids]
        assert positions == sorted(positions)
        assert page.from_card is (index == 0 and all(f.prefill for f in page.fields)
                                  and page.key == CARD_PAGE)
        for field in page.fields:
            if field.visible_if is not None:
                assert page_of(pages, field.visible_if.field) == index
    assert len({p.key for p in pages}) == len(pages)


def test_check_answers_has_the_flow_rules():
    record = CATALOGUE.get("3.000333")
    identity = CitizenIdentity(id_number="079195012345", full_name="Trần Thị Minh Anh",
                               date_of_birth=dt.date(1995, 3, 14), sex=Sex.FEMALE,
                               source=IdSource.CHIP)
    assert check_answers(record, identity, _good(), TODAY) == []
    wrong = check_answers(record, identity, {**_good(), "sex": "M", "copies": ""}, TODAY)
    assert {(p.field_id, p.code) for p in wrong} == {("sex", ProblemCode.DISAGREES_WITH_ID),
                                                     ("copies", ProblemCode.REQUIRED)}
    death = CATALOGUE.get("1.000656")
    missing = check_answers(death, None, {"death_notice": "ab" * 32}, TODAY)
    assert FieldProblem("death_notice", ProblemCode.BAD_ATTACHMENT) in missing
    taken = check_answers(death, None, {"death_notice": "ab" * 32}, TODAY,
                          {"death_notice": "ab" * 32})
    assert all(p.field_id != "death_notice" for p in taken)


def test_a_written_address_from_the_card_is_prefilled_in_todays_units():
    from kiosk.domain.forms import current_address_text

    licence = Catalogue.load(PROCEDURES_DIR).get("3.000347")  # "residence" is a text field
    person = CitizenIdentity("079195012345", IdSource.CHIP, full_name="Trần Thị Minh Anh",
                             residence="Số 12 Lê Lợi, Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh")
    assert prefill(licence, person)["residence"] == \
        "Số 12 Lê Lợi, Phường Sài Gòn, Thành phố Hồ Chí Minh"  # no district: two levels
    # a commune that was split, or text the tables cannot read, stays as written on the card
    split = "Ấp 3, Xã Tân Thạnh, Huyện Thới Lai, Thành phố Cần Thơ"
    assert current_address_text(split) == split
    assert current_address_text("không rõ") == "không rõ"
