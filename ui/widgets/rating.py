"""After "Done" on the receipt: "Are you satisfied?" with three answers and "Skip", one touch each.
It goes by itself after 20 seconds (the citizen may simply leave), and thanks whoever answers.
Only the score and the procedure go anywhere (``rated``): no citizen, no time of day."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from ui.look import scaled_width
from ui.widgets.common import Card, button, cover, label

__all__ = ["RatingPrompt"]

#: the scale, best first: score, object name
SCALE = ((3, "rating-very-satisfied"), (2, "rating-satisfied"), (1, "rating-not-satisfied"))
#: how long the question waits for an answer, and how long the thanks stay
WAIT_MS, THANKS_MS = 20_000, 1_500


class RatingPrompt(QWidget):
    rated = Signal(str, int)  # the procedure's code, the score (3, 2 or 1)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._procedure = ""
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card = Card(self, kind="dialog")
        self.card.setObjectName("rating")
        scaled_width(self.card, 760)
        self.question = label("title", self.card)
        self.detail = label("body", self.card)
        row = QHBoxLayout()
        row.setSpacing(12)
        self.buttons = {}
        for score, name in SCALE:
            key = button("secondary", self.card, name=name)
            key.clicked.connect(lambda _=False, s=score: self._answer(s))
            row.addWidget(key, 1)
            self.buttons[score] = key
        self.skip_button = button("quiet", self.card, name="rating-skip")
        self.skip_button.clicked.connect(self.hide)
        for widget in (self.question, self.detail):
            self.card.body.addWidget(widget)
        self.card.body.addLayout(row)
        self.card.body.addWidget(self.skip_button, 0, Qt.AlignmentFlag.AlignRight)
        outer.addWidget(self.card)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()
        self.retranslate()

    def ask(self, procedure_code: str) -> None:
        self._procedure = procedure_code
        self.retranslate()
        for key in (*self.buttons.values(), self.skip_button):
            key.show()
        cover(self, self.window(), self.card)
        self._timer.start(WAIT_MS)

    def _answer(self, score: int) -> None:
        if not self._procedure:
            return
        self.rated.emit(self._procedure, score)
        self._procedure = ""
        for key in (*self.buttons.values(), self.skip_button):
            key.hide()
        self.question.setText(self.tr("Thank you for your answer."))
        self.detail.setText("")
        self._timer.start(THANKS_MS)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._timer.stop()
        self._procedure = ""
        super().hideEvent(event)

    def retranslate(self) -> None:
        self.question.setText(self.tr("Are you satisfied with applying at this kiosk?"))
        self.detail.setText(self.tr("One touch is enough; nothing about you is kept."))
        words = {3: self.tr("Very satisfied"), 2: self.tr("Satisfied"),
                 1: self.tr("Not satisfied")}
        for score, key in self.buttons.items():
            key.setText(words[score])
        self.skip_button.setText(self.tr("Skip"))
