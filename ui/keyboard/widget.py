"""The on-screen keyboard: Vietnamese letters with Telex/VNI, tone and vowel keys, digits, phone.

It never takes the focus (keys have no focus policy and the widget shows without activating), so
the field keeps its cursor and a physical keyboard keeps working beside it. Screens set
``keyboard.target`` to the QLineEdit being filled and ``keyboard.layout_kind`` to suit the field.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton, QSizePolicy, QWidget

from ui.keyboard.editing import Method, TargetEditor
from ui.keyboard.layouts import ROWS, TONE_LABELS, Layout

__all__ = ["OnScreenKeyboard"]

KEY_SIZE = 60  # px, above the 48 px touch minimum
LABEL_PIXELS = 28
_METHODS: tuple[Method, ...] = ("telex", "vni", "none")
_WIDE = {"space": 4, "backspace": 2, "shift": 2, "method": 3}


def _names() -> dict[str, str]:
    """Spoken / accessible names of the command keys (translated)."""
    return {
        "shift": QCoreApplication.translate("Keyboard", "Capital letter"),
        "backspace": QCoreApplication.translate("Keyboard", "Delete"),
        "space": QCoreApplication.translate("Keyboard", "Space"),
        "method": QCoreApplication.translate("Keyboard", "Typing method"),
        "tone-1": QCoreApplication.translate("Keyboard", "Acute tone (sắc)"),
        "tone-2": QCoreApplication.translate("Keyboard", "Grave tone (huyền)"),
        "tone-3": QCoreApplication.translate("Keyboard", "Hook tone (hỏi)"),
        "tone-4": QCoreApplication.translate("Keyboard", "Tilde tone (ngã)"),
        "tone-5": QCoreApplication.translate("Keyboard", "Dot tone (nặng)"),
    }


class OnScreenKeyboard(QWidget):
    key_pressed = Signal(str)  # the key id, after its text reached the target
    text_committed = Signal(str)  # the composed word, when a space or punctuation ends it
    method_changed = Signal(str)  # "telex", "vni" or "none"

    def __init__(self, parent: QWidget | None = None, *, layout: Layout = Layout.TEXT,
                 method: Method = "telex") -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setObjectName("on-screen-keyboard")
        self._editor = TargetEditor(method)
        self._shift = False
        self._layout = layout
        self._grid = QGridLayout(self)
        self._grid.setSpacing(6)
        self._grid.setContentsMargins(8, 8, 8, 8)
        self.keys: dict[str, QPushButton] = {}
        self._build()

    # -- properties the screens set ------------------------------------------------------------
    @property
    def target(self) -> QLineEdit | None:
        return self._editor.target

    @target.setter
    def target(self, field: QLineEdit | None) -> None:
        if self._editor.target is not None:
            self._editor.target.destroyed.disconnect(self.on_target_destroyed)
        self._editor.commit()
        self._editor.target = field
        if field is not None:
            field.destroyed.connect(self.on_target_destroyed)

    def on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Follow the focus (connect ``QApplication.focusChanged``): a line edit becomes the target
        and its ``keyboard`` property ("text", "numeric", "phone") picks the layout."""
        if isinstance(new, QLineEdit) and new is not self.target:
            self.target = new
            wanted = new.property("keyboard")
            if wanted in {layout.value for layout in Layout}:
                self.layout_kind = Layout(wanted)

    def on_target_destroyed(self) -> None:
        self._editor.target = None
        self._editor.commit()

    @property
    def method(self) -> Method:
        return self._editor.method

    @method.setter
    def method(self, method: Method) -> None:
        self._editor.method = method
        self._label_keys()
        self.method_changed.emit(method)

    @property
    def layout_kind(self) -> Layout:
        return self._layout

    @layout_kind.setter
    def layout_kind(self, layout: Layout) -> None:
        if layout is not self._layout:
            self._layout = layout
            self._editor.commit()
            self._build()

    @property
    def composing(self) -> str:
        return self._editor.composing

    @property
    def shifted(self) -> bool:
        return self._shift

    # -- building --------------------------------------------------------------------------------
    def _build(self) -> None:
        for key in self.keys.values():
            key.setParent(None)
            key.deleteLater()
        self.keys = {}
        for row, keys in enumerate(ROWS[self._layout]):
            column = 0
            for key_id in keys:
                span = _WIDE.get(key_id, 1)
                self._grid.addWidget(self._make_key(key_id), row, column, 1, span)
                column += span
        self._label_keys()

    def _make_key(self, key_id: str) -> QPushButton:
        key = QPushButton(self)
        key.setObjectName(f"key-{key_id}")
        key.setProperty("role", "key")
        key.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        key.setAutoRepeat(key_id == "backspace")
        key.setMinimumSize(KEY_SIZE * _WIDE.get(key_id, 1), KEY_SIZE)
        key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        font = QFont(key.font())
        font.setPixelSize(LABEL_PIXELS)
        key.setFont(font)
        key.clicked.connect(lambda _=False, k=key_id: self.on_key_clicked(k))
        self.keys[key_id] = key
        return key

    def _label_keys(self) -> None:
        names = _names()
        methods = {"telex": "Telex", "vni": "VNI",
                   "none": QCoreApplication.translate("Keyboard", "No accents")}
        for key_id, key in self.keys.items():
            if key_id in TONE_LABELS:
                key.setText(TONE_LABELS[key_id])
            elif key_id == "method":
                key.setText(methods[self.method])
            elif key_id == "space":
                key.setText(names["space"].lower())
            elif key_id in names:
                key.setText({"shift": "⇧", "backspace": "⌫"}[key_id])
            else:
                key.setText(key_id.upper() if self._shift else key_id)
            key.setAccessibleName(names.get(key_id, key.text()))
            if key_id == "shift":
                key.setDown(self._shift)  # looks pressed while the next letter will be a capital

    def retranslate(self) -> None:
        self._label_keys()

    # -- keys ------------------------------------------------------------------------------------
    def on_key_clicked(self, key_id: str) -> None:
        """What a key does; also the way tests and the demo panel press keys."""
        if key_id == "shift":
            self._shift = not self._shift
            self._label_keys()
        elif key_id == "method":
            self.method = _METHODS[(_METHODS.index(self.method) + 1) % len(_METHODS)]
        elif key_id == "backspace":
            self._editor.backspace()
        elif key_id.startswith("tone-"):
            self._editor.apply_tone(int(key_id[-1]))
        elif self._layout not in (Layout.TEXT, Layout.CODE):
            self._editor.type_literal(key_id)
        else:
            self._type_text(key_id)
        self.key_pressed.emit(key_id)

    def _type_text(self, key_id: str) -> None:
        text = " " if key_id == "space" else key_id
        if self._shift:
            text = text.upper()
            self._shift = False
            self._label_keys()
        composes = text.isalpha() or (text.isdigit() and self.method == "vni")
        if composes:
            self._editor.type_letter(text)
            return
        word = self._editor.type_literal(text)
        if word:
            self.text_committed.emit(word)

    def commit(self) -> str:
        """End the composition (e.g. when the screen moves on); returns the composed word."""
        return self._editor.commit()
