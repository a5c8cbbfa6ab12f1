"""One large touch widget per form field type; all speak strings (the core validates them).

Every editor has ``value() -> str``, ``set_value(str)``, ``clear()`` and a ``value_changed`` signal,
so the form screen treats them alike and never loses what the citizen typed.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QHBoxLayout, QLineEdit, QPushButton,
                               QWidget)

from kiosk.domain.procedures import FieldType, FormField
from ui.widgets.common import button
from ui.widgets.flow import FlowLayout

__all__ = ["AddressEditor", "ChoiceEditor", "FieldEditor", "NumberEditor", "TextEditor", "make_editor"]


class FieldEditor(QWidget):
    value_changed = Signal()

    def value(self) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def set_value(self, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def clear(self) -> None:
        self.set_value("")

    def retranslate(self, language: str) -> None:
        """Re-word labels that come from data (choices) or the UI (placeholders)."""


class TextEditor(FieldEditor):
    """A single-line entry; ``pattern`` limits the characters for digits-only fields."""

    def __init__(self, field: FormField, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._field = field
        self.line = QLineEdit(self)
        self.line.setMinimumHeight(60)
        self.line.setMaxLength(max(field.max_length, 1))
        hints = {FieldType.PHONE: (Qt.ImhDialableCharactersOnly, r"[0-9+ .\-]*"),
                 FieldType.ID12: (Qt.ImhDigitsOnly, r"[0-9 ]*"),
                 FieldType.EMAIL: (Qt.ImhEmailCharactersOnly, None),
                 FieldType.DATE: (Qt.ImhDate, r"[0-9/.\-]*")}
        hint, pattern = hints.get(field.type, (Qt.ImhNone, None))
        self.line.setInputMethodHints(hint)
        # which on-screen keyboard layout this field raises (ui/assist.py)
        self.line.setProperty("keyboard", {FieldType.PHONE: "phone",
                                           FieldType.ID12: "numeric"}.get(field.type, "text"))
        # a full mobile number or ID number puts the on-screen keys away (ui/assist.py)
        self.line.setProperty("complete_at", {FieldType.PHONE: 10, FieldType.ID12: 12}
                              .get(field.type))
        if pattern:
            self.line.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), self.line))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line)
        self.line.textChanged.connect(self.value_changed)

    def value(self) -> str:
        return self.line.text()

    def set_value(self, text: str) -> None:
        self.line.setText(text)

    def retranslate(self, language: str) -> None:
        placeholders = {
            FieldType.DATE: QCoreApplication.translate("FieldEditor", "day/month/year, e.g. 14/03/1995"),
            FieldType.PHONE: QCoreApplication.translate("FieldEditor", "e.g. 0912345678"),
            FieldType.EMAIL: QCoreApplication.translate("FieldEditor", "e.g. name@example.com"),
        }
        self.line.setPlaceholderText(placeholders.get(self._field.type, ""))


class ChoiceEditor(FieldEditor):
    """Big toggle buttons, one per choice; exactly one can be on (or none yet)."""

    def __init__(self, field: FormField, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._field = field
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QPushButton] = {}
        layout = FlowLayout(self, spacing=12)  # wraps when large text makes the choices wide
        for value in self._values():
            toggle = button("toggle", self, name=f"choice-{field.id}-{value}")
            toggle.setCheckable(True)
            toggle.setMinimumWidth(140)
            self.group.addButton(toggle)
            layout.addWidget(toggle)
            self.buttons[value] = toggle
        self.group.buttonToggled.connect(lambda *_: self.value_changed.emit())

    def _values(self) -> list[str]:
        if self._field.type is FieldType.YESNO:
            return ["yes", "no"]
        return [choice.value for choice in self._field.choices]

    def value(self) -> str:
        for value, toggle in self.buttons.items():
            if toggle.isChecked():
                return value
        return ""

    def set_value(self, text: str) -> None:
        key = {"có": "yes", "co": "yes", "true": "yes", "không": "no", "khong": "no",
               "false": "no"}.get(text.casefold(), text) if self._field.type is FieldType.YESNO else text
        self.group.setExclusive(False)  # an exclusive group cannot be emptied otherwise
        for value, toggle in self.buttons.items():
            toggle.setChecked(value == key)
        self.group.setExclusive(True)

    def retranslate(self, language: str) -> None:
        if self._field.type is FieldType.YESNO:
            self.buttons["yes"].setText(QCoreApplication.translate("FieldEditor", "Yes"))
            self.buttons["no"].setText(QCoreApplication.translate("FieldEditor", "No"))
            return
        for choice in self._field.choices:
            self.buttons[choice.value].setText(choice.label.get(language))


class NumberEditor(FieldEditor):
    """[-] number [+]: big steppers, and the number can also be typed."""

    def __init__(self, field: FormField, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._field = field
        self.minus = button("key", self, name=f"minus-{field.id}")
        self.minus.setText("−")
        self.minus.setFixedWidth(72)
        self.line = QLineEdit(self)
        self.line.setMinimumHeight(60)
        self.line.setFixedWidth(140)
        self.line.setAlignment(Qt.AlignCenter)
        self.line.setInputMethodHints(Qt.ImhDigitsOnly)
        self.line.setProperty("keyboard", "numeric")
        self.line.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9.,]{0,9}"),
                                                           self.line))
        self.plus = button("key", self, name=f"plus-{field.id}")
        self.plus.setText("+")
        self.plus.setFixedWidth(72)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        for widget in (self.minus, self.line, self.plus):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.minus.clicked.connect(lambda: self._step(-1))
        self.plus.clicked.connect(lambda: self._step(+1))
        self.line.textChanged.connect(self.value_changed)

    def _step(self, delta: int) -> None:
        try:
            current = float(self.line.text().replace(",", "."))
        except ValueError:
            current = (self._field.minimum or 0) - delta if delta > 0 else (self._field.minimum or 0)
        new = current + delta
        if self._field.minimum is not None:
            new = max(new, self._field.minimum)
        if self._field.maximum is not None:
            new = min(new, self._field.maximum)
        self.line.setText(str(int(new)) if float(new).is_integer() else str(new))

    def value(self) -> str:
        return self.line.text()

    def set_value(self, text: str) -> None:
        self.line.setText(text)

    def retranslate(self, language: str) -> None:
        self.minus.setAccessibleName(QCoreApplication.translate("FieldEditor", "One less"))
        self.plus.setAccessibleName(QCoreApplication.translate("FieldEditor", "One more"))


class AddressEditor(FieldEditor):
    """Province, then commune/ward, of the current two-level units; the answer is "<p>:<c>"."""

    def __init__(self, field: FormField, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from kiosk.domain import addresses

        self._addresses = addresses
        self.province = QComboBox(self)
        self.commune = QComboBox(self)
        for combo in (self.province, self.commune):
            combo.setMinimumHeight(60)
            combo.setMaxVisibleItems(12)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.province, 1)
        layout.addWidget(self.commune, 2)
        self.province.addItem("", None)
        for code, name in addresses.provinces():
            self.province.addItem(name, code)
        self.province.currentIndexChanged.connect(self._fill_communes)
        self.commune.currentIndexChanged.connect(lambda _index: self.value_changed.emit())

    def _fill_communes(self) -> None:
        code = self.province.currentData()
        self.commune.blockSignals(True)
        self.commune.clear()
        self.commune.addItem("", None)
        for unit in self._addresses.communes(code) if code is not None else ():
            self.commune.addItem(unit.commune, unit.commune_code)
        self.commune.blockSignals(False)
        self.value_changed.emit()

    def value(self) -> str:
        province, commune = self.province.currentData(), self.commune.currentData()
        return f"{province}:{commune}" if province is not None and commune is not None else ""

    def set_value(self, text: str) -> None:
        try:
            unit = self._addresses.parse_answer(text)
        except ValueError:
            self.province.setCurrentIndex(0)
            return
        self.province.setCurrentIndex(max(0, self.province.findData(unit.province_code)))
        self.commune.setCurrentIndex(max(0, self.commune.findData(unit.commune_code)))

    def retranslate(self, language: str) -> None:
        self.province.setItemText(0, QCoreApplication.translate("FieldEditor", "Province or city…"))
        self.commune.setItemText(0, QCoreApplication.translate("FieldEditor", "Commune or ward…"))


def make_editor(field: FormField, parent: QWidget | None = None) -> FieldEditor:
    if field.type is FieldType.ATTACHMENT:  # a document photographed at the kiosk
        from ui.widgets.document_field import DocumentFieldEditor

        return DocumentFieldEditor(field, parent)
    if field.type is FieldType.ADDRESS:
        return AddressEditor(field, parent)
    if field.type in (FieldType.CHOICE, FieldType.YESNO):
        return ChoiceEditor(field, parent)
    if field.type is FieldType.NUMBER:
        return NumberEditor(field, parent)
    return TextEditor(field, parent)
