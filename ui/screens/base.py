"""What every screen shares: a title, an instruction, a body, and the footer with Back, Cancel and
one primary action. Screens render the flow's state and forward intents; nothing more."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.domain.flow import Flow
from ui.widgets.common import button, label

__all__ = ["Screen"]


class Screen(QWidget):
    cancel_requested = Signal()
    #: shown on the footer's primary button; None hides it
    has_back = True
    has_cancel = True

    def __init__(self, flow: Flow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.language = "vi"
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 18, 48, 16)
        outer.setSpacing(10)
        self.title = label("title", self)
        self.subtitle = label("subtitle", self)
        outer.addWidget(self.title)
        outer.addWidget(self.subtitle)
        outer.addSpacing(8)
        self.body = QVBoxLayout()
        self.body.setSpacing(16)
        outer.addLayout(self.body, 1)
        outer.addSpacing(8)
        self.footer = footer = QHBoxLayout()
        footer.setSpacing(16)
        self.back_button = button("quiet", self, name="back")
        self.cancel_button = button("quiet", self, name="cancel")
        self.primary_button = button("primary", self, name="primary")
        self.primary_button.setMinimumWidth(300)
        footer.addWidget(self.back_button)
        footer.addWidget(self.cancel_button)
        footer.addStretch(1)
        footer.addWidget(self.primary_button)
        outer.addLayout(footer)
        self.back_button.setVisible(self.has_back)
        self.cancel_button.setVisible(self.has_cancel)
        self.back_button.clicked.connect(self.on_back_clicked)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.primary_button.clicked.connect(self.on_primary_clicked)

    # -- to be refined by each screen ----------------------------------------------------------
    def enter(self) -> None:
        """The flow has just arrived on this screen: render its state."""

    def clear(self) -> None:
        """Forget everything about the citizen (the session ended)."""

    def retranslate(self) -> None:
        self.back_button.setText(self.tr("‹  Back"))
        self.cancel_button.setText(self.tr("Cancel"))

    def on_primary_clicked(self) -> None:
        """The footer's main button."""

    def on_back_clicked(self) -> None:
        if self.flow.allowed("back"):
            self.flow.back()

    # -- shared --------------------------------------------------------------------------------
    def set_language(self, language: str) -> None:
        self.language = language
        self.retranslate()
