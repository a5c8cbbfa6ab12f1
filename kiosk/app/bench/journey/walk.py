"""``kiosk bench journey``: a citizen's whole journey, driven only by taps on the real window.

The app is built as ``kiosk run`` builds it (``Services`` with the embedded reference portal, the
virtual card reader and camera, the main window), on a temporary data folder. The sample card is
placed on the virtual reader (the citizen's hand: not a touch), then every step is a simulated
tap at window coordinates (``QTest`` on the window handle, so Qt's own hit-testing picks the
widget, as with a finger): a covered or off-screen widget is never "tapped through". Typing uses
the on-screen keyboard, one tap per key; a widget outside its scroll area's view costs a tap on
the scroll bar; a keyboard in the way costs a tap on "Hide keyboard". The form asks one question
(or a small group) per page: each "Continue" between its pages is a touch.

Counted: ``touches`` (every tap), ``screens`` (distinct pages of the window's stack shown), wall
time from the card placed to the receipt shown (and from the first touch), with the time spent
waiting on the chip read and on the portal submit split out. Anything that does not happen within
the timeout raises ``JourneyStuck`` naming the step and what was awaited: never a fake pass.

    JourneyError            the benchmark could not measure
    └── JourneyStuck        the journey did not reach the receipt (timeout, refused answer)

The finger (``Driver``: taps, reach, waiting) lives in ``kiosk/app/bench/journey/driver.py``.
"""

from __future__ import annotations

import dataclasses
import os
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

import PySide6
from PySide6.QtCore import QCoreApplication, QEvent, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QWidget

from devices.card.profiles import ProfileError, load_profile
from kiosk.app.bench.journey.plan import JourneyPlan, summarise
from kiosk.domain.config import load_config
from kiosk.domain.flow import Step
from kiosk.domain.forms import visible_fields
from kiosk.domain.procedures import FieldType
from kiosk.services.composition import Services
from kiosk.app.bench.journey.driver import (DEFAULT_TIMEOUT_S, Driver, JourneyError, JourneyStuck, find_visible,
                               wait_step)
from ui.look import apply_theme
from ui.main_window import MainWindow

__all__ = ["Driver", "JourneyError", "JourneyStuck", "drive", "run_bench", "run_once",
           "versions", "walk"]


# -- the journey --------------------------------------------------------------------------------
def _identify(driver: Driver, services: Any, plan: JourneyPlan) -> None:
    window = driver.window
    identify = window.screens[Step.IDENTIFY]
    try:
        profile = load_profile(Path(services.profiles_dir) / plan.profile)
    except (OSError, ProfileError) as exc:
        raise JourneyError(f"the sample card {plan.profile!r} cannot be loaded: {exc}") from exc
    driver.start()
    if plan.read_aloud:  # the citizen who cannot read the screen turns the voice on first
        key = window.header.read_aloud
        if not key.isVisible():
            raise JourneyError("read aloud is not offered: the speech engine did not start")
        driver.tap(key, "read aloud")
        driver.wait_for(key.isChecked, "read aloud turned on")
    services.card_reader.insert(profile)  # the citizen's hand, not a touch
    timeout = float(window.config.devices.read_timeout_s) + driver.timeout_s
    driver.wait_for(lambda: window.flow.step is Step.IDENTIFY and identify.showing_result,
                    "the chip's details shown after the card was placed", timeout, device=True)
    driver.run.card_read_s = time.perf_counter() - driver.run.placed
    if identify.result.outcome == "failed":
        raise JourneyStuck("the sample card's chip could not be verified")
    driver.tap(find_visible(identify, QPushButton, "primary", "'Yes, this is me'"), "this is me")
    wait_step(driver, Step.CHOOSE, "the list of services after 'Yes, this is me'")


def _choose(driver: Driver, plan: JourneyPlan) -> None:
    screens = driver.window.screens
    tile = find_visible(screens[Step.CHOOSE], QPushButton, f"procedure-{plan.procedure}",
                 f"tile of procedure {plan.procedure}")
    driver.tap(tile, f"tile {plan.procedure}")
    wait_step(driver, Step.REQUIREMENTS, "the requirements after choosing the service")
    requirements = screens[Step.REQUIREMENTS]
    driver.tap(find_visible(requirements, QPushButton, "primary", "'Continue'"), "continue")
    wait_step(driver, Step.FORM, "the form after 'Continue'")


def _next_question(window: Any, plan: JourneyPlan) -> Any:
    """The first field of the page shown that the citizen still has to answer (required and
    empty, or one the plan also answers), reading what the form's widgets show now."""
    form = window.screens[Step.FORM]
    shown = {}
    for field in window.flow.procedure.fields:
        editor = form.findChild(QWidget, f"field-{field.id}")
        shown[field.id] = editor.value() if editor is not None else ""
    page = form.current_page
    on_page = set(page.field_ids) if page is not None else set()
    for field in visible_fields(window.flow.procedure, shown):
        if field.id not in on_page:
            continue
        wanted = plan.answers.get(field.id)
        if not shown[field.id].strip() and field.required:
            if wanted is None:
                raise JourneyStuck(f"the form requires {field.id!r} ({field.type.value}), which "
                                   "the scripted citizen has no answer for")
            return field, wanted
        if field.id in plan.also_answer and wanted is not None and shown[field.id] != wanted:
            return field, wanted
    return None


