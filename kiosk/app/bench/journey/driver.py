"""The finger of ``kiosk bench journey``: taps on the real window at window coordinates, each one
counted, with what a finger needs to reach a widget (scrolling, putting the keyboard away) counted
too; and waiting on the event loop, never sleeping. ``kiosk/app/bench/journey/walk.py`` walks the journey.

    JourneyError            the benchmark could not measure
    └── JourneyStuck        the journey did not reach the receipt (timeout, refused answer)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QScrollArea, QStyle, QStyleOptionSlider

from kiosk.app.bench.journey.plan import JourneyRun, StepRecord
from kiosk.domain.flow import Step

__all__ = ["DEFAULT_TIMEOUT_S", "Driver", "JourneyError", "JourneyStuck", "find_visible",
           "wait_step"]

DEFAULT_TIMEOUT_S = 30.0


class JourneyError(RuntimeError):
    """The benchmark could not measure (the app did not start, a widget is missing)."""


class JourneyStuck(JourneyError):
    """The journey did not reach the receipt: says on which screen and what never happened."""


class Driver:
    """Taps the real window like a finger would and waits for what each tap should bring."""

    def __init__(self, window: Any, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self.window, self.timeout_s = window, timeout_s
        self.run = JourneyRun()
        window.stack.currentChanged.connect(self._on_page)

    # -- bookkeeping ---------------------------------------------------------------------------
    def page_name(self) -> str:
        page = self.window.stack.currentWidget()
        for step in Step:
            if self.window.screens.get(step) is page:
                return step.name
        return (page.objectName() or type(page).__name__).upper()

    def _on_page(self, _index: int) -> None:
        now, name = time.perf_counter(), self.page_name()
        if self.run.steps and self.run.steps[-1].page == name:
            return
        if self.run.steps:
            self.run.steps[-1].ended = now
        self.run.steps.append(StepRecord(name, now))
        self.run.pages.append(name)

    def start(self) -> None:
        self.run.placed = time.perf_counter()
        self.run.steps = [StepRecord(self.page_name(), self.run.placed)]
        self.run.pages = [self.page_name()]

    def close(self) -> None:
        self.window.stack.currentChanged.disconnect(self._on_page)

    # -- waiting -------------------------------------------------------------------------------
    def wait_for(self, done: Callable[[], bool], what: str, timeout_s: float | None = None, *,
                 device: bool = False) -> None:
        """Run the event loop until ``done()``; JourneyStuck after the timeout (no sleeping).

        A wait on the window (``device`` False) checks ``done()`` whenever the event loop is
        idle, so it ends as soon as the window has done its work, and that time counts as the
        UI's; a wait on a device or the portal (the chip read, the submission) checks every 2 ms,
        leaving the worker threads the CPU, and is timed by the caller instead."""
        if done():
            return
        started = time.perf_counter()
        deadline = time.monotonic() + (timeout_s or self.timeout_s)
        loop, poll = QEventLoop(), QTimer()
        poll.setInterval(2 if device else 0)
        poll.timeout.connect(lambda: loop.quit() if done() or time.monotonic() > deadline else None)
        poll.start()
        loop.exec()
        poll.stop()
        if not device:
            self._count_ui(time.perf_counter() - started)
        if not done():
            raise JourneyStuck(f"stuck on {self.page_name()}: {what} did not happen within "
                               f"{timeout_s or self.timeout_s:g} s")

    def _count_ui(self, seconds: float) -> None:
        """The window's own time after the first touch: in the taps (Qt delivers each press and
        release and runs what they start before ``mouseClick`` returns) and in the waits for the
        window. Between those calls no event is processed: that time is the bench's own."""
        if self.run.first_touch is not None:
            self.run.ui_s += seconds

    # -- touching ------------------------------------------------------------------------------
    def tap(self, widget: Any, why: str, at: Any = None) -> None:
        """One touch on ``widget`` (its centre, or ``at`` in its coordinates), sent to the window
        so Qt's hit-testing decides what is touched; first made reachable as a citizen would."""
        self._make_reachable(widget, why, at)
        if not widget.isEnabled():
            raise JourneyStuck(f"stuck on {self.page_name()}: cannot tap {why} (disabled)")
        point = self._point(widget, at)
        self.run.touches += 1
        self.run.taps.append(why)
        self.run.steps[-1].touches += 1
        started = time.perf_counter()
        if self.run.first_touch is None:
            self.run.first_touch = started
        QTest.mouseClick(self.window.windowHandle(), Qt.LeftButton, Qt.NoModifier, point)
        self._count_ui(time.perf_counter() - started)

    def _point(self, widget: Any, at: Any = None) -> Any:
        local = at if at is not None else QPoint(widget.width() // 2, widget.height() // 2)
        return widget.mapTo(self.window, local)

    def _hit(self, widget: Any, at: Any = None) -> bool:
        if not widget.isVisible():
            return False
        point = self._point(widget, at)
        if not self.window.rect().contains(point):
            return False
        hit = self.window.childAt(point)
        return hit is widget or (hit is not None and widget.isAncestorOf(hit))

    def _make_reachable(self, widget: Any, why: str, at: Any = None) -> None:
        """Put the keyboard away, or scroll: each costs a touch, as it would cost a citizen."""
        for _ in range(12):
            if self._hit(widget, at):
                return
            if not widget.isVisible():
                break
            dock = self.window.keyboard_dock
            if dock.isVisible() and dock.covers(widget):
                self.tap(dock.hide_button, "hide keyboard")
                continue
            if not self._scroll_towards(widget):
                break
        raise JourneyStuck(f"stuck on {self.page_name()}: {why} is not visible or is covered")

    def _scroll_towards(self, widget: Any) -> bool:
        """Tap the scroll bar's track on the side where ``widget`` lies (a page per tap)."""
        area = widget.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is None or not area.viewport().isAncestorOf(widget):
            return False
        bar = area.verticalScrollBar()
        top = widget.mapTo(area.viewport(), QPoint(0, 0)).y()
        down = top + widget.height() > area.viewport().height()
        if not bar.isVisible() or (down and bar.value() >= bar.maximum()) or \
                (not down and bar.value() <= bar.minimum()):
            return False
        handle = _handle_rect(bar)
        y = (handle.bottom() + bar.height()) // 2 if down else handle.top() // 2
        self.tap(bar, "scroll down" if down else "scroll up",
                 QPoint(bar.width() // 2, max(1, min(bar.height() - 2, y))))
        return True

    def type_text(self, field: Any, text: str, why: str) -> None:
        """Tap the field (unless it already has the keys), then one on-screen key per character
        (shift before a capital)."""
        dock = self.window.keyboard_dock
        if not (dock.isVisible() and dock.keyboard.target is field and field.hasFocus()):
            self.tap(field, why)
        self.wait_for(lambda: dock.isVisible() and dock.keyboard.target is field,
                      f"the on-screen keyboard for {why}")
        for char in text:
            if char.isupper():
                self.tap(self._key(dock.keyboard, "shift"), "key shift")
            key_id = "space" if char == " " else char.lower()
            self.tap(self._key(dock.keyboard, key_id), f"key {key_id}")
        self.wait_for(lambda: field.text() == text, f"{why} showing exactly what was typed", 2.0)

    @staticmethod
    def _key(keyboard: Any, key_id: str) -> Any:
        key = keyboard.keys.get(key_id)
        if key is None:
            raise JourneyError(f"the on-screen keyboard has no key {key_id!r} in this layout")
        return key


def _handle_rect(bar: Any) -> Any:
    option = QStyleOptionSlider()
    bar.initStyleOption(option)
    return bar.style().subControlRect(QStyle.CC_ScrollBar, option, QStyle.SC_ScrollBarSlider, bar)


def find_visible(parent: Any, kind: Any, name: str, why: str) -> Any:
    """The visible widget called ``name`` under ``parent`` (screens are found by object name)."""
    found = [w for w in parent.findChildren(kind, name) if w.isVisible()]
    if not found:
        raise JourneyStuck(f"no visible {why} ({name!r}) on {type(parent).__name__}")
    return found[0]


def wait_step(driver: Driver, step: Any, why: str, timeout_s: float | None = None, *,
              device: bool = False) -> None:
    window = driver.window
    driver.wait_for(lambda: window.flow.step is step and
                    window.stack.currentWidget() is window.screens[step], why, timeout_s,
                    device=device)
