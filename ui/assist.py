"""Wiring for the accessibility components: the on-screen keyboard docked beside whatever field has
the focus, and the header's "Read aloud" button. The components themselves live in ui/keyboard and
ui/speech.py; this module only decides when they appear and what they read.

A field takes part in the keyboard when it carries the ``keyboard`` property ("text", "numeric",
"phone"); fields without it (the staff sign-in, say) never raise the keyboard. A field with a
``complete_at`` property (10 for a mobile number) puts the keyboard away once that many digits
are typed on it, so the key that comes next (Continue, I agree) is in sight without a touch more.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtWidgets import (QApplication, QFrame, QHBoxLayout, QLineEdit, QPushButton, QScrollArea,
                               QSizePolicy, QWidget)

from ui.keyboard import OnScreenKeyboard, Placement, place_keyboard
from ui.keyboard.physical import PhysicalKeyboard
from ui.look import scaled_width
from ui.speech import Narrator
from ui.widgets.common import button

__all__ = ["KeyboardDock", "make_read_aloud_button", "screen_text"]


class KeyboardDock(QFrame):
    """The keyboard and a "Hide keyboard" key, floating over ``window`` clear of the target field.

    It follows ``QApplication.focusChanged`` and shows again when the citizen touches the field
    after hiding it. Neither the keys nor the hide key take the focus, so the cursor stays put.
    ``moved`` tells where it now is (its rectangle in the window), or None once it is gone, so a
    screen can keep what matters (search results) above it.
    """

    moved = Signal(object)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("keyboard-dock")
        self.setProperty("kind", "card")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAutoFillBackground(True)  # opaque even where no theme styles it
        self._window = window
        # the hide key stands beside the keys, not above them: every pixel of height the dock
        # takes is a pixel less for the field on a 800-pixel-high screen
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 4, 4, 4)
        row.setSpacing(4)
        self.keyboard = OnScreenKeyboard(self)
        row.addWidget(self.keyboard, 1)
        # a USB keyboard (staff) composes Telex/VNI too, with the method chosen on the keys
        self.physical = PhysicalKeyboard(self)
        self.physical.pair_with(self.keyboard)
        self.hide_button: QPushButton = button("quiet", self, name="keyboard-hide")
        self.hide_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scaled_width(self.hide_button, 160)
        self.hide_button.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Expanding)
        self.hide_button.clicked.connect(self.put_away)
        row.addWidget(self.hide_button)
        self.keyboard.key_pressed.connect(self._on_key_pressed)
        self.placement: Placement | None = None
        self._following = False
        self._padded: tuple[Any, QMargins] | None = None
        self.hide()
        self.retranslate()

    def follow_focus(self, on: bool) -> None:
        """Start (or stop, before the window closes) following the application's focus."""
        app = QApplication.instance()
        if app is None or on == self._following:
            return
        if on:
            app.focusChanged.connect(self.on_focus_changed)
        else:
            app.focusChanged.disconnect(self.on_focus_changed)
            self.physical.attach(None)
        self._following = on

    def on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if isinstance(new, QLineEdit) and self._wants_keyboard(new):
            if old is not None and old is not new:
                old.removeEventFilter(self)
            self.keyboard.on_focus_changed(old, new)
            new.installEventFilter(self)
            self.physical.attach(new)
            self.show_for(new)
            # a new layout (text -> phone) knows its height only once laid out: place it again then
            QTimer.singleShot(0, self._settle)
        elif new is not None and not self.isAncestorOf(new):
            self.dismiss()

    def _on_key_pressed(self, _key: str) -> None:
        target = self.keyboard.target
        wanted = target.property("complete_at") if target is not None else None
        if wanted and sum(ch.isdigit() for ch in target.text()) >= int(wanted):
            QTimer.singleShot(0, self.put_away)

    def _wants_keyboard(self, widget: QWidget | None) -> bool:
        return (isinstance(widget, QLineEdit) and widget.property("keyboard") is not None
                and self._window.isAncestorOf(widget) and widget.isVisible()
                and not widget.isReadOnly())

    def show_for(self, field: QWidget) -> Placement:
        """Dock clear of ``field``; when its scroll area cannot move far enough for the bottom,
        try the top, so the field being typed stays in sight wherever it is."""
        self.layout().invalidate()  # the keys' size follows the text size, hidden or not
        self.layout().activate()
        area = _scroll_area_of(field)
        if area is not None:  # a field half out of its scroll area comes fully into view first
            _reveal(area, field)
        self.placement = place_keyboard(self, field, self._window)
        if self.covers(field) and self._make_room_below(field):
            self.placement = place_keyboard(self, field, self._window)
        if self.covers(field) and field.mapTo(self._window, QPoint(0, 0)).y() > self.height():
            self.move(0, 0)  # the bottom would still cover it: dock at the top instead
            if area is not None:
                _reveal(area, field)
                below = self.geometry().bottom() + 8 - field.mapTo(self._window, QPoint(0, 0)).y()
                if below > 0:  # brought into view under the keys: move it down clear of them
                    bar = area.verticalScrollBar()
                    bar.setValue(bar.value() - below)
        self.moved.emit(self.geometry())
        return self.placement

    def _settle(self) -> None:
        target = self.keyboard.target
        if self.isVisible() and target is not None and target.isVisible():
            self.show_for(target)

    def _make_room_below(self, field: QWidget) -> bool:
        """The last fields of a form cannot scroll above the keyboard: pad the bottom of their
        scroll area's content by the keyboard's height (undone when the keyboard goes)."""
        area = _scroll_area_of(field)
        content = area.widget() if area is not None else None
        layout = content.layout() if content is not None else None
        if layout is None or self._padded is not None:
            return False
        margins = layout.contentsMargins()
        self._padded = (layout, margins)
        layout.setContentsMargins(margins.left(), margins.top(), margins.right(),
                                  margins.bottom() + self.height())
        layout.activate()
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        return True

    def _unpad(self) -> None:
        if self._padded is not None:
            layout, margins = self._padded
            self._padded = None
            try:
                layout.setContentsMargins(margins)
            except RuntimeError:  # the form was rebuilt: its old layout is gone
                pass

    def covers(self, field: QWidget) -> bool:
        field_rect = QRect(field.mapTo(self._window, QPoint(0, 0)), field.size())
        return self.isVisible() and self.geometry().intersects(field_rect)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        """Touching the field again brings the keyboard back after "Hide keyboard"."""
        if (event.type() == QEvent.Type.MouseButtonPress and watched is self.keyboard.target
                and not self.isVisible() and self._wants_keyboard(watched)):
            self.show_for(watched)
        return False

    def put_away(self) -> None:
        """"Hide keyboard": the field keeps its focus and a touch on it brings the keys back."""
        self._unpad()
        self.hide()
        self.moved.emit(None)

    def dismiss(self) -> None:
        """End the word being composed and hide (the screen moved on, or the session ended)."""
        self.keyboard.commit()
        self.physical.attach(None)
        target = self.keyboard.target
        if target is not None:
            target.removeEventFilter(self)
        self.keyboard.target = None
        self._unpad()
        if self.isVisible():
            self.hide()
            self.moved.emit(None)

    def retranslate(self) -> None:
        self.hide_button.setText(self.tr("Hide\nkeyboard\n▾"))
        self.keyboard.retranslate()


