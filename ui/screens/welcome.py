"""The first screen: greet, say what the kiosk does, one big Start button."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QSpacerItem, QWidget

from kiosk.domain.flow import Flow
from ui.look import scaled_width
from ui.screens.base import Screen
from ui.widgets.common import Card, button, label

__all__ = ["WelcomeScreen"]


class WelcomeScreen(Screen):
    has_back = False
    has_cancel = False
    #: the citizen wants to check an application they made before (the status screen)
    status_requested = Signal()

    def __init__(self, flow: Flow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.title.setProperty("kind", "hero")
        row = QHBoxLayout()
        row.setSpacing(24)
        self.steps: list[tuple] = []
        for number in range(1, 4):
            card = Card(self, kind="step-card")
            badge = label("badge", card, wrap=False)
            badge.setText(str(number))
            badge.setAlignment(Qt.AlignCenter)
            badge.setFixedSize(56, 56)
            heading = label("card-title", card)
            text = label("body", card)
            card.body.addWidget(badge)
            card.body.addWidget(heading)
            card.body.addWidget(text)
            card.body.addStretch(1)
            row.addWidget(card, 1)
            self.steps.append((heading, text))
        self.body.addStretch(1)
        self.body.addLayout(row)
        self.body.addStretch(1)
        self.hint = label("caption", self)
        self.hint.setAlignment(Qt.AlignCenter)
        self.body.addWidget(self.hint)
        scaled_width(self.primary_button, 360, minimum=True)
        self.footer.addStretch(1)  # the main action on this screen sits in the middle
        self.status_button = button("secondary", self, name="check-status")
        self.footer.insertWidget(0, self.status_button)
        # as wide as the status button, so Start stays centred (and gives way when room is short)
        self._balance = QSpacerItem(0, 0, QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.footer.addSpacerItem(self._balance)
        self.status_button.clicked.connect(self.status_requested)

    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("Welcome"))
        self.subtitle.setText(QCoreApplication.translate(
            "WelcomeScreen",
            "Submit an application to the government here, by yourself, in a few minutes."))
        texts = [
            (self.tr("Show your ID card"),
             self.tr("Put your citizen ID card on the reader, or type its number.")),
            (self.tr("Choose and fill in"),
             self.tr("Pick the service you need. Your details are filled in for you.")),
            (self.tr("Check and send"),
             self.tr("Check everything, send it, and keep your application code.")),
        ]
        for (heading, text), (head_text, body_text) in zip(self.steps, texts):
            heading.setText(head_text)
            text.setText(body_text)
        self.hint.setText(QCoreApplication.translate("WelcomeScreen",
                             "You can also simply put your ID card on the reader to begin."))
        self.primary_button.setText(self.tr("Start  ›"))
        self.status_button.setText(self.tr("Check an application"))
        self._balance.changeSize(self.status_button.sizeHint().width(), 0,
                                 QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.footer.invalidate()

    def on_primary_clicked(self) -> None:
        if self.flow.allowed("start"):
            self.flow.start()
