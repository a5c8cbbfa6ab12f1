"""The kiosk's local reference ``Q-YYMMDD-NNNN``: one format, shared by the outbox, the receipt QR
and the status lookup."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.codes import DOSSIER_CODE_RE, LOCAL_REF_RE, format_local_ref


@given(st.dates(date(2000, 1, 1), date(2099, 12, 31)), st.integers(1, 999_999))
def test_a_formatted_reference_parses_back(day: date, seq: int) -> None:
    reference = format_local_ref(f"{day:%y%m%d}", seq)
    match = LOCAL_REF_RE.fullmatch(reference)
    assert match is not None
    assert (match["day"], int(match["seq"])) == (f"{day:%y%m%d}", seq)
    assert len(match["seq"]) == max(4, len(str(seq)))


def test_short_sequences_are_padded_to_four_digits() -> None:
    assert format_local_ref("261127", 1) == "Q-261127-0001"
    assert format_local_ref("261127", 12345) == "Q-261127-12345"


@pytest.mark.parametrize("day, seq", [("26112", 1), ("2611270", 1), ("26-127", 1), ("261127", 0),
                                      ("261127", 1_000_000), ("２６１１２７", 1)])
def test_a_reference_that_would_not_parse_is_refused(day: str, seq: int) -> None:
    with pytest.raises(ValueError):
        format_local_ref(day, seq)


@given(st.text(max_size=20))
def test_only_ascii_digits_make_a_reference(text: str) -> None:
    match = LOCAL_REF_RE.fullmatch(text)
    if match is not None:
        assert text.isascii() and text.startswith("Q-")


def test_a_local_reference_is_a_dossier_code_of_unit_q_only_in_shape() -> None:
    """Receipts tell them apart by trying the local form first ("Q" is never a unit code there)."""
    reference = format_local_ref(f"{date(2026, 11, 27) + timedelta(days=1):%y%m%d}", 7)
    assert DOSSIER_CODE_RE.fullmatch(reference) is not None
