"""Vietnamese typed on a physical (USB) keyboard: QTest key presses into a real QLineEdit, with
the filter of ui/keyboard/physical.py attached, compose Telex/VNI like the on-screen keys."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from ui.keyboard.vnkeys import compose
from ui.keyboard import OnScreenKeyboard
from ui.keyboard.physical import PhysicalKeyboard, composes_in

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def setup(qtbot):
    """A text field (as the form's name field declares itself) with the filter attached."""
    host = QWidget()
    box = QVBoxLayout(host)
    field = QLineEdit(host)
    field.setProperty("keyboard", "text")
    other = QLineEdit(host)
    box.addWidget(field)
    box.addWidget(other)
    qtbot.addWidget(host)
    physical = PhysicalKeyboard(host)
    physical.attach(field)
    yield field, physical
    physical.attach(None)


def press(qtbot, field: QLineEdit, keys: str) -> None:
    """Type like a person at a USB keyboard: capitals with Shift held, "⌫" is Backspace."""
    for ch in keys:
        if ch == "⌫":
            qtbot.keyClick(field, Qt.Key_Backspace)
        elif ch.isupper():
            qtbot.keyClick(field, ch, Qt.ShiftModifier)  # QTest presses Shift first, as a hand does
        else:
            qtbot.keyClick(field, ch)


def nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def test_telex_types_the_name_of_the_issue(qtbot, setup):
    field, physical = setup
    qtbot.keyClicks(field, "Nguyeenx Vawn Aan")
    assert field.text() == "Nguyễn Văn Ân" and nfc(field.text())
    assert physical.composing == "Ân" and physical.commit() == "Ân"


def test_vni_types_the_same_name(qtbot, setup):
    field, physical = setup
    physical.method = "vni"
    qtbot.keyClicks(field, "Nguye6n4 Va8n A6n")
    assert field.text() == "Nguyễn Văn Ân" and nfc(field.text())


def test_vni_digits_after_a_space_stay_digits(qtbot, setup):
    field, physical = setup
    physical.method = "vni"
    qtbot.keyClicks(field, "Tho6n 3, so61 12")
    assert field.text() == "Thôn 3, số 12"


def test_method_none_types_as_is(qtbot, setup):
    field, physical = setup
    physical.method = "none"
    qtbot.keyClicks(field, "Nguyeenx Vawn Aan")
    assert field.text() == "Nguyeenx Vawn Aan" and physical.composing == ""


def test_mixed_case_with_shift_held(qtbot, setup):
    field, _ = setup
    press(qtbot, field, "NGUYEENX")
    assert field.text() == "NGUYỄN"
    field.clear()
    press(qtbot, field, "DDaf Nawxng VIEETJ TraanF")
    assert field.text() == "Đà Nẵng VIỆT Trần"


def test_backspace_undoes_within_the_word_then_is_the_fields_own(qtbot, setup):
    field, _ = setup
    press(qtbot, field, "Vieetj⌫")
    assert field.text() == "Việ"
    press(qtbot, field, "t")  # still the same word: the tone comes back where it belongs
    assert field.text() == "Việt"
    press(qtbot, field, " Nam⌫⌫⌫")
    assert field.text() == "Việt "
    press(qtbot, field, "⌫⌫")  # nothing composed: the field deletes, the old word is not resumed
    assert field.text() == "Việ"
    press(qtbot, field, "tj")
    assert field.text() == "Việtj"


def test_backspace_deletes_a_selection_as_usual(qtbot, setup):
    field, physical = setup
    qtbot.keyClicks(field, "Hoaf")
    field.selectAll()
    qtbot.keyClick(field, Qt.Key_Backspace)
    assert field.text() == "" and physical.composing == ""


@pytest.mark.parametrize("keys", [(Qt.Key_Left, Qt.Key_Right), (Qt.Key_Home, Qt.Key_End)])
def test_moving_the_cursor_ends_the_word(qtbot, setup, keys):
    field, physical = setup
    qtbot.keyClicks(field, "Vieet")
    for key in keys:  # away and back: the cursor is where it was, the word still ends
        qtbot.keyClick(field, key)
    assert physical.composing == ""
    qtbot.keyClicks(field, "j")
    assert field.text() == "Viêtj"


def test_typing_in_the_middle_never_rewrites_the_word_after_it(qtbot, setup):
    field, _ = setup
    qtbot.keyClicks(field, "an an")
    field.setCursorPosition(2)  # as a click would: "an|an" still ends with "an" left of the cursor
    qtbot.keyClicks(field, "s")
    assert field.text() == "ans an"


def test_a_click_ends_the_word(qtbot, setup):
    field, physical = setup
    qtbot.keyClicks(field, "Vieet")
    qtbot.mouseClick(field, Qt.LeftButton)
    assert physical.composing == ""
    field.end(False)
    qtbot.keyClicks(field, "j")
    assert field.text() == "Viêtj"


def test_selected_text_is_replaced_by_a_fresh_word(qtbot, setup):
    field, _ = setup
    qtbot.keyClicks(field, "Nguyen")
    field.selectAll()
    qtbot.keyClicks(field, "Hoaf")
    assert field.text() == "Hoà"


@pytest.mark.parametrize(("configure", "typed"), [
    (lambda f: f.setProperty("keyboard", "numeric"), "aas"),
    (lambda f: f.setProperty("keyboard", "phone"), "aas"),
    (lambda f: f.setProperty("keyboard", None), "aas"),  # the staff sign-in: no property at all
    (lambda f: f.setInputMethodHints(Qt.ImhDate), "aas"),
    (lambda f: f.setInputMethodHints(Qt.ImhEmailCharactersOnly), "aas"),
    (lambda f: f.setInputMethodHints(Qt.ImhDigitsOnly), "aas"),
    (lambda f: f.setInputMethodHints(Qt.ImhLatinOnly), "aas"),
    (lambda f: f.setEchoMode(QLineEdit.Password), "aas"),
    (lambda f: f.setReadOnly(True), ""),
], ids=["numeric", "phone", "no-property", "date", "email", "digits", "latin-only", "password",
        "read-only"])
def test_fields_that_are_not_plain_text_are_untouched(qtbot, setup, configure, typed):
    field, physical = setup
    configure(field)
    assert not composes_in(field)
    qtbot.keyClicks(field, "aas")
    assert field.text() == typed and physical.composing == ""


def test_vni_digits_in_a_numeric_field_stay_digits(qtbot, setup):
    field, physical = setup
    physical.method = "vni"
    field.setProperty("keyboard", "numeric")
    qtbot.keyClicks(field, "a1a6")
    assert field.text() == "a1a6"


def test_other_fields_never_see_the_composer(qtbot, setup):
    field, _ = setup
    other = field.parentWidget().findChildren(QLineEdit)[1]
    other.setProperty("keyboard", "text")  # a text field, but not the attached one
    qtbot.keyClicks(other, "Nguyeenx")
    assert other.text() == "Nguyeenx"


def test_ctrl_and_alt_letters_reach_the_field_untouched(qtbot, setup):
    field, physical = setup
    other = field.parentWidget().findChildren(QLineEdit)[1]  # the same keys with no filter
    for line in (field, other):
        qtbot.keyClicks(line, "ma")
        qtbot.keyClick(line, Qt.Key_S, Qt.ControlModifier)  # not the tone s
        qtbot.keyClick(line, Qt.Key_J, Qt.AltModifier)  # not the tone j: whatever Qt makes of it
    assert field.text() == other.text() and field.text().startswith("ma")
    assert physical.composing == ""
    qtbot.keyClick(field, Qt.Key_A, Qt.ControlModifier)  # select all: Qt's own shortcut works
    assert field.selectedText() == field.text()


def test_ctrl_alt_s_still_opens_the_staff_shortcut(qtbot, setup):
    field, _ = setup
    host = field.window()
    shortcut = QShortcut(QKeySequence("Ctrl+Alt+S"), host)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow, timeout=5000)
    field.setFocus()
    qtbot.keyClicks(field, "ma")
    with qtbot.waitSignal(shortcut.activated, timeout=5000):
        qtbot.keyClick(field, Qt.Key_S, Qt.ControlModifier | Qt.AltModifier)
    assert field.text() == "ma"


