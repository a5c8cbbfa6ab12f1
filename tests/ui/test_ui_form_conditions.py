"""Conditional questions (``visible_if``) appear and disappear on the real form as the citizen
answers, and an answer to a question that went away is not sent."""

from __future__ import annotations

import pytest

from kiosk.flow import Step
from test_ui_journey import choose, click, identify_with_card

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

TEMPORARY_RESIDENCE = "1.004194"
PROOFS = ("owner_consent", "rental_contract")


def shown(form) -> set[str]:
    return {field_id for field_id, row in form.rows.items() if row.cell.isVisibleTo(form)}


def test_questions_follow_the_answer_they_depend_on(qtbot, window, services, profile):
    click(qtbot, window.screens[Step.WELCOME].primary_button)
    identify_with_card(qtbot, window, services, profile)
    choose(qtbot, window, TEMPORARY_RESIDENCE)
    form = window.screens[Step.FORM]
    assert not shown(form) & set(PROOFS)  # nothing about housing answered yet
    assert "housing_proof" in shown(form)
    housing = form.rows["housing"].editor
    click(qtbot, housing.buttons["rented"])
    assert shown(form) & set(PROOFS) == {"rental_contract"}
    click(qtbot, housing.buttons["owner_consent"])
    assert shown(form) & set(PROOFS) == {"owner_consent"}
    click(qtbot, housing.buttons["own"])
    assert not shown(form) & set(PROOFS)
    # every question still on screen is laid out in the grid, none overlaps another
    cells = [form.rows[f].cell.geometry() for f in shown(form)]
    assert all(not a.intersects(b) for i, a in enumerate(cells) for b in cells[i + 1:])


def test_the_form_comes_back_with_the_same_questions(qtbot, window, services, profile):
    click(qtbot, window.screens[Step.WELCOME].primary_button)
    identify_with_card(qtbot, window, services, profile)
    choose(qtbot, window, TEMPORARY_RESIDENCE)
    form = window.screens[Step.FORM]
    click(qtbot, form.rows["housing"].editor.buttons["rented"])
    click(qtbot, form.primary_button)  # problems: the form stays, answers kept
    assert window.flow.step is Step.FORM
    click(qtbot, form.back_button)
    click(qtbot, window.screens[Step.REQUIREMENTS].primary_button)
    assert "rental_contract" in shown(form) and "owner_consent" not in shown(form)
