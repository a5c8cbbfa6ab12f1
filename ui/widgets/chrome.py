"""The frame around every screen: the header (brand, step, connection, language) and the overlay
that asks "are you sure?" inside the window (no OS dialogs on a kiosk)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QVBoxLayout, QWidget

from ui.connection import ConnectionStatus
from ui.widgets.common import Card, button, label

__all__ = ["ConfirmOverlay", "ConnectionIndicator", "Header", "LanguageToggle"]


class ConnectionIndicator(QFrame):
    """A pill: "Connected · 42 ms", or "Offline — 2 applications waiting to be sent"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connection-indicator")
        self.status: ConnectionStatus | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 6, 16, 6)
        layout.setSpacing(8)
        self.dot = label("dot", self, wrap=False)
        self.dot.setText("●")
        self.text = label("indicator", self, wrap=False)
        layout.addWidget(self.dot)
        layout.addWidget(self.text)
        self.show_status(None)

    def show_status(self, status: ConnectionStatus | None) -> None:
        self.status = status
        if status is None:
            state, text = "unknown", self.tr("Checking the connection…")
        elif status.reachable:
            state = "online"
            text = self.tr("Connected · {ms} ms").format(
                ms=round(status.latency_ms or 0))
            if status.waiting:
                text += " · " + self._waiting_text(status.waiting)
        else:
            state = "offline"
            text = self.tr("Offline")
            if status.waiting:
                text += " — " + self._waiting_text(status.waiting)
        self.setProperty("state", state)
        self.text.setText(text)
        for widget in (self, self.dot, self.text):
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    @staticmethod
    def _waiting_text(count: int) -> str:
        if count == 1:
            return QCoreApplication.translate("ConnectionIndicator",
                                              "1 application waiting to be sent")
        return QCoreApplication.translate(
            "ConnectionIndicator", "{n} applications waiting to be sent").format(n=count)

    def retranslate(self) -> None:
        self.show_status(self.status)


class LanguageToggle(QWidget):
    """Two segments, "Tiếng Việt" and "English", each written in its own language."""

    language_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.group = QButtonGroup(self)
        self.buttons = {}
        for code, text in (("vi", "Tiếng Việt"), ("en", "English")):
            segment = button("segment", self, name=f"language-{code}")
            segment.setText(text)
            segment.setCheckable(True)
            segment.setMinimumHeight(48)
            segment.clicked.connect(lambda _=False, c=code: self.language_chosen.emit(c))
            self.group.addButton(segment)
            layout.addWidget(segment)
            self.buttons[code] = segment

    def set_language(self, language: str) -> None:
        self.buttons["en" if language.startswith("en") else "vi"].setChecked(True)


class Header(QFrame):
    def __init__(self, unit_code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(32, 8, 32, 8)  # 8: room for the assisted-session block
        layout.setSpacing(14)
        self.emblem = label("emblem", self, wrap=False)
        self.emblem.setText("★")
        self.emblem.setAlignment(Qt.AlignCenter)
        self.emblem.setFixedSize(46, 46)
        brand = QVBoxLayout()
        brand.setSpacing(0)
        self.brand_title = label("brand", self, wrap=False)
        self.brand_unit = label("brand-sub", self, wrap=False)
        brand.addWidget(self.brand_title)
        brand.addWidget(self.brand_unit)
        self.step = label("step", self, wrap=False)
        self.step.setObjectName("step-label")
        self.indicator = ConnectionIndicator(self)
        self.language = LanguageToggle(self)
        layout.addWidget(self.emblem)
        layout.addLayout(brand)
        layout.addStretch(1)
        layout.addWidget(self.step)
        layout.addSpacing(12)
        layout.addWidget(self.indicator)
        layout.addWidget(self.language)
        self._unit_code = unit_code
        self._step_index: int | None = None
        self.staff_widget: QWidget | None = None
        self.retranslate()

    def show_staff(self, widget: QWidget | None) -> None:
        """Give the brand's place to ``widget`` (staff mode's assisted-session block: who assists,
        and the hints pill), or give it back (None). The brand's two lines are hidden meanwhile:
        the header has no spare 200 px at 1280 px wide in Vietnamese with the step shown, and the
        kiosk's name matters less than who is helping. The emblem stays (staff long-press it)."""
        layout = self.layout()
        if self.staff_widget is not None and self.staff_widget is not widget:
            layout.removeWidget(self.staff_widget)
            self.staff_widget.hide()
        self.staff_widget = widget
        if widget is not None:
            layout.insertWidget(layout.indexOf(self.step), widget, 0, Qt.AlignVCenter)
            widget.show()
        self.brand_title.setVisible(widget is None)
        self.brand_unit.setVisible(widget is None)

    def set_step(self, index: int | None, total: int) -> None:
        self._step_index, self._total = index, total
        if index is None:
            self.step.clear()
            self.step.hide()
            return
        self.step.setText(self.tr("Step {n} of {total}").format(
            n=index, total=total))
        self.step.show()

    def retranslate(self) -> None:
        self.brand_title.setText(self.tr("Public Service Kiosk"))
        self.brand_unit.setText(self.tr("One-stop service centre · {unit}").format(
            unit=self._unit_code))
        if self._step_index is not None:
            self.set_step(self._step_index, self._total)
        self.indicator.retranslate()


class ConfirmOverlay(QWidget):
    """Dims the screen and asks one question with two big answers."""

    answered = Signal(str, bool)  # (purpose, the citizen chose the "yes" button)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("overlay")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.purpose = ""
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignCenter)
        self.card = Card(self, kind="dialog")
        self.card.setFixedWidth(640)
        self.question = label("title", self.card)
        self.detail = label("body", self.card)
        row = QHBoxLayout()
        row.setSpacing(16)
        self.no_button = button("secondary", self.card, name="confirm-no")
        self.yes_button = button("danger", self.card, name="confirm-yes")
        row.addWidget(self.no_button, 1)
        row.addWidget(self.yes_button, 1)
        self.card.body.addWidget(self.question)
        self.card.body.addWidget(self.detail)
        self.card.body.addSpacing(12)
        self.card.body.addLayout(row)
        outer.addWidget(self.card)
        self.yes_button.clicked.connect(self._on_yes)
        self.no_button.clicked.connect(self._on_no)
        self.hide()

    def ask(self, question: str, detail: str, yes: str, no: str, *, purpose: str = "cancel",
            yes_role: str = "danger") -> None:
        self.purpose = purpose
        self.yes_button.setProperty("role", yes_role)
        self.yes_button.style().unpolish(self.yes_button)
        self.yes_button.style().polish(self.yes_button)
        self.question.setText(question)
        self.detail.setText(detail)
        self.yes_button.setText(yes)
        self.no_button.setText(no)
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()
        self.no_button.setFocus()

    def _on_yes(self) -> None:
        self.hide()
        self.answered.emit(self.purpose, True)

    def _on_no(self) -> None:
        self.hide()
        self.answered.emit(self.purpose, False)
