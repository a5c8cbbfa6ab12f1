"""Problems and data are worded for people, with their parameters, in the current language."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.forms import FieldProblem, ProblemCode
from kiosk.domain.identity import IdProblem
from kiosk.domain.procedures import Choice, FieldType, FormField, LocalText
from ui.texts import describe_problem, display_value, format_fee, processing_time

pytestmark = pytest.mark.gui


def test_out_of_range_names_the_bounds(qapp):
    problem = FieldProblem("copies", ProblemCode.OUT_OF_RANGE, {"min": 1.0, "max": 10.0})
    assert describe_problem(problem) == "Please enter a value between 1 and 10."


def test_date_range_is_written_day_first(qapp):
    problem = FieldProblem("d", ProblemCode.DATE_OUT_OF_RANGE,
                           {"min": dt.date(1900, 1, 1), "max": dt.date(2026, 11, 27)})
    assert describe_problem(problem) == "Please enter a date between 01/01/1900 and 27/11/2026."


def test_bad_id_lists_each_reason(qapp):
    problem = FieldProblem("id", ProblemCode.BAD_ID,
                           {"problems": (IdProblem.UNKNOWN_PROVINCE.value,)})
    assert "province" in describe_problem(problem)


@pytest.mark.parametrize("code", list(ProblemCode))
def test_every_problem_code_has_words(qapp, code):
    params = {"min": 1, "max": 2}
    if code is ProblemCode.DATE_OUT_OF_RANGE:
        params = {"min": None, "max": dt.date(2026, 1, 2)}
    text = describe_problem(FieldProblem("f", code, params))
    assert text and text[0].isupper() and "{" not in text


@given(st.integers(min_value=1, max_value=10**9))
def test_fees_group_thousands_with_dots(fee):
    text = format_fee(fee)
    assert text.endswith(" đ")
    assert int(text.removesuffix(" đ").replace(".", "")) == fee
    assert all(len(group) == 3 for group in text.removesuffix(" đ").split(".")[1:])


def test_free_and_days(qapp):
    assert format_fee(0) == "Free of charge"
    assert processing_time(1) == "1 working day" and processing_time(10) == "10 working days"


def test_review_shows_choice_labels_and_dates(qapp):
    sex = FormField("sex", FieldType.CHOICE, LocalText("Giới tính", "Sex"),
                    choices=(Choice("F", LocalText("Nữ", "Female")),))
    assert display_value(sex, "F", "vi") == "Nữ" and display_value(sex, "F", "en") == "Female"
    date = FormField("d", FieldType.DATE, LocalText("Ngày", "Date"))
    assert display_value(date, "1995-03-14", "vi") == "14/03/1995"
    yesno = FormField("y", FieldType.YESNO, LocalText("Có?", "Yes?"))
    assert display_value(yesno, "yes", "en") == "Yes"
    assert display_value(yesno, "", "en") == "(not given)"


def test_receipt_qr_carries_the_checked_kiosk_payload():
    from ui.screens.receipt import receipt_qr_text

    text = receipt_qr_text("H12.22.10-261127-0001", "H12.22.10", dt.date(2026, 11, 27))
    assert text.startswith("MCK1|H12.22.10-261127-0001|H12.22.10|261127|")
    assert receipt_qr_text("not a reference", "H12.22.10", dt.date(2026, 11, 27)) == \
        "not a reference"


def test_address_editor_round_trips_a_current_unit(qtbot):
    from kiosk.domain import addresses
    from ui.widgets.fields import AddressEditor, make_editor

    field = FormField("home", FieldType.ADDRESS, LocalText("Địa chỉ", "Address"))
    editor = make_editor(field)
    qtbot.addWidget(editor)
    assert isinstance(editor, AddressEditor) and editor.value() == ""
    code, _name = addresses.provinces()[0]
    unit = addresses.communes(code)[1]
    editor.set_value(unit.answer)
    assert editor.value() == unit.answer
    assert display_value(field, unit.answer, "vi") == unit.label
    editor.set_value("not:an address")
    assert editor.value() == ""
