"""What the chip said: the portrait, the key details and how far the kiosk could trust them.

Three outcomes (``ChipVerification.outcome``), each with its own mark and plain explanation:
verified (green, "verified by chip"), unchecked (amber: read, but the issuer could not be checked,
typically because IT has not configured the trusted CSCA certificates), failed (red: the data or
the chip did not pass the security check; staff check the card by eye and the citizen may go on
by typing their details). Parts of the chip's data that could not be used (a portrait that is
not an image, a field that failed the text checks) are named in one line. The text column sits in
a scroll area that only scrolls when the words need more room than the screen has, so no theme or
language ever clips it. The widget holds personal data only until ``clear()``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QScrollArea, QSizePolicy,
                               QVBoxLayout, QWidget)

from ui.texts import format_date
from ui.widgets.common import Card, label

__all__ = ["ChipResult", "outcome_of"]

PORTRAIT_SIZE = (180, 240)


def outcome_of(card_read: Any) -> str:
    """"verified", "unchecked" or "failed" (a read without a verification report is unchecked)."""
    verification = getattr(card_read, "verification", None)
    return "unchecked" if verification is None else str(verification.outcome)


class ChipResult(Card):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, kind="chip-result")
        self.setObjectName("chip-result")
        self._card_read: Any = None
        row = QHBoxLayout()
        row.setSpacing(28)
        self.portrait = label("portrait", self, wrap=False)
        self.portrait.setObjectName("portrait")
        self.portrait.setFixedSize(*PORTRAIT_SIZE)
        self.portrait.setAlignment(Qt.AlignCenter)
        row.addWidget(self.portrait, 0, Qt.AlignTop)
        column = QWidget(self)
        column.setObjectName("chip-text")
        column.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)
        text = QVBoxLayout(column)
        text.setContentsMargins(0, 0, 0, 0)
        text.setSpacing(10)
        self.mark = label("chip-mark", column)
        self.mark.setObjectName("chip-mark")
        self.explanation = label("body", column)
        self.explanation.setObjectName("chip-explanation")
        self.missing = label("caption", column)
        self.missing.setObjectName("chip-missing")
        self.missing.hide()
        self.name = label("card-title", column)
        self.name.setObjectName("chip-name")
        self.details = QGridLayout()
        self.details.setHorizontalSpacing(18)
        self.details.setVerticalSpacing(6)
        self.details.setColumnStretch(1, 1)
        self._rows: list[tuple[Any, Any]] = []
        for _ in range(4):
            caption, value = label("caption", column, wrap=False), label("body", column)
            self.details.addWidget(caption, len(self._rows), 0, Qt.AlignTop)
            self.details.addWidget(value, len(self._rows), 1)
            self._rows.append((caption, value))
        text.addWidget(self.mark)  # the full width: a wrapped label squeezed to its hint is cut
        text.addWidget(self.name)
        text.addLayout(self.details)
        text.addWidget(self.explanation)
        text.addWidget(self.missing)
        text.addStretch(1)
        self.details_scroll = QScrollArea(self)
        self.details_scroll.setObjectName("chip-scroll")
        self.details_scroll.setFrameShape(QFrame.NoFrame)
        self.details_scroll.setWidgetResizable(False)  # sized by _fit_column: its words' real height
        self.details_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.details_scroll.setWidget(column)
        self.details_scroll.setStyleSheet("QScrollArea#chip-scroll, QWidget#chip-text "
                                  "{ background: transparent; }")
        self.details_scroll.viewport().setAutoFillBackground(False)
        self.details_scroll.viewport().installEventFilter(self)
        self._column = column
        row.addWidget(self.details_scroll, 1)
        self.body.addLayout(row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.details_scroll.viewport() and event.type() == QEvent.Resize:
            self._fit_column()
        return False

    def _fit_column(self) -> None:
        """The column as wide as the view and as tall as its words need at that width (at
        least the view): word-wrapped labels are never squeezed; a long text scrolls."""
        viewport = self.details_scroll.viewport()
        width = viewport.width()
        needed = self._column.heightForWidth(width)
        if needed < 0:
            needed = self._column.sizeHint().height()
        self._column.resize(width, max(needed, viewport.height()))

    @property
    def outcome(self) -> str | None:
        return None if self._card_read is None else outcome_of(self._card_read)

    @property
    def card_read(self) -> Any:
        return self._card_read

    def show_read(self, card_read: Any) -> None:
        self._card_read = card_read
        pixmap = QPixmap()
        if card_read.portrait_png and pixmap.loadFromData(card_read.portrait_png, "PNG"):
            self.portrait.setPixmap(pixmap.scaled(PORTRAIT_SIZE[0] - 6, PORTRAIT_SIZE[1] - 6, Qt.KeepAspectRatio,
                                                  Qt.SmoothTransformation))
        else:
            self.portrait.clear()
        self.retranslate()

    def clear(self) -> None:
        """Forget the citizen: the portrait pixmap and every text."""
        self._card_read = None
        self.portrait.clear()
        self.portrait.setPixmap(QPixmap())
        for widget in (self.mark, self.explanation, self.name, self.missing):
            widget.clear()
        self.missing.hide()
        for caption, value in self._rows:
            caption.clear()
            value.clear()
        self.setProperty("outcome", "")

    def retranslate(self) -> None:
        if self._card_read is None:
            return
        identity, outcome = self._card_read.identity, outcome_of(self._card_read)
        self.setProperty("outcome", outcome)
        self.mark.setProperty("outcome", outcome)
        for widget in (self, self.mark):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        mark, explanation = _outcome_words(outcome)
        self.mark.setText(mark)
        verification = getattr(self._card_read, "verification", None)
        if any(c.name == "id_number_agreement" for c in getattr(verification, "problems", ())):
            explanation += "\n" + QCoreApplication.translate(
                "ChipResult", "The two records of the ID number on this chip do not match.")
        self.explanation.setText(explanation)
        missing = _missing_words(getattr(self._card_read, "missing", ()))
        self.missing.setText(missing)
        self.missing.setVisible(bool(missing))
        self._fit_column()
        self.name.setText(identity.full_name or "")
        sex = {"M": QCoreApplication.translate("ChipResult", "Male"),
               "F": QCoreApplication.translate("ChipResult", "Female")}
        sex_code = getattr(identity.sex, "value", identity.sex)
        rows = [
            (QCoreApplication.translate("ChipResult", "ID number"), identity.id_number),
            (QCoreApplication.translate("ChipResult", "Date of birth"),
             format_date(identity.date_of_birth)),
            (QCoreApplication.translate("ChipResult", "Sex"), sex.get(str(sex_code), "")),
            (QCoreApplication.translate("ChipResult", "Residence"), identity.residence or ""),
        ]
        for (caption, value), (caption_text, value_text) in zip(self._rows, rows):
            caption.setText(caption_text)
            value.setText(value_text)


def _missing_words(missing: Any) -> str:
    """One line naming what could not be used from the chip (never the data itself)."""
    names = {"portrait": QCoreApplication.translate("ChipResult", "portrait"),
             "full_name": QCoreApplication.translate("ChipResult", "name"),
             "date_of_birth": QCoreApplication.translate("ChipResult", "date of birth"),
             "residence": QCoreApplication.translate("ChipResult", "residence"),
             "place_of_origin": QCoreApplication.translate("ChipResult", "place of origin"),
             "issue_date": QCoreApplication.translate("ChipResult", "issue date"),
             "expiry_date": QCoreApplication.translate("ChipResult", "expiry date")}
    other = QCoreApplication.translate("ChipResult", "other details")
    parts = list(dict.fromkeys(names.get(p.part, other) for p in missing))
    if not parts:
        return ""
    return QCoreApplication.translate(
        "ChipResult", "Could not be read from the chip: %1. Please type or check these "
                      "yourself.").replace("%1", ", ".join(parts))


def _outcome_words(outcome: str) -> tuple[str, str]:
    if outcome == "verified":
        return ("✓  " + QCoreApplication.translate("ChipResult", "Verified by chip"),
                QCoreApplication.translate(
                    "ChipResult", "These details were read from your card's chip, and the chip "
                                  "is genuine. If they are yours, press Continue."))
    if outcome == "failed":
        return ("✗  " + QCoreApplication.translate("ChipResult", "The chip did not pass the "
                                                                 "security check"),
                QCoreApplication.translate(
                    "ChipResult", "The kiosk cannot use the details from this chip. Please ask "
                                  "a staff member to check your card. You can still continue "
                                  "and type your details yourself."))
    return ("!  " + QCoreApplication.translate("ChipResult", "Read from the chip, not verified"),
            QCoreApplication.translate(
                "ChipResult", "The details were read from your card's chip, but this kiosk "
                              "cannot check that the card is genuine. Please check them; staff "
                              "will look at your card at the counter. (Staff: the trusted card "
                              "issuer certificates are not set up.)"))
