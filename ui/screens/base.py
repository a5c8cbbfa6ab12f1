"""What every screen shares: a title (with the step it is, "Step 2 of 8", beside it), an
instruction, a body, and the footer with Back, Cancel and one primary action. Screens render the
flow's state and forward intents; nothing more."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.domain.flow import Flow
from ui.look import scaled_width
from ui.widgets.common import button, label
from ui.widgets.scrolling import TouchScrollArea

__all__ = ["Screen"]


class Screen(QWidget):
    cancel_requested = Signal()
    #: shown on the footer's primary button; None hides it
    has_back = True
    has_cancel = True
    #: the body scrolls as a whole when it needs more room than the screen has (large text);
    #: a screen whose body is one scrolling list of its own says False
    body_scrolls = True

    def __init__(self, flow: Flow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.language = "vi"
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 18, 48, 16)
        outer.setSpacing(10)
        self.title = label("title", self)
        self.subtitle = label("subtitle", self)
        self.step = label("step", self, wrap=False)
        self.step.setObjectName("step-label")
        self.step.hide()
        self._step: tuple[int, int] | None = None
        title_row = QHBoxLayout()
        title_row.setSpacing(16)
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.step, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(title_row)
        outer.addWidget(self.subtitle)
        outer.addSpacing(8)
        if self.body_scrolls:
            self.scroll_body: TouchScrollArea | None = TouchScrollArea(self)
            holder = QWidget(self.scroll_body)
            holder.setObjectName("scroll-holder")
            self.body = QVBoxLayout(holder)
            self.body.setContentsMargins(0, 0, 0, 0)
            self.scroll_body.setWidget(holder)
            outer.addWidget(self.scroll_body, 1)
        else:
            self.scroll_body = None
            self.body = QVBoxLayout()
            outer.addLayout(self.body, 1)
        self.body.setSpacing(16)
        outer.addSpacing(8)
        self.footer = footer = QHBoxLayout()
        footer.setSpacing(16)
        self.back_button = button("quiet", self, name="back")
        self.cancel_button = button("quiet", self, name="cancel")
        self.primary_button = button("primary", self, name="primary")
        scaled_width(self.primary_button, 300, minimum=True)
        footer.addWidget(self.back_button)
        footer.addWidget(self.cancel_button)
        footer.addStretch(1)
        footer.addWidget(self.primary_button)
        for key in (self.back_button, self.cancel_button, self.primary_button):
            footer.setAlignment(key, Qt.AlignmentFlag.AlignBottom)  # a taller footer moves no key
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
        self._show_step()

    def set_step(self, number: int | None, total: int) -> None:
        """Which step of the journey this screen is ("Step 2 of 8"); None shows none."""
        self._step = None if number is None else (number, total)
        self._show_step()

    def _show_step(self) -> None:
        if self._step is None:
            self.step.clear()
            self.step.hide()
            return
        number, total = self._step
        self.step.setText(self.tr("Step {n} of {total}").format(n=number, total=total))
        self.step.show()

    def on_primary_clicked(self) -> None:
        """The footer's main button."""

    def on_back_clicked(self) -> None:
        if self.flow.allowed("back"):
            self.flow.back()

    def on_keyboard(self, keys: QRect | None) -> None:
        """The on-screen keyboard now covers ``keys`` (in this screen's coordinates), or is gone;
        a screen whose answers must stay in sight above it makes room."""

    # -- shared --------------------------------------------------------------------------------
    def set_language(self, language: str) -> None:
        self.language = language
        self.retranslate()