def _scroll_area_of(widget: QWidget) -> QScrollArea | None:
    area = widget.parentWidget()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parentWidget()
    return area


def _reveal(area: QScrollArea, field: QWidget, margin: int = 8) -> None:
    """Scroll ``area`` the least so ``field`` is wholly in its viewport (measured on the viewport
    itself, which ``ensureWidgetVisible`` missed by a few dozen pixels in the themed form)."""
    bar = area.verticalScrollBar()
    top = field.mapTo(area.viewport(), QPoint(0, 0)).y()
    bottom, height = top + field.height(), area.viewport().height()
    if bottom + margin > height:
        bar.setValue(bar.value() + bottom + margin - height)
    elif top < margin:
        bar.setValue(bar.value() + top - margin)


def screen_text(page: QWidget) -> str:
    """What "Read aloud" reads: the screen's title and instruction, then a problem if one shows."""
    parts = []
    for name in ("title", "subtitle", "question", "detail"):
        widget = getattr(page, name, None)
        if widget is not None and widget.text().strip():
            parts.append(widget.text().strip())
    return ". ".join(part.rstrip(".") for part in parts)


def make_read_aloud_button(parent: QWidget, narrator: Narrator) -> QPushButton:
    """The header's "Read aloud" button; hidden when no speech engine is installed."""
    widget = button("secondary", parent, name="read-aloud")
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # never takes the focus from a field
    widget.setVisible(narrator.available)
    return widget


