"""How screen text is said aloud (ui.spoken, plain Python): numbers and codes digit by digit,
dates as dates, fees as amounts, decorations dropped."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ui.spoken import spoken


def test_id_numbers_and_phones_are_spelled_digit_by_digit():
    assert spoken("Số định danh 079195012345") == "Số định danh 0 7 9 1 9 5 0 1 2 3 4 5"
    assert spoken("gọi 0912345678.") == "gọi 0 9 1 2 3 4 5 6 7 8."


def test_codes_name_their_separators_in_the_language():
    code = "H12.22.10-261127-0002"
    assert spoken(code) == ("H 1 2 chấm 2 2 chấm 1 0 gạch ngang 2 6 1 1 2 7 gạch ngang "
                            "0 0 0 2")
    assert spoken(f"Your code: {code}", "en").endswith("1 0 dash 2 6 1 1 2 7 dash 0 0 0 2")
    assert spoken("Q-261127-0001") == "Q gạch ngang 2 6 1 1 2 7 gạch ngang 0 0 0 1"


def test_dates_fees_steps_and_years_read_as_words_and_numbers():
    assert spoken("Ngày sinh: 14/03/1995") == "Ngày sinh: ngày 14 tháng 3 năm 1995"
    assert spoken("Born 14/03/1995", "en") == "Born 14 March 1995"
    assert spoken("Lệ phí: 135.000 đ") == "Lệ phí: 135000 đồng"
    assert spoken("Bước 2/8") == "Bước 2 trên 8"
    assert spoken("năm 2025") == "năm 2025"  # a year is a number, not four digits


def test_a_masked_phone_reads_its_digits_and_a_pause():
    assert spoken("Kết quả gửi tới 09•• ••• 678") == "Kết quả gửi tới 0 9 … 6 7 8"


def test_decorations_are_not_read():
    assert spoken("Tiếp tục  ›") == "Tiếp tục"
    assert spoken("✓  Đã chụp ảnh") == "Đã chụp ảnh"


@given(st.text(alphabet="0123456789", min_size=5, max_size=20))
def test_every_long_number_becomes_single_digits(digits):
    words = spoken(f"số {digits}").split()[1:]
    assert words == list(digits)


@given(st.text(max_size=80))
def test_anything_reads_without_error_and_keeps_its_letters(text):
    out = spoken(text)
    assert isinstance(out, str)
    letters = [c for c in text if c.isalpha() and c not in "đ"]
    assert all(c in out or c.isdigit() for c in letters)
