"""Vietnamese from a physical (USB) keyboard: an event filter that composes Telex/VNI keys.

A locked kiosk has no input method (IBus, Unikey), so without this "Nguyeenx" typed by staff on a
USB keyboard would stay "Nguyeenx". The filter sits on the one field being typed in (``attach``),
so it never sees keys meant for any other widget, and feeds the same composer the on-screen keys
use (``ui.keyboard.editing.TargetEditor`` over ``ui.keyboard.vnkeys``), with the on-screen keyboard's
method (``pair_with``).

What it takes, and what it leaves to the field:

- It composes only in plain text fields: a QLineEdit whose ``keyboard`` property is "text"
  (the layout the on-screen keyboard follows), editable, echoing normally, and whose input-method
  hints do not ask for digits, a date, an e-mail address, a URL, Latin only or sensitive data. A
  "text" field opts out with ``Qt.ImhLatinOnly``.
- It takes a key only when its text is one ASCII letter (or, in VNI, one ASCII digit) and no
  Ctrl, Alt or Meta is held, so shortcuts (Ctrl+Alt+S for staff sign-in) reach Qt untouched, and a
  key that already carries Vietnamese text (a Vietnamese layout, an IME) passes through.
- Backspace undoes within the word being composed; with nothing composed it is the field's own.
- Anything else ends the word: another key, a click, focus leaving, an IME commit
  (``QInputMethodEvent``, always passed through), or the text or cursor having changed since the
  last composed key (so the composer never rewrites text it did not type). Method "none" types as is.

Nothing here raises; the composer raises nothing either.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit

from ui.keyboard.editing import Method, TargetEditor

__all__ = ["PhysicalKeyboard", "composes_in"]

_SHORTCUT_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                       | Qt.KeyboardModifier.MetaModifier)
#: Hints of fields that hold codes, numbers or secrets rather than Vietnamese words.
_NOT_PROSE = (Qt.InputMethodHint.ImhDigitsOnly | Qt.InputMethodHint.ImhFormattedNumbersOnly
              | Qt.InputMethodHint.ImhDialableCharactersOnly | Qt.InputMethodHint.ImhDate
              | Qt.InputMethodHint.ImhTime | Qt.InputMethodHint.ImhEmailCharactersOnly
              | Qt.InputMethodHint.ImhUrlCharactersOnly | Qt.InputMethodHint.ImhLatinOnly
              | Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhHiddenText)
#: Pressing these alone (Shift for a capital, say) neither types nor ends the word.
_MODIFIER_KEYS = frozenset({Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta,
                            Qt.Key.Key_AltGr, Qt.Key.Key_CapsLock, Qt.Key.Key_NumLock,
                            Qt.Key.Key_Super_L, Qt.Key.Key_Super_R, Qt.Key.Key_Hyper_L,
                            Qt.Key.Key_Hyper_R})
_ENDS_WORD = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
                        QEvent.Type.FocusOut, QEvent.Type.InputMethod})


def composes_in(widget: QObject | None) -> bool:
    """Whether physical keys typed into ``widget`` go through the Vietnamese composer."""
    if not isinstance(widget, QLineEdit) or widget.property("keyboard") != "text":
        return False
    if widget.isReadOnly() or not widget.isEnabled():
        return False
    if widget.echoMode() is not QLineEdit.EchoMode.Normal:
        return False
    return not widget.inputMethodHints() & _NOT_PROSE


class PhysicalKeyboard(QObject):
    """Composes Vietnamese from key presses into the attached field (see the module docstring).

    ``typed`` carries each key it composed (after the field shows the result), so an on-screen
    keyboard can end its own word and the two never compose over each other.
    """

    typed = Signal(str)

    def __init__(self, parent: QObject | None = None, *, method: Method = "telex") -> None:
        super().__init__(parent)
        self._editor = TargetEditor(method)
        self._field: QLineEdit | None = None
        self._left: tuple[str, int] | None = None  # (text, cursor) as the last composed key left it

    # -- what the dock (or a test) sets --------------------------------------------------------
    @property
    def method(self) -> Method:
        return self._editor.method

    @method.setter
    def method(self, method: Method) -> None:
        self.commit()
        self._editor.method = method

    def set_method(self, method: str) -> None:
        """Slot for ``OnScreenKeyboard.method_changed``."""
        self.method = method  # type: ignore[assignment]  # checked by the editor

    @property
    def field(self) -> QLineEdit | None:
        return self._field

    @property
    def composing(self) -> str:
        return self._editor.composing

    def attach(self, field: QLineEdit | None) -> None:
        """Watch ``field`` (the focused one) instead of the previous field; None: watch nothing.

        Any field may be attached; keys are composed only while ``composes_in(field)`` holds, so a
        field that changes its hints or property later is followed."""
        if field is self._field:
            return
        self.commit()
        if self._field is not None:
            self._field.destroyed.disconnect(self._forget)
            self._field.removeEventFilter(self)
        self._field = field
        self._editor.target = field
        if field is not None:
            field.destroyed.connect(self._forget)
            field.installEventFilter(self)

    def pair_with(self, keyboard: QObject) -> None:
        """Share the method of an ``OnScreenKeyboard`` and never compose over its word."""
        self.method = keyboard.method
        keyboard.method_changed.connect(self.set_method)
        keyboard.key_pressed.connect(self._end_word)
        self.typed.connect(keyboard.commit)

    def commit(self) -> str:
        """End the word being composed; returns it (the field already shows it)."""
        self._left = None
        return self._editor.commit()

    def _end_word(self, *_: object) -> None:
        self.commit()

    def _forget(self) -> None:
        self._field = self._editor.target = None
        self.commit()

    # -- the filter --------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is not self._field:
            return False
        kind = event.type()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._key(event)
        if kind in _ENDS_WORD:
            self.commit()
        return False

    def _key(self, event: QKeyEvent) -> bool:
        """True when the key was composed (the field must not see it too)."""
        if event.key() in _MODIFIER_KEYS:
            return False
        field = self._field
        assert field is not None
        if self._left is not None and self._left != (field.text(), field.cursorPosition()):
            self.commit()  # the cursor moved or the text changed since the last composed key
        if (self.method == "none" or event.modifiers() & _SHORTCUT_MODIFIERS
                or not composes_in(field)):
            self.commit()
            return False
        text = event.text()
        backspace = event.key() == Qt.Key.Key_Backspace
        if backspace and self.composing:
            self._editor.backspace()
        elif len(text) == 1 and text.isascii() and (
                text.isalpha() or (text.isdigit() and self.method == "vni")):
            self._editor.type_letter(text)
        else:
            self.commit()
            return False
        self._left = (field.text(), field.cursorPosition())
        event.accept()
        if not backspace:
            self.typed.emit(text)
        return True
