"""Driving-licence classes of Law 36/2024/QH15 and the exchange of old classes (Art. 89(3)), and
the renewal form asks them that way: every class, every old class with what it becomes, and the
new class only where an old one becomes one of two."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.forms import visible_fields
from kiosk.domain.licence_classes import (CLASSES, OLD_CLASSES, exchange, old_class,
                                          validity_years)
from kiosk.domain.paths import PROCEDURES_DIR
from kiosk.domain.procedures import Catalogue

RENEWAL = "3.000347"


def test_the_fifteen_classes_of_the_2024_law():
    assert CLASSES == ("A1", "A", "B1", "B", "C1", "C", "D1", "D2", "D", "BE", "C1E", "CE",
                       "D1E", "D2E", "DE")


@pytest.mark.parametrize("old, new", [
    ("old-A1", ("A",)), ("old-A2", ("A",)), ("old-A3", ("B1",)), ("old-B1-AT", ("B",)),
    ("old-B1", ("B", "C1")), ("old-B2", ("B", "C1")), ("old-C", ("C",)), ("old-D", ("D2",)),
    ("old-E", ("D",)), ("old-FB2", ("BE", "C1E")), ("old-FC", ("CE",)), ("old-FD", ("D2E",)),
    ("old-FE", ("DE",))])
def test_old_classes_become_the_classes_of_article_89(old, new):
    assert exchange(old) == new


def test_a_new_class_stays_itself_and_nonsense_becomes_nothing():
    assert exchange("C1E") == ("C1E",) and exchange("B2") == () and exchange("old-Z") == ()
    assert old_class("old-A1").limit == "175cc" and old_class("B") is None


def test_validity_by_class():
    assert [validity_years(c) for c in ("A1", "A", "B1")] == [None, None, None]
    assert validity_years("B") == validity_years("C1") == 10
    assert validity_years("DE") == 5
    with pytest.raises(ValueError, match="not a class"):
        validity_years("B2")


@given(st.text(max_size=12))
def test_exchange_only_ever_gives_classes_of_the_law(value):
    assert set(exchange(value)) <= set(CLASSES)


def test_the_renewal_form_offers_every_class_and_asks_the_new_one_only_when_needed():
    procedure = Catalogue.load(PROCEDURES_DIR).get(RENEWAL)
    field = procedure.field("licence_class")
    values = [choice.value for choice in field.choices]
    assert set(values) == set(CLASSES) | {old.value for old in OLD_CLASSES}
    base = {"delivery": "counter"}
    for value in values:
        shown = {f.id for f in visible_fields(procedure, {**base, "licence_class": value})}
        asked = shown & {"new_class_b", "new_class_fb2"}
        old = old_class(value)
        if old is not None and old.choice_needed:
            (follow_up,) = asked
            choices = [c.value for c in procedure.field(follow_up).choices]
            assert tuple(choices) == old.becomes
        else:
            assert asked == set()
