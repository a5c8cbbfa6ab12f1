"""The form one question (or a small group) per page, through the real window: the card's details
first, a follow-up on the page of the answer that asks for it, "Continue" stopping only on the
page's own problems, Back between pages, a problem found at the end bringing the citizen to its
page, Back from the review landing on the last page, and the document photo returning to its page."""

from __future__ import annotations

import pytest

from kiosk.domain.flow import Step
from test_ui_document import open_camera_for, page_photo, photograph
from test_ui_journey import CRIMINAL_RECORD, choose, click, identify_with_card
from ui_helpers import finish_form, form_problem_shown, show_page_of

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

DRIVING_LICENCE, TEMPORARY_RESIDENCE = "3.000347", "1.004194"
CARD_FIELDS = {"full_name", "date_of_birth", "sex", "residence"}


def shown(form) -> set[str]:
    """The questions on the page shown now."""
    return {field_id for field_id, row in form.rows.items() if row.cell.isVisibleTo(form)}


def open_form(qtbot, window, services, profile, code: str, language: str = "en"):
    window.set_language(language)
    identify_with_card(qtbot, window, services, profile)
    choose(qtbot, window, code)
    return window.screens[Step.FORM]


def test_driving_licence_pages_and_progress(qtbot, window, services, profile):
    form = open_form(qtbot, window, services, profile, DRIVING_LICENCE)
    assert [p.key for p in form.pages] == ["card", "delivery", "licence_number"]
    assert form.page_index == 0 and shown(form) == CARD_FIELDS
    assert form.title.text() == "Check the details from your card"
    assert form.progress.text() == "Question 1 of 3"
    assert form.primary_button.text() == "Continue  ›"

    click(qtbot, form.primary_button)  # the card's details need nothing: on to the next page
    assert window.flow.step is Step.FORM and form.page_index == 1
    assert shown(form) == {"delivery"} and form.progress.text() == "Question 2 of 3"
    assert form.title.text() == "Receive the result"  # a single question is the page's title
    assert not form.rows["delivery"].label.isVisible()  # ...and not said twice
    click(qtbot, form.rows["delivery"].editor.buttons["counter"])
    click(qtbot, form.primary_button)
    assert shown(form) == {"licence_number", "licence_class"}  # one group, one page
    assert form.progress.text() == "Question 3 of 3"
    assert form.primary_button.text() == "Check my answers  ›"

    window.set_language("vi")
    assert form.progress.text() == "Câu hỏi 3/3"
    assert form.primary_button.text() == "Xem lại hồ sơ  ›"
    click(qtbot, form.back_button)
    click(qtbot, form.back_button)
    assert form.title.text() == "Kiểm tra thông tin lấy từ thẻ"
    assert form.primary_button.text() == "Tiếp tục  ›"


def test_a_follow_up_appears_on_the_page_of_its_answer(qtbot, window, services, profile):
    form = open_form(qtbot, window, services, profile, DRIVING_LICENCE)
    click(qtbot, form.primary_button)
    delivery = form.rows["delivery"].editor
    click(qtbot, delivery.buttons["post"])
    assert shown(form) == {"delivery", "phone", "post_address", "post_street"}
    assert form.page_index == 1 and len(form.pages) == 3
    assert form.progress.text() == "Question 2 of 3"
    click(qtbot, form.primary_button)  # by post: the address is required, and on this page
    assert form.page_index == 1 and form.rows["post_address"].problem.isVisible()
    click(qtbot, delivery.buttons["counter"])
    assert shown(form) == {"delivery"}
    click(qtbot, form.primary_button)
    assert form.page_index == 2


