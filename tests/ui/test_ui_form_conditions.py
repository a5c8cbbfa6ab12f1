"""Conditional questions (``visible_if``) appear and disappear on the real form as the citizen
answers, and an answer to a question that went away is not sent."""

from __future__ import annotations

import pytest

from kiosk.domain.flow import Step
from test_ui_journey import choose, click, identify_with_card
from ui_helpers import finish_form, show_page_of

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

TEMPORARY_RESIDENCE = "1.004194"
PROOFS = ("owner_consent", "rental_contract")


def shown(form) -> set[str]:
    """The questions on the page shown now."""
    return {field_id for field_id, row in form.rows.items() if row.cell.isVisibleTo(form)}


def asked(form) -> set[str]:
    """The questions on any page of the form."""
    return {field_id for page in form.pages for field_id in page.field_ids}


def test_questions_follow_the_answer_they_depend_on(qtbot, window, services, profile):
    click(qtbot, window.screens[Step.WELCOME].primary_button)
    identify_with_card(qtbot, window, services, profile)
    choose(qtbot, window, TEMPORARY_RESIDENCE)
    form = window.screens[Step.FORM]
    assert not asked(form) & set(PROOFS)  # nothing about housing answered yet
    assert "housing_proof" in asked(form)
    show_page_of(form, "housing")
    assert shown(form) == {"housing"}
    housing = form.rows["housing"].editor
    click(qtbot, housing.buttons["rented"])
    assert shown(form) == {"housing", "rental_contract"}  # the follow-up, on the same page
    click(qtbot, housing.buttons["owner_consent"])
    assert shown(form) == {"housing", "owner_consent"}
    click(qtbot, housing.buttons["own"])
    assert shown(form) == {"housing"} and not asked(form) & set(PROOFS)
    show_page_of(form, "new_address")  # a group: the address and its street on one page
    assert shown(form) == {"new_address", "new_street"}
    # every question still on screen is laid out in the grid, none overlaps another
    def apart() -> bool:
        cells = [form.rows[f].cell.geometry() for f in shown(form)]
        return all(not a.intersects(b) for i, a in enumerate(cells) for b in cells[i + 1:])

    qtbot.waitUntil(apart, timeout=2000)  # laid out on the next pass of the layout


def test_the_form_comes_back_with_the_same_questions(qtbot, window, services, profile):
    click(qtbot, window.screens[Step.WELCOME].primary_button)
    identify_with_card(qtbot, window, services, profile)
    choose(qtbot, window, TEMPORARY_RESIDENCE)
    form = window.screens[Step.FORM]
    click(qtbot, form.rows["housing"].editor.buttons["rented"])
    assert not finish_form(qtbot, window)  # problems: the form stays, answers kept
    assert window.flow.step is Step.FORM
    click(qtbot, form.back_button)
    click(qtbot, window.screens[Step.REQUIREMENTS].primary_button)
    assert "rental_contract" in asked(form) and "owner_consent" not in asked(form)
    show_page_of(form, "housing")
    assert shown(form) == {"housing", "rental_contract"}
