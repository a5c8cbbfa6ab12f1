"""``kiosk bench journey``: a citizen's whole journey, driven only by taps on the real window.

The app is built as ``kiosk run`` builds it (``Services`` with the embedded reference portal, the
virtual card reader and camera, the main window), on a temporary data folder. The sample card is
placed on the virtual reader (the citizen's hand: not a touch), then every step is a simulated
tap at window coordinates (``QTest`` on the window handle, so Qt's own hit-testing picks the
widget, as with a finger): a covered or off-screen widget is never "tapped through". Typing uses
the on-screen keyboard, one tap per key; a widget outside its scroll area's view costs a tap on
the scroll bar; a keyboard in the way costs a tap on "Hide keyboard".

Counted: ``touches`` (every tap), ``screens`` (distinct pages of the window's stack shown), wall
time from the card placed to the receipt shown (and from the first touch), with the time spent
waiting on the chip read and on the portal submit split out. Anything that does not happen within
the timeout raises ``JourneyStuck`` naming the step and what was awaited: never a fake pass.

    JourneyError            the benchmark could not measure
    └── JourneyStuck        the journey did not reach the receipt (timeout, refused answer)
"""

from __future__ import annotations

import dataclasses
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import PySide6
from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QPoint, Qt, QTimer, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (QApplication, QLineEdit, QPushButton, QScrollArea, QStyle,
                               QStyleOptionSlider, QWidget)

from devices.card.profiles import ProfileError, load_profile
from kiosk.bench.journey import JourneyPlan, JourneyRun, StepRecord, summarise
from kiosk.config import load_config
from kiosk.flow import Step
from kiosk.forms import visible_fields
from kiosk.procedures import FieldType
from kiosk.services import Services
from ui.look import apply_theme
from ui.main_window import MainWindow

__all__ = ["Driver", "JourneyError", "JourneyStuck", "drive", "run_bench", "run_once",
           "versions", "walk"]

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
    def wait_for(self, done: Callable[[], bool], what: str, timeout_s: float | None = None) -> None:
        """Run the event loop until ``done()``; JourneyStuck after the timeout (no sleeping)."""
        if done():
            return
        deadline = time.monotonic() + (timeout_s or self.timeout_s)
        loop, poll = QEventLoop(), QTimer()
        poll.setInterval(2)
        poll.timeout.connect(lambda: loop.quit() if done() or time.monotonic() > deadline else None)
        poll.start()
        loop.exec()
        poll.stop()
        if not done():
            raise JourneyStuck(f"stuck on {self.page_name()}: {what} did not happen within "
                               f"{timeout_s or self.timeout_s:g} s")

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
        if self.run.first_touch is None:
            self.run.first_touch = time.perf_counter()
        QTest.mouseClick(self.window.windowHandle(), Qt.LeftButton, Qt.NoModifier, point)

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


# -- the journey --------------------------------------------------------------------------------
def _find(parent: Any, kind: Any, name: str, why: str) -> Any:
    """The visible widget called ``name`` under ``parent`` (screens are found by object name)."""
    found = [w for w in parent.findChildren(kind, name) if w.isVisible()]
    if not found:
        raise JourneyStuck(f"no visible {why} ({name!r}) on {type(parent).__name__}")
    return found[0]


def _wait_step(driver: Driver, step: Any, why: str, timeout_s: float | None = None) -> None:
    window = driver.window
    driver.wait_for(lambda: window.flow.step is step and
                    window.stack.currentWidget() is window.screens[step], why, timeout_s)


def _identify(driver: Driver, services: Any, plan: JourneyPlan) -> None:
    window = driver.window
    identify = window.screens[Step.IDENTIFY]
    try:
        profile = load_profile(Path(services.profiles_dir) / plan.profile)
    except (OSError, ProfileError) as exc:
        raise JourneyError(f"the sample card {plan.profile!r} cannot be loaded: {exc}") from exc
    driver.start()
    services.card_reader.insert(profile)  # the citizen's hand, not a touch
    timeout = float(window.config.devices.read_timeout_s) + driver.timeout_s
    driver.wait_for(lambda: window.flow.step is Step.IDENTIFY and identify.showing_result,
                    "the chip's details shown after the card was placed", timeout)
    driver.run.card_read_s = time.perf_counter() - driver.run.placed
    if identify.result.outcome == "failed":
        raise JourneyStuck("the sample card's chip could not be verified")
    driver.tap(_find(identify, QPushButton, "primary", "'Yes, this is me'"), "this is me")
    _wait_step(driver, Step.CHOOSE, "the list of services after 'Yes, this is me'")


