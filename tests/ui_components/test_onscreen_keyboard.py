"""The on-screen keyboard types Vietnamese into a line edit by clicking its keys."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from ui.keyboard.vnkeys import compose
from ui.keyboard import Layout, OnScreenKeyboard
from ui.keyboard.layouts import ROWS

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def setup(qtbot):
    host = QWidget()
    box = QVBoxLayout(host)
    field = QLineEdit(host)
    keyboard = OnScreenKeyboard(host)
    box.addWidget(field)
    box.addWidget(keyboard)
    qtbot.addWidget(host)
    host.show()
    field.setFocus()
    keyboard.target = field
    yield field, keyboard
    del host  # kept alive (with its children) for the whole test


def click(qtbot, keyboard: OnScreenKeyboard, keys: str) -> None:
    """Click the key for each character: upper case through the shift key, " " the space bar."""
    for ch in keys:
        if ch == " ":
            key_id = "space"
        elif ch == "⌫":
            key_id = "backspace"
        else:
            if ch != ch.lower():
                qtbot.mouseClick(keyboard.keys["shift"], Qt.MouseButton.LeftButton)
            key_id = ch.lower()
        qtbot.mouseClick(keyboard.keys[key_id], Qt.MouseButton.LeftButton)


def nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def test_telex_types_the_name_of_issue_6(qtbot, setup):
    field, keyboard = setup
    committed: list[str] = []
    keyboard.text_committed.connect(committed.append)
    click(qtbot, keyboard, "Nguyeenx Vawn Aan")
    assert field.text() == "Nguyễn Văn Ân" and nfc(field.text())
    assert committed == ["Nguyễn", "Văn"]  # "Ân" is still being composed
    assert keyboard.commit() == "Ân"
    assert field.hasFocus()  # the keys never took the focus from the field


def test_vni_types_the_same_name(qtbot, setup):
    field, keyboard = setup
    keyboard.method = "vni"
    click(qtbot, keyboard, "Nguye6n4 Va8n A6n")
    assert field.text() == "Nguyễn Văn Ân" and nfc(field.text())


def test_method_key_cycles_and_none_types_plainly(qtbot, setup):
    field, keyboard = setup
    with qtbot.waitSignal(keyboard.method_changed) as blocker:
        qtbot.mouseClick(keyboard.keys["method"], Qt.MouseButton.LeftButton)
    assert blocker.args == ["vni"] and keyboard.keys["method"].text() == "VNI"
    qtbot.mouseClick(keyboard.keys["method"], Qt.MouseButton.LeftButton)
    assert keyboard.method == "none"
    click(qtbot, keyboard, "aas")
    assert field.text() == "aas"


@pytest.mark.parametrize("method", ["none", "telex", "vni"])
def test_tone_and_vowel_rows_need_no_method(qtbot, setup, method):
    field, keyboard = setup
    keyboard.method = method
    click(qtbot, keyboard, "Vi")
    qtbot.mouseClick(keyboard.keys["ê"], Qt.MouseButton.LeftButton)
    click(qtbot, keyboard, "t")
    qtbot.mouseClick(keyboard.keys["tone-5"], Qt.MouseButton.LeftButton)  # nặng
    click(qtbot, keyboard, " ")
    qtbot.mouseClick(keyboard.keys["đ"], Qt.MouseButton.LeftButton)
    for key in ("ư", "ơ", "n", "g"):
        qtbot.mouseClick(keyboard.keys[key], Qt.MouseButton.LeftButton)
    assert field.text() == "Việt đương"


def test_vowel_row_and_tone_placement(qtbot, setup):
    field, keyboard = setup
    keyboard.method = "none"
    for key in ("h", "o", "a", "tone-2", "n"):  # tone before the final consonant: hoàn
        qtbot.mouseClick(keyboard.keys[key], Qt.MouseButton.LeftButton)
    assert field.text() == "hoàn"
    for key in ("space", "đ", "ư", "ơ", "n", "g", "tone-2"):
        qtbot.mouseClick(keyboard.keys[key], Qt.MouseButton.LeftButton)
    assert field.text() == "hoàn đường" and nfc(field.text())


def test_tone_key_twice_removes_it_and_changes_replace(qtbot, setup):
    field, keyboard = setup
    click(qtbot, keyboard, "ma")
    qtbot.mouseClick(keyboard.keys["tone-1"], Qt.MouseButton.LeftButton)
    assert field.text() == "má"
    qtbot.mouseClick(keyboard.keys["tone-4"], Qt.MouseButton.LeftButton)
    assert field.text() == "mã"
    qtbot.mouseClick(keyboard.keys["tone-4"], Qt.MouseButton.LeftButton)
    assert field.text() == "ma"
    click(qtbot, keyboard, " ng")  # no vowel: a tone key does nothing
    qtbot.mouseClick(keyboard.keys["tone-3"], Qt.MouseButton.LeftButton)
    assert field.text() == "ma ng"


def test_tone_key_on_a_word_typed_on_the_physical_keyboard(qtbot, setup):
    field, keyboard = setup
    qtbot.keyClicks(field, "Thuy")  # staff typing on a real keyboard
    qtbot.mouseClick(keyboard.keys["tone-3"], Qt.MouseButton.LeftButton)
    assert field.text() == "Thuỷ"
    click(qtbot, keyboard, "s")  # the composition starts afresh: no rewriting of typed text
    assert field.text() == "Thuỷs"


def test_backspace_inside_and_outside_a_composition(qtbot, setup):
    field, keyboard = setup
    click(qtbot, keyboard, "Vieetj⌫")
    assert field.text() == "Việ"
    click(qtbot, keyboard, "t Nam⌫⌫⌫")
    assert field.text() == "Việt "
    click(qtbot, keyboard, "⌫⌫")
    assert field.text() == "Việ"
    click(qtbot, keyboard, "t")
    assert field.text() == "Việt"


def test_space_ends_the_word_without_moving_its_tone(qtbot, setup):
    field, keyboard = setup
    click(qtbot, keyboard, "ngayf mai cuar tooi ")
    assert field.text() == "ngày mai của tôi "


def test_mixed_case(qtbot, setup):
    field, keyboard = setup
    click(qtbot, keyboard, "DDaf Nawxng VIEETJ")
    assert field.text() == "Đà Nẵng VIỆT"
    assert not keyboard.shifted  # shift is one-shot
    qtbot.mouseClick(keyboard.keys["shift"], Qt.MouseButton.LeftButton)
    assert keyboard.shifted and keyboard.keys["shift"].isDown() and keyboard.keys["ư"].text() == "Ư"
    qtbot.mouseClick(keyboard.keys["shift"], Qt.MouseButton.LeftButton)  # changed their mind
    assert not keyboard.shifted and keyboard.keys["a"].text() == "a"


def test_composition_follows_the_cursor(qtbot, setup):
    field, keyboard = setup
    click(qtbot, keyboard, "an")
    field.setText("xin chao")  # the screen or a person changed the text
    field.setCursorPosition(len("xin chao"))
    click(qtbot, keyboard, "f")  # not composing "chao": typed as a new composition
    assert field.text() == "xin chaof"


@pytest.mark.parametrize(("layout", "allowed"), [(Layout.NUMERIC, set("0123456789")),
                                                 (Layout.PHONE, set("0123456789+"))])
def test_numeric_layouts_type_only_digits(qtbot, setup, layout, allowed):
    field, keyboard = setup
    keyboard.layout_kind = layout
    typing = [k for row in ROWS[layout] for k in row if k != "backspace"]
    assert set(typing) == allowed and set(keyboard.keys) == allowed | {"backspace"}
    for key in sorted(keyboard.keys):
        qtbot.mouseClick(keyboard.keys[key], Qt.MouseButton.LeftButton)
    assert set(field.text()) <= allowed and len(field.text()) == len(allowed) - 1


def test_keys_are_large_and_never_take_focus(qtbot, setup):
    field, keyboard = setup
    for layout in Layout:
        keyboard.layout_kind = layout
        for key in keyboard.keys.values():
            assert key.minimumHeight() >= 48 and key.minimumWidth() >= 48
            assert key.focusPolicy() == Qt.FocusPolicy.NoFocus
            assert key.font().pixelSize() >= 24 and key.accessibleName()
    assert keyboard.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)


def test_without_a_target_keys_do_nothing(qtbot):
    keyboard = OnScreenKeyboard()
    qtbot.addWidget(keyboard)
    with qtbot.waitSignal(keyboard.key_pressed):
        keyboard.on_key_clicked("a")
    keyboard.on_key_clicked("tone-1")
    keyboard.on_key_clicked("backspace")
    assert keyboard.composing == ""


def test_target_deleted_is_forgotten(qtbot):
    keyboard = OnScreenKeyboard()
    qtbot.addWidget(keyboard)
    field = QLineEdit()
    keyboard.target = field
    with qtbot.waitSignal(field.destroyed):
        field.deleteLater()
    assert keyboard.target is None
    keyboard.on_key_clicked("a")


@given(keys=st.text(alphabet="aeiouydwsfrxjznghtAEOWD ", max_size=30),
       method=st.sampled_from(["telex", "vni"]))
@settings(max_examples=60, deadline=None)
def test_clicking_keys_types_what_the_composer_composes(qapp, keys, method):
    """The keyboard adds nothing of its own: each word is what ``compose()`` makes of its keys."""
    if method == "vni":
        keys = keys.translate(str.maketrans("sfrxjzwWdD", "1234507799"))
    host = QLineEdit()
    keyboard = OnScreenKeyboard(method=method)
    keyboard.target = host
    for ch in keys:
        if ch.isupper():
            keyboard.on_key_clicked("shift")
        keyboard.on_key_clicked("space" if ch == " " else ch.lower())
    expected = " ".join(compose(method, part) for part in keys.split(" "))
    assert host.text() == expected and nfc(host.text())
    keyboard.deleteLater()
    host.deleteLater()


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_follows_the_focus_and_the_fields_layout(qtbot, qapp):
    host = QWidget()
    box = QVBoxLayout(host)
    name, phone = QLineEdit(host), QLineEdit(host)
    phone.setProperty("keyboard", "phone")
    keyboard = OnScreenKeyboard(host)
    for widget in (name, phone, keyboard):
        box.addWidget(widget)
    qtbot.addWidget(host)
    qapp.focusChanged.connect(keyboard.on_focus_changed)
    try:
        host.show()
        qtbot.waitExposed(host)
        host.activateWindow()
        name.setFocus()
        qtbot.waitUntil(lambda: keyboard.target is name)
        assert keyboard.layout_kind is Layout.TEXT
        phone.setFocus()
        qtbot.waitUntil(lambda: keyboard.target is phone)
        assert keyboard.layout_kind is Layout.PHONE
        keyboard.on_key_clicked("+")
        keyboard.on_key_clicked("8")
        assert phone.text() == "+8" and name.text() == ""
    finally:
        qapp.focusChanged.disconnect(keyboard.on_focus_changed)