def _answer(driver: Driver, form: Any, field: Any, wanted: str) -> None:
    editor = find_visible(form, QWidget, f"field-{field.id}", f"field {field.id}")
    if field.type in (FieldType.CHOICE, FieldType.YESNO):
        driver.tap(find_visible(editor, QPushButton, f"choice-{field.id}-{wanted}",
                         f"choice {wanted}"), f"{field.id}={wanted}")
    elif field.type in (FieldType.ADDRESS, FieldType.ATTACHMENT):
        raise JourneyStuck(f"the scripted citizen cannot answer {field.id!r} "
                           f"({field.type.value}) yet")
    else:
        line = editor.findChild(QLineEdit)
        if line.text():
            raise JourneyStuck(f"{field.id!r} holds text the plan would have to delete")
        driver.type_text(line, wanted, f"field {field.id}")


def _problems_shown(form: Any) -> list[str]:
    return [w.objectName().removeprefix("problem-") for w in form.findChildren(QWidget)
            if w.objectName().startswith("problem-") and w.isVisible()]


def _fill_page(driver: Driver, plan: JourneyPlan) -> None:
    """Answer what the page shown asks (a follow-up may appear on it as the answers go in)."""
    window = driver.window
    form = window.screens[Step.FORM]
    for _ in range(len(window.flow.procedure.fields) + 1):
        question = _next_question(window, plan)
        if question is None:
            return
        _answer(driver, form, *question)
    raise JourneyStuck("the form kept asking: an answer did not stick")


def _fill_form(driver: Driver, plan: JourneyPlan) -> None:
    """Page by page: answer, then "Continue" (a counted touch), and on the last page "Check my
    answers"."""
    window = driver.window
    form = window.screens[Step.FORM]
    for _ in range(len(window.flow.procedure.fields) + 1):
        _fill_page(driver, plan)
        if form.on_last_page:
            break
        before = form.page_index
        driver.tap(find_visible(form, QPushButton, "primary", "'Continue'"), "next page")
        def turned(before: int = before) -> bool:
            return form.page_index != before or bool(_problems_shown(form))

        driver.wait_for(turned, "the next page of the form after 'Continue'", 5.0)
        if form.page_index == before:
            raise JourneyStuck(f"stuck on {driver.page_name()}: the form refused the answers; "
                               f"problems at {_problems_shown(form)}")
    else:
        raise JourneyStuck("the form kept showing pages")
    driver.tap(find_visible(form, QPushButton, "primary", "'Check my answers'"), "check answers")
    try:
        wait_step(driver, Step.REVIEW, "the review after 'Check my answers'", 5.0)
    except JourneyStuck:
        if window.flow.step is not Step.FORM:
            raise
        raise JourneyStuck(f"stuck on {driver.page_name()}: the form refused the answers; "
                           f"problems at {_problems_shown(form)}") from None


def _ask_for_sms(driver: Driver, consent: Any, phone: str) -> None:
    """"Yes, send me an SMS", then the number, unless the form's number is already offered."""
    driver.tap(find_visible(consent, QPushButton, "sms-yes", "'Yes, send me an SMS'"), "sms yes")
    field = find_visible(consent, QLineEdit, "sms-phone", "SMS phone number")
    if not field.text():
        driver.type_text(field, phone, "sms phone")


def _send(driver: Driver, plan: JourneyPlan) -> None:
    window = driver.window
    review = window.screens[Step.REVIEW]
    driver.tap(find_visible(review, QPushButton, "primary", "'Continue'"), "continue to consent")
    wait_step(driver, Step.CONSENT, "the consent question after 'Continue'")
    consent = window.screens[Step.CONSENT]
    if plan.sms:
        _ask_for_sms(driver, consent, plan.answers.get("phone", ""))
    driver.tap(find_visible(consent, QPushButton, "primary", "'I agree, send'"), "agree")
    asked = time.perf_counter()
    timeout = float(window.config.sync.submit_wait_s) + driver.timeout_s
    wait_step(driver, Step.RECEIPT, "the receipt after agreeing", timeout, device=True)
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
    spoken: list[str] = []
    window.narrator.said.connect(spoken.append)
    try:
        walk(driver, services, plan)
    finally:
        window.narrator.said.disconnect(spoken.append)
        driver.close()
    result = driver.run.as_dict()
    receipt = window.flow.receipt
    result["receipt"] = None if receipt is None else receipt.status.value
    result["sms_requested"] = getattr(window.flow, "sms_phone", None) is not None  # not the number
    result["spoken"] = len(spoken)  # what read aloud said (screens, choices, the receipt): a count
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
                       "the first portal health check", device=True)
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
            # read aloud needs an engine: Qt's silent "mock" one (no sound, same path through the UI)
            window = MainWindow(services, config,
                                narrator_engine="mock" if plan.read_aloud else None)
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
    """``runs`` journeys, each on a fresh app; the report of ``kiosk.app.bench.journey.plan.summarise``."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    plan = plan or JourneyPlan()
    if procedure:
        plan = dataclasses.replace(plan, procedure=procedure)
    results = [run_once(plan, timeout_s=timeout_s) for _ in range(runs)]
    report = summarise(results, procedure=plan.procedure, versions=versions())
    report["also_answered"] = list(plan.also_answer)
    report["sms"] = plan.sms
    report["read_aloud"] = plan.read_aloud
    report["spoken_per_run"] = [r["spoken"] for r in results]
    return report