def _choose(driver: Driver, plan: JourneyPlan) -> None:
    screens = driver.window.screens
    tile = _find(screens[Step.CHOOSE], QPushButton, f"procedure-{plan.procedure}",
                 f"tile of procedure {plan.procedure}")
    driver.tap(tile, f"tile {plan.procedure}")
    _wait_step(driver, Step.REQUIREMENTS, "the requirements after choosing the service")
    requirements = screens[Step.REQUIREMENTS]
    driver.tap(_find(requirements, QPushButton, "primary", "'Continue'"), "continue")
    _wait_step(driver, Step.FORM, "the form after 'Continue'")


def _next_question(window: Any, plan: JourneyPlan) -> Any:
    """The first visible field the citizen still has to answer (required and empty, or one the
    plan also answers), reading what the form's widgets show now."""
    form = window.screens[Step.FORM]
    shown = {}
    for field in window.flow.procedure.fields:
        editor = form.findChild(QWidget, f"field-{field.id}")
        shown[field.id] = editor.value() if editor is not None else ""
    for field in visible_fields(window.flow.procedure, shown):
        wanted = plan.answers.get(field.id)
        if not shown[field.id].strip() and field.required:
            if wanted is None:
                raise JourneyStuck(f"the form requires {field.id!r} ({field.type.value}), which "
                                   "the scripted citizen has no answer for")
            return field, wanted
        if field.id in plan.also_answer and wanted is not None and shown[field.id] != wanted:
            return field, wanted
    return None


def _fill_form(driver: Driver, plan: JourneyPlan) -> None:
    window = driver.window
    form = window.screens[Step.FORM]
    for _ in range(len(window.flow.procedure.fields) + 1):
        question = _next_question(window, plan)
        if question is None:
            break
        field, wanted = question
        editor = _find(form, QWidget, f"field-{field.id}", f"field {field.id}")
        if field.type in (FieldType.CHOICE, FieldType.YESNO):
            driver.tap(_find(editor, QPushButton, f"choice-{field.id}-{wanted}",
                             f"choice {wanted}"), f"{field.id}={wanted}")
        elif field.type in (FieldType.ADDRESS, FieldType.ATTACHMENT):
            raise JourneyStuck(f"the scripted citizen cannot answer {field.id!r} "
                               f"({field.type.value}) yet")
        else:
            line = editor.findChild(QLineEdit)
            if line.text():
                raise JourneyStuck(f"{field.id!r} holds text the plan would have to delete")
            driver.type_text(line, wanted, f"field {field.id}")
    else:
        raise JourneyStuck("the form kept asking: an answer did not stick")
    driver.tap(_find(form, QPushButton, "primary", "'Check my answers'"), "check answers")
    try:
        _wait_step(driver, Step.REVIEW, "the review after 'Check my answers'", 5.0)
    except JourneyStuck:
        if window.flow.step is not Step.FORM:
            raise
        marked = [w.objectName().removeprefix("problem-") for w in form.findChildren(QWidget)
                  if w.objectName().startswith("problem-") and w.isVisible()]
        raise JourneyStuck(f"stuck on {driver.page_name()}: the form refused the answers; "
                           f"problems at {marked}") from None


def _ask_for_sms(driver: Driver, consent: Any, phone: str) -> None:
    """"Yes, send me an SMS", then the number, unless the form's number is already offered."""
    driver.tap(_find(consent, QPushButton, "sms-yes", "'Yes, send me an SMS'"), "sms yes")
    field = _find(consent, QLineEdit, "sms-phone", "SMS phone number")
    if not field.text():
        driver.type_text(field, phone, "sms phone")


def _send(driver: Driver, plan: JourneyPlan) -> None:
    window = driver.window
    review = window.screens[Step.REVIEW]
    driver.tap(_find(review, QPushButton, "primary", "'Send application'"), "send")
    _wait_step(driver, Step.CONSENT, "the consent question after 'Send application'")
    consent = window.screens[Step.CONSENT]
    if plan.sms:
        _ask_for_sms(driver, consent, plan.answers.get("phone", ""))
    driver.tap(_find(consent, QPushButton, "primary", "'I agree, send'"), "agree")
    asked = time.perf_counter()
    timeout = float(window.config.sync.submit_wait_s) + driver.timeout_s
    _wait_step(driver, Step.RECEIPT, "the receipt after agreeing", timeout)
    driver.run.receipt = driver.run.steps[-1].started
    driver.run.submit_s = driver.run.receipt - asked


