"""A scroll area for touch: it scrolls by swiping (QScroller kinetic scrolling, also for a finger
the touchscreen reports as a mouse), and while there is more below, a "More below" key under the
list says so and scrolls a page on a tap. The key has a strip of its own under the viewport, so it
never covers what it points to. Every scrolling list and body of the kiosk is one.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QPushButton, QScrollArea, QScroller, QScrollerProperties, QWidget

__all__ = ["TouchScrollArea"]


class TouchScrollArea(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        scroller = QScroller.scroller(self.viewport())
        properties = scroller.scrollerProperties()
        no_bounce = QScrollerProperties.OvershootPolicy.OvershootAlwaysOff
        properties.setScrollMetric(QScrollerProperties.ScrollMetric.VerticalOvershootPolicy,
                                   no_bounce)
        properties.setScrollMetric(QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy,
                                   no_bounce)
        # a press reaches the key under the finger at once (held back, it was sometimes lost); a
        # press that turns into a swipe is taken back from the key by the scroller
        properties.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0.0)
        scroller.setScrollerProperties(properties)
        self.more = QPushButton(self)
        self.more.setObjectName("more-below")
        self.more.setProperty("role", "more")
        self.more.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.more.setCursor(Qt.CursorShape.PointingHandCursor)
        self.more.clicked.connect(self.page_down)
        self.more.hide()
        self._updating = False
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(lambda *_: self._update_more())
        bar.valueChanged.connect(lambda *_: self._update_more())
        self.retranslate()

    @property
    def more_below(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() < bar.maximum()

    def page_down(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + max(bar.pageStep() - 60, bar.singleStep()))

    def _update_more(self) -> None:
        if self._updating:
            return
        self._updating = True
        try:
            shown = self.more_below
            bottom = self._strip() if shown else 0
            if self.viewportMargins().bottom() != bottom:
                self.setViewportMargins(0, 0, 0, bottom)
            if shown:
                self._place_more()
                self.more.raise_()
            self.more.setVisible(shown)
        finally:
            self._updating = False

    def _strip(self) -> int:
        return self.more.sizeHint().height() + 6

    def _place_more(self) -> None:
        viewport = self.viewport().geometry()
        hint = self.more.sizeHint()
        width = min(hint.width(), viewport.width())
        self.more.setGeometry(viewport.x() + (viewport.width() - width) // 2,
                              viewport.bottom() + 1 + self._strip() - hint.height(),
                              width, hint.height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._update_more()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange) \
                and self.more.isVisible():
            self._update_more()

    def retranslate(self) -> None:
        self.more.setText("▾  " + self.tr("More below"))
        if self.more.isVisible():
            self._update_more()
