"""Helpers shared by the GUI tests."""

from __future__ import annotations

import sys
import threading
import traceback
from pathlib import Path

from kiosk.domain.config import Config, load_config
from kiosk.domain.flow import Step


def make_config(data_dir: Path, **overrides: object) -> Config:
    values: dict[str, object] = {
        "store.data_dir": str(data_dir),
        "sync.submit_wait_s": 8.0,
        "sync.idle_interval_s": 0.5,
        "sync.backoff_base_s": 0.05,
        "sync.backoff_cap_s": 0.2,
        "portal.connect_timeout_s": 1.0,
        "portal.read_timeout_s": 5.0,
        "portal.health_interval_s": 30.0,
        "ops.metrics_port": 0,  # any free port: never collide with a kiosk or another test run
    }
    values.update(overrides)
    return load_config(env={}, overrides=values)


def wait_first_check(qtbot, main, timeout_ms: int = 20_000) -> None:
    """Wait for the window's first connection check; if it does not come, fail with where each
    thread of the process is (the check's own thread is named "health"). The check itself may
    take 11 s on a loaded machine and still be right: a connect of 1 s and a read of 5 s
    (``make_config``), then the outbox's count, which waits up to 5 s for a busy database."""
    from pytestqt.exceptions import TimeoutError as WaitTimeout

    try:
        qtbot.waitUntil(lambda: main.header.indicator.status is not None, timeout=timeout_ms)
    except WaitTimeout:
        frames = sys._current_frames()
        stacks = [f"{thread.name}:\n{''.join(traceback.format_stack(frames[thread.ident])[-5:])}"
                  for thread in threading.enumerate() if thread.ident in frames]
        raise AssertionError(f"no connection check within {timeout_ms} ms; the threads:\n"
                             + "\n".join(stacks)) from None


def close_window(main) -> None:
    """Stop the window's timers, listeners and jobs, then close it (before its services close:
    no thread outlives the test)."""
    main.shutdown()
    main.close()
    main.deleteLater()


def wait_step(qtbot, window, step: Step, timeout: int = 15_000) -> None:
    qtbot.waitUntil(lambda: window.flow.step is step, timeout=timeout)


def visible_texts(widget) -> list[str]:
    """Every text any label, line edit or button under ``widget`` holds (shown or not)."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit

    texts = []
    for kind in (QLabel, QLineEdit, QAbstractButton):
        texts += [child.text() for child in widget.findChildren(kind)]
    return texts


def wait_chip_result(qtbot, window, timeout: int = 15_000):
    """Wait until the identify screen shows what the chip said; returns the screen."""
    identify = window.screens[Step.IDENTIFY]
    qtbot.waitUntil(lambda: identify.showing_result, timeout=timeout)
    return identify


def confirm_chip_result(qtbot, window, timeout: int = 15_000) -> None:
    """The citizen checks the chip's details and presses "Yes, this is me"."""
    from PySide6.QtCore import Qt

    identify = wait_chip_result(qtbot, window, timeout)
    qtbot.mouseClick(identify.primary_button, Qt.LeftButton)
    wait_step(qtbot, window, Step.CHOOSE, timeout)


def form_problem_shown(form) -> bool:
    """A problem label of the form is on screen (the citizen is asked to fix something)."""
    return any(row.problem.isVisible() for row in form.rows.values())


def finish_form(qtbot, window, max_pages: int = 20) -> bool:
    """Press the form's primary button ("Continue", then "Check my answers" on the last page)
    until the flow leaves FORM or a problem is shown; returns whether it left FORM."""
    from PySide6.QtCore import Qt

    form = window.screens[Step.FORM]
    for _ in range(max_pages):
        if window.flow.step is not Step.FORM:
            return True
        qtbot.mouseClick(form.primary_button, Qt.LeftButton)
        if window.flow.step is not Step.FORM:
            return True
        if form_problem_shown(form):
            return False
    raise AssertionError(f"the form was still asking after {max_pages} presses")


def show_page_of(form, field_id: str) -> None:
    """Put the form on the page that asks ``field_id`` (as Back and Continue would)."""
    from kiosk.domain.form_pages import page_of

    form.go_to_page(page_of(form.pages, field_id))
