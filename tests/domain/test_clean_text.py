"""The one validator for text from a card or a code: what passes, what is refused, what is said."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.clean_text import (DateKind, TextProblem, UnsafeText, ascii_digits, check_date,
                                     clean_name, clean_text)

TODAY = dt.date(2026, 6, 30)


def test_names_and_addresses_are_normalised() -> None:
    assert clean_name("  Nguye\u0302\u0303n   Văn\u00a0A ") == "Nguyễn Văn A"
    assert clean_text("Số 12, Lê Lợi (P. Bến Nghé) #3") == "Số 12, Lê Lợi (P. Bến Nghé) #3"
    assert clean_name("H'Hen Niê") == "H'Hen Niê"  # names of ethnic minorities keep apostrophes


@pytest.mark.parametrize("text,problem", [
    ("Trần\x00Anh", TextProblem.CONTROL), ("Trần\nAnh", TextProblem.CONTROL),
    ("Trần\u2028Anh", TextProblem.CONTROL), ("\u202eAnh", TextProblem.BIDI),
    ("Anh\u2066x\u2069", TextProblem.BIDI), ("Tr\u200bần", TextProblem.INVISIBLE),
    ("Tr\ufeffần", TextProblem.INVISIBLE), ("Tr\u00adần", TextProblem.INVISIBLE),
    ("Trần 3", TextProblem.UNEXPECTED), ("Trần <script>", TextProblem.UNEXPECTED),
    ("   ", TextProblem.EMPTY), ("a" * 301, TextProblem.TOO_LONG),
])
def test_names_refuse_what_hides_or_does_not_belong(text: str, problem: TextProblem) -> None:
    with pytest.raises(UnsafeText) as caught:
        clean_name(text, "name")
    assert caught.value.problem is problem
    assert caught.value.field == "name" and str(caught.value).startswith("The name ")
    assert "Trần" not in str(caught.value) and "Anh" not in str(caught.value)


@pytest.mark.parametrize("text", ["012345678901", "025678901"])
def test_ascii_digits_pass(text: str) -> None:
    assert ascii_digits(text, (9, 12)) == text


@pytest.mark.parametrize("text,problem", [
    ("٠١٢٣٤٥٦٧٨٩٠١", TextProblem.NOT_ASCII_DIGITS), ("０１２３４５６７８９０１", TextProblem.NOT_ASCII_DIGITS),
    ("01234567890", TextProblem.WRONG_LENGTH), ("", TextProblem.NOT_ASCII_DIGITS),
    ("0123456789O1", TextProblem.NOT_ASCII_DIGITS),
])
def test_ascii_digits_refuse_other_digits_and_lengths(text: str, problem: TextProblem) -> None:
    with pytest.raises(UnsafeText) as caught:
        ascii_digits(text, 12, "ID number")
    assert caught.value.problem is problem


@pytest.mark.parametrize("day,kind,context", [
    (dt.date(2099, 5, 10), DateKind.ISSUE, {}), (dt.date(2026, 7, 1), DateKind.BIRTH, {}),
    (dt.date(1899, 12, 31), DateKind.BIRTH, {}),
    (dt.date(1990, 1, 1), DateKind.ISSUE, {"born": dt.date(1995, 3, 14)}),
    (dt.date(2020, 1, 1), DateKind.EXPIRY, {"issued": dt.date(2021, 5, 10)}),
])
def test_impossible_dates_are_refused(day: dt.date, kind: DateKind, context: dict) -> None:
    with pytest.raises(UnsafeText) as caught:
        check_date(day, kind, today=TODAY, **context)
    assert caught.value.problem is TextProblem.IMPOSSIBLE_DATE
    assert str(day.year) not in str(caught.value)


def test_a_far_expiry_is_fine() -> None:
    assert check_date(dt.date(2060, 3, 14), "expiry date", today=TODAY) == dt.date(2060, 3, 14)


_HIDDEN = set("\u200b\u200c\u200d\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@given(st.text(max_size=80))
def test_any_text_is_clean_or_refused(text: str) -> None:
    for clean in (clean_name, clean_text):
        try:
            out = clean(text, "field")
        except UnsafeText as exc:
            assert isinstance(exc.problem, TextProblem)
            continue
        assert unicodedata.is_normalized("NFC", out)
        assert out == out.strip() and "  " not in out
        assert not any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in out)
        assert not _HIDDEN & set(out)


@given(st.text(alphabet=st.characters(categories=["Nd"]), min_size=1, max_size=14))
def test_only_ascii_digits_are_digits(text: str) -> None:
    try:
        assert ascii_digits(text) == text and text.isascii()
    except UnsafeText as exc:
        assert exc.problem is TextProblem.NOT_ASCII_DIGITS and not text.isascii()
