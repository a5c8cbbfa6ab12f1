"""Review: everything in plain language before it is sent; "Change answers" goes back, "Continue"
goes on to the consent question (whose "I agree, send" is what sends)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.domain.flow import Flow
from kiosk.domain.forms import visible_fields
from ui.look import scaled_width
from ui.screens.base import Screen
from ui.texts import display_value, format_fee, processing_time
from ui.widgets.common import Card, clear_layout, label
from ui.widgets.scrolling import TouchScrollArea

__all__ = ["ReviewScreen"]


class ReviewScreen(Screen):
    body_scrolls = False  # its list scrolls by itself
    submit_requested = Signal()

    def __init__(self, flow: Flow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.error = label("problem-summary", self)
        self.error.setObjectName("submit-error")
        self.error.hide()
        self.body.addWidget(self.error)
        row = QHBoxLayout()
        row.setSpacing(24)
        scroll = TouchScrollArea(self)
        self.answers_card = Card(scroll)
        self.answers_grid = QGridLayout()
        self.answers_grid.setHorizontalSpacing(28)
        self.answers_grid.setVerticalSpacing(14)
        self.answers_grid.setColumnStretch(1, 1)
        self.answers_card.body.addLayout(self.answers_grid)
        self.answers_card.body.addStretch(1)
        scroll.setWidget(self.answers_card)
        row.addWidget(scroll, 3)
        facts_scroll = TouchScrollArea(self)
        scaled_width(facts_scroll, 400)
        self.facts_card = Card(facts_scroll, kind="facts")
        self.facts = QVBoxLayout()
        self.facts.setSpacing(4)
        self.facts_card.body.addLayout(self.facts)
        self.facts_card.body.addStretch(1)
        facts_scroll.setWidget(self.facts_card)
        row.addWidget(facts_scroll)
        self.body.addLayout(row, 1)

    def enter(self) -> None:
        self._render()

    def _render(self) -> None:
        procedure = self.flow.procedure
        clear_layout(self.answers_grid)
        clear_layout(self.facts)
        if procedure is None:
            return
        answers, photos = self.flow.answers, self.flow.attachments
        # only the questions that applied: an answer to one that went away is not sent either
        for index, field in enumerate(visible_fields(procedure, answers)):
            name = label("review-label", self.answers_card)
            name.setText(field.label.get(self.language))
            # the question's column has its own width, so each answer's lines are counted right
            scaled_width(name, 260)
            value = label("review-value", self.answers_card)
            value.setObjectName(f"review-{field.id}")
            photo = photos.get(field.id)
            value.setText(display_value(field, answers.get(field.id, "").strip(), self.language,
                                        pages=photo.pages if photo is not None else None))
            self.answers_grid.addWidget(name, index, 0)
            self.answers_grid.addWidget(value, index, 1)
        self._render_facts(procedure)
        message = self.flow.last_error
        self.error.setVisible(bool(message))
        self.error.setText(message or "")

    def _render_facts(self, procedure) -> None:
        facts = [
            (self.tr("Service"), procedure.name.get(self.language)),
            (self.tr("Handled by"), procedure.agency.get(self.language)),
            (self.tr("Fee"), format_fee(procedure.fee_vnd)),
            (self.tr("Ready in"), processing_time(procedure.processing_days)),
        ]
        if procedure.documents:
            facts.append((self.tr("Please bring to the counter"),
                          "\n".join("• " + d.get(self.language) for d in procedure.documents)))
        for caption, text in facts:
            key = label("caption", self.facts_card)
            key.setText(caption)
            value = label("fact", self.facts_card)
            value.setText(text)
            self.facts.addWidget(key)
            self.facts.addWidget(value)
            self.facts.addSpacing(6)

    def clear(self) -> None:
        clear_layout(self.answers_grid)
        clear_layout(self.facts)
        self.error.clear()
        self.error.hide()

    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("Please check your application"))
        self.subtitle.setText(self.tr("If something is wrong, tap “Change answers”. Nothing is "
                                      "sent until you agree on the next screen."))
        self.back_button.setText(self.tr("‹  Change answers"))
        # it goes on to the consent question, and says so: the consent screen's key sends
        self.primary_button.setText(self.tr("Continue  ›"))
        if self.flow.procedure is not None and self.answers_grid.count():
            self._render()

    def on_primary_clicked(self) -> None:
        if self.flow.allowed("confirm"):
            self.submit_requested.emit()