def test_continue_stops_only_on_the_problems_of_its_page(qtbot, window, services, profile):
    form = open_form(qtbot, window, services, profile, CRIMINAL_RECORD)
    form.rows["copies"].editor.set_value("0")  # a problem on a later page
    click(qtbot, form.primary_button)
    assert form.page_index == 1 and shown(form) == {"phone"}
    qtbot.keyClicks(form.rows["phone"].editor.line, "0123")
    click(qtbot, form.primary_button)
    assert form.page_index == 1 and form.summary.isVisible()
    assert [f for f, row in form.rows.items() if row.problem.isVisible()] == ["phone"]
    assert form.summary.text() == "Please look at the answer marked below."
    form.rows["phone"].editor.line.clear()
    qtbot.keyClicks(form.rows["phone"].editor.line, "0912345678")
    click(qtbot, form.primary_button)  # the number of copies is wrong, but not on this page
    assert form.page_index == 2 and not form_problem_shown(form)
    assert not form.summary.isVisible()
    click(qtbot, form.primary_button)  # the certificate type is required
    assert form.page_index == 2 and form.rows["certificate_type"].problem.isVisible()
    click(qtbot, form.rows["certificate_type"].editor.buttons["1"])
    click(qtbot, form.primary_button)
    click(qtbot, form.primary_button)
    assert shown(form) == {"copies"} and form.rows["copies"].problem.isVisible()


def test_back_between_pages_keeps_the_answers(qtbot, window, services, profile):
    form = open_form(qtbot, window, services, profile, DRIVING_LICENCE)
    click(qtbot, form.primary_button)
    click(qtbot, form.rows["delivery"].editor.buttons["counter"])
    click(qtbot, form.primary_button)
    qtbot.keyClicks(form.rows["licence_number"].editor.line, "790123456789")
    click(qtbot, form.back_button)
    assert form.page_index == 1 and form.rows["delivery"].editor.value() == "counter"
    click(qtbot, form.back_button)
    assert form.page_index == 0 and window.flow.step is Step.FORM
    click(qtbot, form.primary_button)
    click(qtbot, form.primary_button)
    assert form.page_index == 2 and form.rows["licence_number"].editor.value() == "790123456789"
    click(qtbot, form.back_button)
    click(qtbot, form.back_button)
    click(qtbot, form.back_button)  # from the first page: the flow's Back
    assert window.flow.step is Step.REQUIREMENTS


def test_a_problem_found_at_the_end_brings_the_citizen_to_its_page(qtbot, window, services,
                                                                   profile):
    form = open_form(qtbot, window, services, profile, DRIVING_LICENCE)
    click(qtbot, form.primary_button)
    click(qtbot, form.rows["delivery"].editor.buttons["counter"])
    click(qtbot, form.primary_button)
    assert form.on_last_page
    form.rows["sex"].editor.set_value("M")  # changed behind the card page: the card says female
    click(qtbot, form.primary_button)
    assert window.flow.step is Step.FORM and form.page_index == 0
    assert form.rows["sex"].problem.isVisible() and "ID number" in form.rows["sex"].problem.text()
    assert form.summary.isVisible()
    click(qtbot, form.rows["sex"].editor.buttons["F"])
    assert finish_form(qtbot, window)
    assert window.flow.step is Step.REVIEW


def test_back_from_the_review_lands_on_the_last_page(qtbot, window, services, profile):
    form = open_form(qtbot, window, services, profile, CRIMINAL_RECORD)
    from test_ui_journey import fill_criminal_record_rest

    fill_criminal_record_rest(qtbot, form)
    assert finish_form(qtbot, window)
    click(qtbot, window.screens[Step.REVIEW].back_button)
    assert window.flow.step is Step.FORM
    assert form.page_index == len(form.pages) - 1 and shown(form) == {"delivery"}
    assert form.primary_button.text() == "Check my answers  ›"
    assert form.rows["copies"].editor.value() == "2"
    click(qtbot, form.primary_button)
    assert window.flow.step is Step.REVIEW


def test_the_document_photo_returns_to_its_page(qtbot, window, services, profile):
    form = open_form(qtbot, window, services, profile, TEMPORARY_RESIDENCE)
    show_page_of(form, "housing")
    click(qtbot, form.rows["housing"].editor.buttons["rented"])
    index = form.page_index
    assert shown(form) == {"housing", "rental_contract"}
    open_camera_for(qtbot, window, form, "rental_contract")
    photograph(qtbot, window, page_photo(3))
    click(qtbot, window.document_screen.primary_button)  # "Use this photo"

    assert window.stack.currentWidget() is form and form.page_index == index
    assert shown(form) == {"housing", "rental_contract"}
    editor = form.rows["rental_contract"].editor
    assert editor.value() == window.flow.attachments["rental_contract"].sha256
    assert editor.thumbnail.isVisible()
