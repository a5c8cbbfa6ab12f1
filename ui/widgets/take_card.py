"""Over the welcome screen while a card is left on the reader: "Please take your ID card". No key to
press: it goes when the card is taken off (the card policy decides; ``ui.card_guard`` shows it)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.look import scaled_width
from ui.widgets.common import Card, cover, label

__all__ = ["TakeCardNotice"]


class TakeCardNotice(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card = Card(self, kind="dialog")
        self.card.setObjectName("take-card")
        scaled_width(self.card, 680)
        from ui.screens.identify import card_picture

        picture = QLabel(self.card)
        picture.setPixmap(card_picture(200))
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.question = label("title", self.card)
        self.detail = label("body", self.card)
        for widget in (picture, self.question, self.detail):
            self.card.body.addWidget(widget)
        outer.addWidget(self.card)
        self.hide()
        self.retranslate()

    def text(self) -> str:
        return f"{self.question.text()} {self.detail.text()}"

    def show_over(self, window: QWidget) -> None:
        self.retranslate()
        cover(self, window, self.card)

    def retranslate(self) -> None:
        self.question.setText(self.tr("Please take your ID card"))
        self.detail.setText(self.tr("Your card is still on the reader. Take it with you; the "
                                    "kiosk is then ready for the next person."))
