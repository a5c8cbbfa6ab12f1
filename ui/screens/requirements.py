"""Requirements: before any typing, what to bring to the counter and what the kiosk will not ask for
because the national databases already hold it, so nobody fills a form and then turns back."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.domain.flow import Flow
from kiosk.domain.procedures import Document
from ui.screens.base import Screen
from ui.texts import format_fee, processing_time
from ui.widgets.common import Card, clear_layout, label
from ui.widgets.scrolling import TouchScrollArea

__all__ = ["RequirementsScreen"]


class RequirementsScreen(Screen):
    body_scrolls = False  # its list scrolls by itself
    def __init__(self, flow: Flow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        scroll = TouchScrollArea(self)
        self.card = Card(scroll)
        self.lists = QVBoxLayout()
        self.lists.setSpacing(6)
        self.card.body.addLayout(self.lists)
        self.card.body.addStretch(1)
        scroll.setWidget(self.card)
        self.body.addWidget(scroll, 1)
        # what the screen lists, for tests and read-aloud: (bring, held) document names
        self.bring: list[str] = []
        self.held: list[str] = []

    def enter(self) -> None:
        self._render()

    def _render(self) -> None:
        clear_layout(self.lists)
        self.bring, self.held = [], []
        procedure = self.flow.procedure
        if procedure is None:
            return
        self._add("caption", self.tr("Service"))
        self._add("fact", procedure.name.get(self.language))
        self._add("fact", self.tr("Fee: {fee}   ·   Ready in {time}").format(
            fee=format_fee(procedure.fee_vnd), time=processing_time(procedure.processing_days)))
        to_bring = [d for d in procedure.documents if not d.held_by_national_db]
        held = [d for d in procedure.documents if d.held_by_national_db]
        self._add("caption", self.tr("Please bring"))
        if not to_bring:
            self._add("fact", self.tr("Nothing: you do not need to bring any papers."))
        for document in to_bring:
            self.bring.append(self._add_document(document))
        if held:
            self._add("caption", self.tr("No need to bring (the national databases already hold it)"))
            for document in held:
                self.held.append(self._add_document(document))

    def _add(self, kind: str, text: str) -> None:
        widget = label(kind, self.card)
        widget.setText(text)
        self.lists.addWidget(widget)

    def _add_document(self, document: Document) -> str:
        name = document.get(self.language)
        line = "• " + name
        if not document.required:
            line += "  " + self.tr("(only in some cases)")
        if document.note is not None:
            line += "\n   " + document.note.get(self.language)
        self._add("fact", line)
        return name

    def clear(self) -> None:
        clear_layout(self.lists)
        self.bring, self.held = [], []

    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("What you need"))
        self.subtitle.setText(self.tr("Read the list below. Papers you must bring are listed first. "
                                      "Then tap “Continue”."))
        self.primary_button.setText(self.tr("Continue  ›"))
        if self.flow.procedure is not None and self.lists.count():
            self._render()

    def on_primary_clicked(self) -> None:
        if self.flow.allowed("read_requirements"):
            self.flow.read_requirements()
