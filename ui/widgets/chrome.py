"""The frame around every screen: the header (brand, connection, and the citizen's own controls:
read aloud, text size, contrast, language) and the overlay that asks "are you sure?" inside the
window (no OS dialogs on a kiosk)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ui.look import scaled_width
from ui.connection import ConnectionStatus
from ui.widgets.common import Card, button, label

__all__ = ["ConfirmOverlay", "ConnectionIndicator", "Header", "LanguageToggle"]


class ConnectionIndicator(QFrame):
    """A pill that says in words how the connection to the portal is: connected, slow or offline.
    Nothing else about the kiosk (no timings, no queue counts: those are for staff)."""

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
        state = "unknown" if status is None else status.quality
        text = {"online": self.tr("Connected"), "slow": self.tr("Slow connection"),
                "offline": self.tr("Offline")}.get(state, self.tr("Checking the connection…"))
        self.setProperty("state", state)
        self.text.setText(text)
        for widget in (self, self.dot, self.text):
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def retranslate(self) -> None:
        self.show_status(self.status)


class LanguageToggle(QWidget):
    """The other language's key, written in its own language: "English" on a Vietnamese screen,
    "Tiếng Việt" on an English one (one key: the header keeps room for the citizen's controls)."""

    language_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.group = QButtonGroup(self)
        self.buttons = {}
        for code, text in (("vi", "Tiếng Việt"), ("en", "English")):
            segment = button("tool", self, name=f"language-{code}")
            segment.setText(text)
            segment.setCheckable(True)
            segment.setMinimumHeight(48)
            segment.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            segment.clicked.connect(lambda _=False, c=code: self.language_chosen.emit(c))
            self.group.addButton(segment)
            layout.addWidget(segment)
            self.buttons[code] = segment

    def set_language(self, language: str) -> None:
        current = "en" if language.startswith("en") else "vi"
        self.buttons[current].setChecked(True)
        for code, key in self.buttons.items():
            key.setVisible(code != current)


class Header(QFrame):
    """The brand on the left; on the right the connection and the citizen's own controls: read
    aloud, text size ("Aa", three sizes in turn), high contrast, language, and "Call staff". The
    main window decides what they do. When the controls at a large text size leave no room for the brand, the brand
    steps aside (the emblem stays: staff long-press it)."""

    def __init__(self, unit_code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 8, 24, 8)  # 8: room for the assisted-session block
        layout.setSpacing(10)
        self.emblem = label("emblem", self, wrap=False)
        self.emblem.setText("★")
        self.emblem.setAlignment(Qt.AlignCenter)
        self.emblem.setFixedSize(46, 46)
        self.brand = QWidget(self)
        brand = QVBoxLayout(self.brand)
        brand.setContentsMargins(0, 0, 0, 0)
        brand.setSpacing(0)
        self.brand_title = label("brand", self.brand, wrap=False)
        self.brand_unit = label("brand-sub", self.brand, wrap=False)
        brand.addWidget(self.brand_title)
        brand.addWidget(self.brand_unit)
        self.indicator = ConnectionIndicator(self)
        self.read_aloud = self._tool("read-aloud", checkable=True)
        self._read_aloud_twin = self._tool("read-aloud", checkable=True)
        self._read_aloud_twin.setHidden(True)  # never in the layout: measures read aloud's words
        self.text_size = self._tool("text-size")
        self.contrast = self._tool("contrast", checkable=True)
        self.language = LanguageToggle(self)
        self.call_staff = self._tool("call-staff", checkable=True)  # worded by ui.help_call
        layout.addWidget(self.emblem)
        layout.addWidget(self.brand)
        layout.addStretch(1)
        self.controls = [self.indicator, self.read_aloud, self.text_size, self.contrast,
                         self.language, self.call_staff]
        for widget in self.controls:
            layout.addWidget(widget)
        self._unit_code = unit_code
        self.staff_widget: QWidget | None = None
        self.retranslate()

    def _tool(self, name: str, *, checkable: bool = False) -> QPushButton:
        """A header key: never takes the focus from a field being typed in."""
        widget = button("tool", self, name=name)
        widget.setMinimumSize(48, 48)
        widget.setCheckable(checkable)
        widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return widget


    def show_staff(self, widget: QWidget | None) -> None:
        """Give the brand's place to ``widget`` (staff mode's assisted-session block: who assists,
        and the hints pill), or give it back (None). The kiosk's name matters less than who is
        helping. The emblem stays (staff long-press it)."""
        layout = self.layout()
        if self.staff_widget is not None and self.staff_widget is not widget:
            layout.removeWidget(self.staff_widget)
            self.staff_widget.hide()
        self.staff_widget = widget
        if widget is not None:
            layout.insertWidget(layout.indexOf(self.brand) + 1, widget, 0, Qt.AlignVCenter)
            widget.show()
        self.fit_brand()

    #: the header's gaps and side margins: as designed, and tightened when the controls need room
    GAPS = ((10, 24), (4, 8), (4, 8))

    def fit_brand(self) -> None:
        """Show the brand only when it fits beside everything else at the current text size. The
        header keeps the brand's height either way, so the screen below never moves. When even
        the controls alone are too wide (the largest text, a long connection word), the header
        tightens its gaps and then shows read aloud by its icon alone (its name stays for screen
        readers and as a tip), so no key is ever squeezed. The level is worked out first and
        applied once: each change asks for a new layout, which fits again."""
        width = self.width()
        level = 0
        while level < 2 and width > 0 and self._controls_width(level) > width:
            level += 1
        self._set_compact(level)
        if self.staff_widget is not None:
            self.brand.hide()
            return
        spare = width - self._controls_width(level) - self.GAPS[level][0]
        self.brand.setVisible(self.brand.sizeHint().width() <= spare)

    def _controls_width(self, level: int) -> int:
        """The width the emblem and the shown controls need at a compact ``level``. Read aloud's
        width at that level is measured on a hidden twin of the key (a hidden widget asks its
        parent for no new layout)."""
        spacing, side = self.GAPS[level]
        shown = [w for w in self.controls if not w.isHidden()]
        needed = 2 * side + self.emblem.width() + spacing * len(shown)
        for widget in shown:
            if widget is self.read_aloud:
                self._read_aloud_twin.setText(self._read_aloud_text(level))
                widget = self._read_aloud_twin
            needed += widget.sizeHint().width()
        return needed

    def _read_aloud_text(self, level: int) -> str:
        return "🔊" if level == 2 else "🔊 " + self.tr("Read aloud")

    def _set_compact(self, level: int) -> None:
        """0: the usual gaps and words; 1: tighter gaps; 2: tighter gaps and read aloud's icon only.
        Only what differs is changed (each change asks for a new layout)."""
        layout = self.layout()
        spacing, side = self.GAPS[level]
        if layout.spacing() != spacing:
            layout.setSpacing(spacing)
        if layout.contentsMargins().left() != side:
            layout.setContentsMargins(side, 8, side, 8)
        name = self.tr("Read aloud")
        text = self._read_aloud_text(level)
        if self.read_aloud.text() != text:
            self.read_aloud.setText(text)
        self.read_aloud.setAccessibleName(name)
        self.read_aloud.setToolTip(name)

    def event(self, event: QEvent) -> bool:
        """A control's words changed (the connection, "Call staff" pressed): fit again."""
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:
            self.fit_brand()
        return handled

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self.fit_brand()

    def _with_brand_height(self, size: QSize) -> QSize:
        """As high as the brand even when it stepped aside: the screen below never moves."""
        margins = self.layout().contentsMargins()
        size.setHeight(max(size.height(), self.brand.sizeHint().height() + margins.top()
                           + margins.bottom()))
        return size

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self._with_brand_height(super().sizeHint())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self._with_brand_height(super().minimumSizeHint())

    def retranslate(self) -> None:
        self.brand_title.setText(self.tr("Public Service Kiosk"))
        self.brand_unit.setText(self.tr("One-stop service centre · {unit}").format(
            unit=self._unit_code))
        self.text_size.setText("Aa")
        self.text_size.setAccessibleName(self.tr("Text size"))
        self.text_size.setToolTip(self.tr("Text size"))
        self.contrast.setText("◐")
        self.contrast.setAccessibleName(self.tr("High contrast"))
        self.contrast.setToolTip(self.tr("High contrast"))
        self.indicator.retranslate()
        self.fit_brand()


class ConfirmOverlay(QWidget):
    """Dims the screen and asks one question with two big answers."""

    answered = Signal(str, bool)  # (purpose, the citizen chose the "yes" button)
    shown = Signal(str)  # a question appeared (not each countdown tick of the same question)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("overlay")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.purpose = ""
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignCenter)
        self.card = Card(self, kind="dialog")
        scaled_width(self.card, 640)
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
        new = not self.isVisible() or purpose != self.purpose
        self.purpose = purpose
        self.yes_button.setProperty("role", yes_role)
        self.yes_button.style().unpolish(self.yes_button)
        self.yes_button.style().polish(self.yes_button)
        self.question.setText(question)
        self.detail.setText(detail)
        self.yes_button.setText(yes)
        self.no_button.setText(no)
        self.setGeometry(self.parentWidget().rect())
        self._fit_card()
        self.raise_()
        self.show()
        self.no_button.setFocus()
        if new:
            self.shown.emit(purpose)

    def _fit_card(self) -> None:
        """As high as its wrapped lines need at its width (a centred card gets only its size
        hint, which does not count the lines of a long question)."""
        layout = self.card.layout()
        layout.activate()
        height = layout.totalHeightForWidth(self.card.width())
        if height > 0:
            self.card.setMinimumHeight(height)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_card()

    def _on_yes(self) -> None:
        self.hide()
        self.answered.emit(self.purpose, True)

    def _on_no(self) -> None:
        self.hide()
        self.answered.emit(self.purpose, False)
