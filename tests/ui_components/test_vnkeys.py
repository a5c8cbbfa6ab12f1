"""Telex and VNI composition for the on-screen keyboard."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ui.keyboard.vnkeys import Composer, compose


def test_the_names_of_issue_6():
    assert compose("telex", "Nguyeenx Vawn Aan") == "Nguyễn Văn Ân"
    assert compose("vni", "Nguye6n4 Va8n A6n") == "Nguyễn Văn Ân"


@pytest.mark.parametrize(
    ("keys", "modern", "old"),
    [("hoaf", "hoà", "hòa"), ("quys", "quý", "quý"), ("gias", "giá", "giá"),
     ("nghieengf", "nghiềng", "nghiềng"), ("thuowr", "thuở", "thuở"), ("thuyr", "thuỷ", "thủy"),
     ("khoer", "khoẻ", "khỏe"), ("hoafn", "hoàn", "hoàn"), ("ngoaif", "ngoài", "ngoài"),
     ("mias", "mía", "mía"), ("ruowuj", "rượu", "rượu"), ("dduowngf", "đường", "đường"),
     ("tuowng", "tương", "tương"), ("muwowif", "mười", "mười"), ("giof", "giò", "giò")],
)
def test_tone_placement(keys, modern, old):
    assert compose("telex", keys) == modern
    assert compose("telex", keys, modern_style=False) == old


def test_tone_moves_when_the_word_grows():
    assert compose("telex", "hoanf") == compose("telex", "hoafn") == "hoàn"
    assert compose("vni", "hoa2n") == "hoàn"


@pytest.mark.parametrize(
    ("keys", "text"),
    [("ass", "as"), ("aaa", "aa"), ("ddd", "dd"), ("ww", "w"), ("w", "ư"), ("tw", "tư"), ("az", "az"),
     ("asz", "a"), ("dd", "đ"), ("Aw", "Ă"), ("uow", "uơ"), ("uowng", "ương")],
)
def test_telex_special_keys(keys, text):
    assert compose("telex", keys) == text


@pytest.mark.parametrize(
    ("keys", "text"),
    [("a11", "a1"), ("d9", "đ"), ("d99", "d9"), ("o7", "ơ"), ("a8", "ă"), ("e6", "ê"), ("a10", "a"),
     ("thuo73", "thuở"), ("2024", "2024")],
)
def test_vni_keys(keys, text):
    assert compose("vni", keys) == text


def test_mixed_case():
    assert compose("telex", "VIEETJ NAM") == "VIỆT NAM"
    assert compose("telex", "DDaf Nawxng") == "Đà Nẵng"
    assert compose("telex", "HoaF") == "Hoà"
    assert compose("vni", "D9A2 NA82NG") == "ĐÀ NẰNG"


def test_backspace_deletes_what_is_shown_and_typing_goes_on():
    c = Composer("telex")
    for key in "Nguyeenx":
        c.feed(key)
    assert c.text == "Nguyễn"
    assert c.backspace() == "Nguyễ"  # deletes the last letter shown, not the last key
    assert c.feed("n") == "Nguyễn"
    assert c.backspace() == "Nguyễ"
    assert c.backspace() == "Nguy"
    assert c.feed("eenx") == "Nguyễn"
    assert c.commit() == "Nguyễn" and c.text == ""
    assert c.backspace() == ""


def test_undo_makes_the_rest_of_the_word_literal_until_a_space():
    c = Composer("telex")
    assert c.feed("ass") == "as"
    assert c.feed("s") == "ass"
    assert c.feed(" as") == "ass á"
    c.reset()
    assert c.text == ""


def test_unknown_method_is_refused():
    with pytest.raises(ValueError):
        Composer("viqr")  # type: ignore[arg-type]


@given(st.sampled_from(["telex", "vni"]), st.text(max_size=40), st.booleans())
def test_output_is_always_nfc(method, keys, modern):
    text = compose(method, keys, modern_style=modern)
    assert unicodedata.is_normalized("NFC", text)


_PLAIN_TELEX = "bcghiklmnpqtuvyBCGHIKLMNPQTUVY0123456789 .,;:!?-()/"
_PLAIN_VNI = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,;:!?-()/"


@given(st.text(alphabet=_PLAIN_TELEX, max_size=60))
def test_plain_text_passes_through_telex(text):
    assert compose("telex", text) == text


@given(st.text(alphabet=_PLAIN_VNI, max_size=60))
def test_plain_text_passes_through_vni(text):
    assert compose("vni", text) == text


@given(st.sampled_from(["telex", "vni"]), st.lists(st.text(max_size=3), max_size=20))
def test_backspace_always_shortens_by_one(method, keys):
    c = Composer(method)
    for key in keys:
        before = c.feed(key)
        assert c.backspace() == before[:-1]
        c.feed(before[-1:]) if before else None


@pytest.mark.parametrize(
    ("keys", "text"),
    [("Eeddee", "Êđê"), ("Kdawm", "Kdăm"), ("Ksorr", "Ksor"), ("Ddawkj Lawkj", "Đặk Lặk"),
     ("H'Hen Nieee", "H'Hen Niee"), ("H'Hen Niee", "H'Hen Niê"), ("Eddw", "Eđư"), ("ddi", "đi"),
     ("didd", "did")],
)
def test_names_of_ethnic_minorities_and_places(keys, text):
    """Names written as one word take marks on their last syllable; undo escapes a wrong guess."""
    assert compose("telex", keys) == text


def test_vni_names_written_as_one_word():
    assert compose("vni", "E6d9e6") == "Êđê"
    assert compose("vni", "Ad9a8") == "Ađă"


@pytest.mark.parametrize(
    ("keys", "text"),
    [("ngayf mai", "ngày mai"), ("mais ", "mái "), ("cuar toi", "của toi"),
     ("ngayf mai cuar tooi.", "ngày mai của tôi.")],
)
def test_space_and_punctuation_end_the_word_without_moving_its_tone(keys, text):
    assert compose("telex", keys) == text
