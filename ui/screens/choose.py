"""Choose a procedure: big buttons with category, fee and processing time, and a search box that
ignores diacritics ("doi giay phep" finds "Đổi giấy phép"). While the on-screen keyboard is up for
the search, the first results stay in sight between the box and the keys: the title and the
footer step aside until the keyboard goes."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRect, QSize, Qt
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.domain.flow import Flow
from kiosk.domain.procedures import Procedure
from ui.screens.base import Screen
from ui.texts import category_name, format_fee, processing_time
from ui.widgets.common import clear_layout, label
from ui.widgets.scrolling import TouchScrollArea

__all__ = ["ChooseScreen", "ProcedureButton"]


class ProcedureButton(QPushButton):
    """A tall button: the procedure's name, and a line with category, fee and processing time."""

    def __init__(self, procedure: Procedure, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.procedure = procedure
        self.setProperty("role", "tile")
        self.setCursor(Qt.PointingHandCursor)
        self.setObjectName(f"procedure-{procedure.code}")
        self.setMinimumHeight(150)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(26, 20, 26, 20)
        layout.setSpacing(8)
        self.category = label("tile-tag", self, wrap=False)
        self.name = label("tile-title", self)
        self.details = label("tile-detail", self)
        for widget in (self.category, self.name, self.details):
            widget.setAttribute(Qt.WA_TransparentForMouseEvents)
            layout.addWidget(widget)
        layout.addStretch(1)
        self.retranslate(language)

    def set_compact(self, compact: bool) -> None:
        """Only the name (while the keyboard is up for the search: more results in sight)."""
        self.details.setVisible(not compact)
        self.category.setVisible(not compact and bool(self.category.text()))
        self.setMinimumHeight(0 if compact else 150)
        self.updateGeometry()

    # a button's own size ignores the labels laid out inside it: ask their layout instead, so a
    # two-line name at a large text size gets its two lines (tone marks and all)
    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        hint = self.layout().sizeHint()
        return QSize(hint.width(), max(self.minimumHeight(), self.heightForWidth(hint.width())))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(self.layout().minimumSize().width(), self.minimumHeight())

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return max(self.minimumHeight(), self.layout().totalHeightForWidth(width))

    def retranslate(self, language: str) -> None:
        p = self.procedure
        self.category.setText(category_name(p.category).upper())
        self.category.setVisible(bool(self.category.text()))
        self.name.setText(p.name.get(language))
        self.details.setText(QCoreApplication.translate(
            "ChooseScreen", "Fee: {fee}   ·   Ready in {time}").format(
            fee=format_fee(p.fee_vnd), time=processing_time(p.processing_days)))
        self.setAccessibleName(p.name.get(language))


class ChooseScreen(Screen):
    body_scrolls = False  # its list scrolls by itself
    def __init__(self, flow: Flow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setProperty("keyboard", "text")  # raises the on-screen keyboard (ui/assist.py)
        self.search.setMinimumHeight(60)
        self.body.addWidget(self.search)
        scroll = TouchScrollArea(self)
        self.results = scroll
        holder = QWidget(scroll)
        holder.setObjectName("scroll-holder")
        self.grid = QGridLayout(holder)
        self.grid.setContentsMargins(0, 4, 0, 4)
        self.grid.setSpacing(18)
        scroll.setWidget(holder)
        self.body.addWidget(scroll, 1)
        self.empty = label("caption", self)
        self.empty.hide()
        self.body.addWidget(self.empty)
        self.buttons: list[ProcedureButton] = []
        self._searching = False  # the keyboard is up for the search: tiles show their name only
        self.primary_button.hide()  # choosing a tile is the primary action
        self.search.textChanged.connect(self._render)
        self._render()

    def _render(self) -> None:
        query = self.search.text()
        procedures = self.flow.catalogue.search(query) if query.strip() else \
            list(self.flow.catalogue.procedures)
        clear_layout(self.grid)
        self.buttons = []
        for index, procedure in enumerate(procedures):
            tile = ProcedureButton(procedure, self.language, self)
            tile.set_compact(self._searching)
            tile.clicked.connect(lambda _=False, code=procedure.code: self._on_chosen(code))
            self.grid.addWidget(tile, index // 2, index % 2)
            self.buttons.append(tile)
        self.grid.setRowStretch((len(procedures) + 1) // 2, 1)
        self.empty.setVisible(not procedures)

    def on_keyboard(self, keys: QRect | None) -> None:
        """The title and the footer step aside while the keys are up for the search, so the first
        results sit right under the box, above the keys."""
        searching = keys is not None and self.search.hasFocus()
        self._searching = searching
        for tile in self.buttons:
            tile.set_compact(searching)
        for widget in (self.title, self.subtitle, self.back_button, self.cancel_button):
            widget.setVisible(not searching and (widget is not self.subtitle or bool(
                self.subtitle.text())))
        self.step.setVisible(not searching and self._step is not None)
        if searching:
            self.results.verticalScrollBar().setValue(0)

    def _on_chosen(self, code: str) -> None:
        if self.flow.allowed("choose"):
            self.flow.choose(code)

    def enter(self) -> None:
        self._greet()

    def _greet(self) -> None:
        identity = self.flow.identity
        if identity is not None and identity.full_name:
            self.title.setText(self.tr("Hello, {name}").format(name=identity.full_name))
        else:
            self.title.setText(self.tr("What do you need?"))

    def clear(self) -> None:
        self.search.clear()
        self.title.clear()

    def retranslate(self) -> None:
        super().retranslate()
        self._greet()
        self.subtitle.setText(self.tr("Choose the service you want to apply for."))
        self.search.setPlaceholderText(self.tr("Search, e.g. “khai sinh” or “giay phep”"))
        self.empty.setText(QCoreApplication.translate("ChooseScreen",
                              "Nothing matches your search. Try fewer words, or ask staff."))
        for tile in self.buttons:
            tile.retranslate(self.language)
