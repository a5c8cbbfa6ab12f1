"""The form asked one question (or a small group) per screen: which fields go on which page.

Elderly and first-time users do better with "one thing per page" than with one long scrolling form.
The pages are recomputed from the current answers after every change (a follow-up question appears
or goes), in this order:

1. one page "from the card": the visible fields with a ``prefill`` (the citizen checks what the
   chip gave); none when the procedure prefills nothing;
2. then each remaining visible field, in procedure order, starts its own page, except
   - a field whose ``visible_if`` names a field already on a page joins that page (the follow-up
     appears with the answer that triggers it), and
   - a field with the same ``group`` as the visible field just before it joins that field's page.

Within a page the fields keep the procedure's order. No Qt here: the form screen and the journey
benchmark both read these pages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from kiosk.domain.forms import FieldProblem, ProblemCode, cross_check, validate, visible_fields
from kiosk.domain.identity import CitizenIdentity
from kiosk.domain.procedures import FieldType, FormField, Procedure

__all__ = ["CARD_PAGE", "FormPage", "check_answers", "form_pages", "page_of", "problems_on"]

#: the key of the page "from the card"; other pages are keyed by their first field's id
CARD_PAGE = "card"


@dataclasses.dataclass(frozen=True, slots=True)
class FormPage:
    """One screen of the form. ``key`` stays the same while the page exists, so a screen can keep
    its place when the pages are recomputed (``"card"`` or the id of the page's first field)."""

    key: str
    fields: tuple[FormField, ...]
    from_card: bool = False

    @property
    def field_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.fields)


def _home(procedure: Procedure, field: FormField, previous: FormField | None,
          page_by_field: Mapping[str, int]) -> int | None:
    """The index of the existing page ``field`` joins, or None for a page of its own."""
    if field.visible_if is not None and field.visible_if.field in page_by_field:
        return page_by_field[field.visible_if.field]
    if field.group is not None and previous is not None and previous.group == field.group:
        return page_by_field.get(previous.id)
    return None


def form_pages(procedure: Procedure, answers: Mapping[str, str]) -> list[FormPage]:
    """The pages of the form for the answers so far (see the module docstring for the rules)."""
    shown = visible_fields(procedure, answers)
    groups: list[list[FormField]] = []
    from_card: list[bool] = []
    page_by_field: dict[str, int] = {}
    card = [f for f in shown if f.prefill]
    if card:
        groups.append(card)
        from_card.append(True)
        page_by_field.update((f.id, 0) for f in card)
    previous: FormField | None = None
    for field in shown:
        if field.id not in page_by_field:
            home = _home(procedure, field, previous, page_by_field)
            if home is None:
                home = len(groups)
                groups.append([])
                from_card.append(False)
            groups[home].append(field)
            page_by_field[field.id] = home
        previous = field
    order = {f.id: i for i, f in enumerate(procedure.fields)}
    pages = []
    for fields, card_page in zip(groups, from_card):
        fields.sort(key=lambda f: order[f.id])
        pages.append(FormPage(CARD_PAGE if card_page else fields[0].id, tuple(fields), card_page))
    return pages


def page_of(pages: list[FormPage], field_id: str) -> int:
    """The index of the page asking ``field_id``; ValueError when no page asks it (hidden)."""
    for index, page in enumerate(pages):
        if any(f.id == field_id for f in page.fields):
            return index
    raise ValueError(f"no page asks the field {field_id!r}")


def check_answers(procedure: Procedure, identity: CitizenIdentity | None,
                  answers: Mapping[str, str], today: dt.date,
                  photos: Mapping[str, str] | None = None) -> list[FieldProblem]:
    """Every problem ``Flow.submit_form`` would raise for ``answers``, without moving the flow:
    the fields' own checks, the card cross-check, and attachment answers naming no photo taken in
    this session (``photos``: field id -> the SHA-256 of the photo the flow holds)."""
    values, problems = validate(procedure, answers, today)
    problems += cross_check(identity, values)
    photos = photos or {}
    problems += [FieldProblem(f.id, ProblemCode.BAD_ATTACHMENT)
                 for f in visible_fields(procedure, values)
                 if f.type is FieldType.ATTACHMENT and values.get(f.id)
                 and photos.get(f.id) != values[f.id]]
    return problems


def problems_on(page: FormPage, problems: list[Any]) -> list[Any]:
    """The problems (anything with a ``field_id``) about the fields of ``page``."""
    ids = set(page.field_ids)
    return [p for p in problems if p.field_id in ids]
