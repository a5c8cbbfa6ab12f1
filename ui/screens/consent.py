"""Consent: Decree 13/2023/NĐ-CP on personal-data protection needs the citizen's explicit consent
before the kiosk sends their data, so it is asked in plain words, with a clear way to say no."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.flow import ConsentRefused, Flow
from ui.screens.base import Screen
from ui.widgets.common import Card, ProblemLabel, button, label

__all__ = ["ConsentScreen"]


class ConsentScreen(Screen):
    # the citizen said yes; the main window asks the flow for the payload and sends it
    consent_given = Signal()

    def __init__(self, flow: Flow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        card = Card(self)
        self.text = label("body", card)
        self.text.setObjectName("consent-text")
        card.body.addWidget(self.text)
        self.refused = ProblemLabel(card)
        self.refused.setObjectName("consent-refused")
        card.body.addWidget(self.refused)
        card.body.addStretch(1)
        self.body.addWidget(card, 1)
        self.no_button = button("secondary", self, name="consent-no")
        self.footer.insertWidget(self.footer.count() - 1, self.no_button)
        self.no_button.clicked.connect(self.on_no_clicked)

    def enter(self) -> None:
        self.refused.clear()

    def clear(self) -> None:
        self.refused.clear()

    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("Do you agree to the use of your personal data?"))
        self.subtitle.setText(self.tr("The law on personal-data protection (Decree 13/2023/NĐ-CP) "
                                      "asks for your agreement before we send your application."))
        self.text.setText(self.tr(
            "Your name, ID number, date of birth, address, phone number and the answers you gave "
            "will be sent to the agency that handles this service. They are used only to handle "
            "your application and to tell you the result. The kiosk keeps nothing after you "
            "finish.\n\nYou can ask the agency to see, correct or delete your data."))
        self.no_button.setText(self.tr("I do not agree"))
        self.primary_button.setText(self.tr("I agree, send  ›"))
        if self.refused.text():
            self._show_refused()

    def on_primary_clicked(self) -> None:
        if self.flow.allowed("consent"):
            self.consent_given.emit()

    def on_no_clicked(self) -> None:
        """The refusal goes through the flow too, so it can never count as a yes."""
        if not self.flow.allowed("consent"):
            return
        try:
            self.flow.consent(False)
        except ConsentRefused:
            self._show_refused()

    def _show_refused(self) -> None:
        self.refused.setText(self.tr("Without your agreement the kiosk cannot send your application. "
                                     "Nothing has been sent. You can go back, or ask staff at the "
                                     "counter to help you apply on paper."))