def walk(driver: Driver, services: Any, plan: JourneyPlan) -> None:
    """WELCOME -> RECEIPT: card on the reader, then taps only."""
    window = driver.window
    if window.flow.step is not Step.WELCOME:
        raise JourneyError("the journey must start on the welcome screen")
    procedures = {p.code: p for p in window.flow.catalogue.procedures}
    known = {f.id for f in procedures[plan.procedure].fields} if plan.procedure in procedures \
        else set()
    unknown = [f for f in plan.also_answer if f not in known or f not in plan.answers]
    if unknown:
        raise JourneyError(f"cannot also answer {unknown}: not a field of {plan.procedure} "
                           "with a scripted answer")
    _identify(driver, services, plan)
    _choose(driver, plan)
    _fill_form(driver, plan)
    _send(driver, plan)


def drive(window: Any, services: Any, plan: JourneyPlan, *,
          timeout_s: float = DEFAULT_TIMEOUT_S) -> dict[str, Any]:
    """One journey on a shown window on WELCOME; returns what it measured (``JourneyRun`` as a
    dict, with the receipt's status)."""
    driver = Driver(window, timeout_s=timeout_s)
    try:
        walk(driver, services, plan)
    finally:
        driver.close()
    result = driver.run.as_dict()
    receipt = window.flow.receipt
    result["receipt"] = None if receipt is None else receipt.status.value
    result["sms_requested"] = getattr(window.flow, "sms_phone", None) is not None  # not the number
    return result


# -- the app, as `kiosk run` builds it ------------------------------------------------------------
def _application() -> Any:
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance()
    return app if app is not None else QApplication(["kiosk-bench-journey"])


def _settle(window: Any, driver_timeout_s: float) -> None:
    """Shown, active (fields take the focus) and past the first health check, like a kiosk
    that has been standing there before the citizen walks up."""
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    if not QTest.qWaitForWindowExposed(window, 5000):
        raise JourneyError("the window was never shown")
    QTest.qWaitForWindowActive(window, 5000)
    probe = Driver(window, timeout_s=driver_timeout_s)
    try:
        probe.wait_for(lambda: window.header.indicator.status is not None,
                       "the first portal health check")
    finally:
        probe.close()


def run_once(plan: JourneyPlan, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> dict[str, Any]:
    """Build services and window on a fresh temporary data folder, walk once, close it all.
    The application's look is put back afterwards (the bench may run inside another Qt app)."""
    app = _application()
    style, font = app.styleSheet(), app.font()
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-journey-") as folder:
        config = load_config(env={}, overrides={
            "store.data_dir": folder, "portal.url": "embedded", "devices.card_reader": "virtual",
            "devices.camera": "virtual", "ops.metrics_port": 0,
            "ui.demo_controls": False})  # the card is placed by the bench, not the demo panel
        apply_theme(app, config.ui.theme)
        services = Services.build(config)
        try:
            window = MainWindow(services, config, narrator_engine=None)
            try:
                services.start_devices()
                _settle(window, timeout_s)
                return drive(window, services, plan, timeout_s=timeout_s)
            finally:
                window.shutdown()
                window.close()
                window.deleteLater()
                QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
        finally:
            services.close()
            app.setStyleSheet(style)
            app.setFont(font)


def versions() -> dict[str, str]:
    return {"python": platform.python_version(), "qt": qVersion(), "pyside6": PySide6.__version__,
            "qpa": QGuiApplication.platformName()}


def run_bench(*, runs: int = 3, procedure: str | None = None, timeout_s: float = DEFAULT_TIMEOUT_S,
              plan: JourneyPlan | None = None) -> dict[str, Any]:
    """``runs`` journeys, each on a fresh app; the report of ``kiosk.bench.journey.summarise``."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    plan = plan or JourneyPlan()
    if procedure:
        plan = dataclasses.replace(plan, procedure=procedure)
    results = [run_once(plan, timeout_s=timeout_s) for _ in range(runs)]
    report = summarise(results, procedure=plan.procedure, versions=versions())
    report["also_answered"] = list(plan.also_answer)
    report["sms"] = plan.sms
    return report