def commit_from_ime(field: QLineEdit, text: str) -> None:
    """What an input method (IBus, Unikey) sends: no key event, a commit string."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(field, event)


def test_input_method_text_passes_untouched_and_ends_the_word(qtbot, setup):
    field, physical = setup
    qtbot.keyClicks(field, "Vieet")
    decomposed = unicodedata.normalize("NFD", " Nguyễn")  # left exactly as the IME sent it
    commit_from_ime(field, decomposed)
    assert field.text() == "Viêt" + decomposed and physical.composing == ""
    qtbot.keyClicks(field, "j")
    assert field.text() == "Viêt" + decomposed + "j"


def send_text_key(field: QLineEdit, text: str) -> None:
    """A key whose text is already Vietnamese (a Vietnamese layout, an IME composing in keys)."""
    for kind in (QEvent.KeyPress, QEvent.KeyRelease):
        QApplication.sendEvent(field, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, text))


def test_a_key_with_vietnamese_text_passes_through(qtbot, setup):
    field, physical = setup
    qtbot.keyClicks(field, "Nguy")
    send_text_key(field, "ễ")
    assert field.text() == "Nguyễ" and physical.composing == ""
    qtbot.keyClicks(field, "n")
    assert field.text() == "Nguyễn"
    qtbot.keyClicks(field, "x")  # a new word began after the layout's key: "nx", not a tone
    assert field.text() == "Nguyễnx"


def test_the_method_and_the_on_screen_words_are_shared(qtbot, setup):
    field, physical = setup
    keyboard = OnScreenKeyboard()
    qtbot.addWidget(keyboard)
    keyboard.target = field
    physical.pair_with(keyboard)
    keyboard.on_key_clicked("method")  # Telex -> VNI on the screen: the USB keyboard follows
    assert physical.method == "vni"
    qtbot.keyClicks(field, "Va8n")
    keyboard.on_key_clicked("a")  # an on-screen key ends the USB keyboard's word ...
    assert physical.composing == "" and field.text() == "Văna"
    qtbot.keyClicks(field, "6")  # ... and a USB key ends the on-screen one
    assert keyboard.composing == "" and field.text() == "Văna6"
    keyboard.on_key_clicked("method")
    assert physical.method == "none"


def test_detached_or_deleted_fields_are_left_alone(qtbot, setup):
    field, physical = setup
    physical.attach(None)
    qtbot.keyClicks(field, "aas")
    assert field.text() == "aas" and physical.field is None
    doomed = QLineEdit()
    doomed.setProperty("keyboard", "text")
    physical.attach(doomed)
    with qtbot.waitSignal(doomed.destroyed):
        doomed.deleteLater()
    assert physical.field is None
    physical.attach(field)
    qtbot.keyClicks(field, "s")
    assert field.text() == "aass"


@given(keys=st.text(alphabet="aeiouydwsfrxjznghtAEOWD ", max_size=30),
       method=st.sampled_from(["telex", "vni"]))
@settings(max_examples=60, deadline=None)
def test_key_presses_type_what_the_composer_composes(qapp, keys, method):
    """The filter adds nothing of its own: each word is what ``compose()`` makes of its keys."""
    if method == "vni":
        keys = keys.translate(str.maketrans("sfrxjzwWdD", "1234507799"))
    field = QLineEdit()
    field.setProperty("keyboard", "text")
    physical = PhysicalKeyboard(method=method)
    physical.attach(field)
    QTest.keyClicks(field, keys)
    expected = " ".join(compose(method, part) for part in keys.split(" "))
    assert field.text() == expected and nfc(field.text())
    physical.attach(None)
    field.deleteLater()
    physical.deleteLater()
