"""Read aloud: the header's key turns reading on for the citizen's session. While it is on, each
screen is read as it appears (its title, instructions, any problem, what it shows and the choices
it offers), a question asked over the screen is read when it appears, and a problem that appears
after a touch is read at once. Numbers and codes are spelled digit by digit (``ui.spoken``).

The key shows only when a speech engine works (``Narrator.available``); IT learns otherwise from
``kiosk doctor``, the metrics and the log. Turning it off, or the session ending, stops the voice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPushButton, QWidget

from ui.speech import Narrator
from ui.spoken import spoken

__all__ = ["ReadAloud", "problems_text", "screen_text"]

_PROBLEM_KINDS = ("problem", "problem-summary")
#: widgets whose keys are not read one by one: a keyboard is read as what it is for
_KEY_CONTAINERS = ("OnScreenKeyboard", "NumericKeypad")
_RELEASE = QEvent.Type.MouseButtonRelease
_HEADING_NAMES = ("title", "step", "subtitle", "question", "detail")


def _shown(widget: QWidget, page: QWidget) -> bool:
    return widget.isVisibleTo(page) and not widget.isHidden()


def _text_of(widget: QWidget) -> str:
    if isinstance(widget, QLineEdit):
        if widget.echoMode() != QLineEdit.EchoMode.Normal:
            return ""
        return widget.text()
    text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
    return " ".join(text.split())


def _walk(widget: QWidget, page: QWidget, skip: set[int]) -> Iterator[QWidget]:
    """Depth first, in the order the widgets were built (the order their layouts show them)."""
    for child in widget.children():
        if not isinstance(child, QWidget) or id(child) in skip or not _shown(child, page):
            continue
        if type(child).__name__ in _KEY_CONTAINERS:
            continue
        if isinstance(child, (QLabel, QAbstractButton, QLineEdit)):
            yield child
        if not isinstance(child, QLineEdit):
            yield from _walk(child, page, skip)


def problems_text(page: QWidget) -> str:
    """The problems ``page`` shows now (form answers to fix, a card that could not be read)."""
    parts = [_text_of(w) for w in page.findChildren(QLabel)
             if w.property("kind") in _PROBLEM_KINDS and _shown(w, page) and _text_of(w)]
    return _sentences(dict.fromkeys(parts))


def screen_text(page: QWidget) -> str:
    """What "Read aloud" reads on ``page``: its title, step and instructions, the problems it
    shows, then everything else it shows in order (choices included), its own buttons last."""
    headings = [getattr(page, name, None) for name in _HEADING_NAMES]
    headings = [w for w in headings if isinstance(w, QWidget) and _shown(w, page) and _text_of(w)]
    problems = [w for w in page.findChildren(QLabel)
                if w.property("kind") in _PROBLEM_KINDS and _shown(w, page) and _text_of(w)]
    own_buttons = [w for w in page.children() if isinstance(w, QPushButton) and _shown(w, page)
                   and _text_of(w)]
    skip = {id(w) for w in (*headings, *problems, *own_buttons)}
    body = list(_walk(page, page, skip))
    parts = [_text_of(w) for w in (*headings, *problems, *body, *own_buttons) if w is not None]
    return _sentences(part for part in dict.fromkeys(parts) if part)


def _sentences(parts) -> str:
    """One sentence per piece: a full stop where the piece has no end mark of its own."""
    return " ".join(part if part[-1] in ".?!:…" else part + "." for part in parts)


class ReadAloud(QObject):
    """The header's read-aloud key and what it reads; ``page`` gives what the citizen sees now
    (a question over the screen, or the screen)."""

    def __init__(self, narrator: Narrator, key: QPushButton, page: Callable[[], QWidget],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.narrator, self.key, self._page = narrator, key, page
        self._problems = ""
        self._pending = False
        self._listening = False
        self._closed = False  # the window is closing: nothing more is read
        narrator.enabled = False
        key.setCheckable(True)
        key.setVisible(narrator.available)
        key.toggled.connect(self.set_on)

    @property
    def on(self) -> bool:
        return self.narrator.enabled

    def set_on(self, on: bool) -> None:
        if self.key.isChecked() != on:
            self.key.setChecked(on)  # toggled() comes back here once
            return
        self.narrator.enabled = on and self.narrator.available
        self._listen(self.narrator.enabled)
        if self.narrator.enabled:
            self.read_page()

    def _listen(self, on: bool) -> None:
        """The application-wide filter (every event of every widget passes it) only while reading
        is on: a session without read aloud pays nothing for it."""
        app = QCoreApplication.instance()
        if app is None or on == self._listening:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._listening = on

    def close(self) -> None:
        """The window is closing: stop listening, and a reading still queued does nothing."""
        self._closed = True
        self._listen(False)

    def read_page(self) -> bool:
        """Say the whole of what the citizen sees now (False when reading is off)."""
        if not self.on or self._closed:
            return False
        page = self._page()
        self._problems = problems_text(page)
        return self.narrator.say(spoken(screen_text(page), self.narrator.language))

    def page_shown(self) -> None:
        """A new screen or question appeared: read it once it is drawn."""
        if self.on:
            QTimer.singleShot(0, self, self.read_page)  # dropped if this object goes first

    def after_touch(self) -> None:
        """A touch may have brought a problem up ("please fill this in"): read it if new."""
        if self.on and not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self._read_new_problems)

    def _read_new_problems(self) -> None:
        self._pending = False
        if self._closed:
            return
        text = problems_text(self._page())
        if text and text != self._problems and self.on:
            self.narrator.say(spoken(text, self.narrator.language))
        self._problems = text

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        """Installed on the application: every touch released anywhere (a button press that
        showed a problem, say)."""
        if event.type() == _RELEASE:
            self.after_touch()
        return False

    def reset(self) -> None:
        """The session ended: reading goes off for the next citizen."""
        self.set_on(False)
        self.narrator.stop()
        self._problems = ""
