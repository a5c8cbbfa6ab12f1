"""Suite-wide rules: Qt offscreen, no stray KIOSK_* settings, and no thread may outlive its test."""

from __future__ import annotations

import os
import threading

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
for _name in [n for n in os.environ if n.startswith("KIOSK_")]:
    del os.environ[_name]


@pytest.fixture(autouse=True)
def _no_dangling_threads(request: pytest.FixtureRequest):
    """Fail a test that leaves a Python thread running (Qt's own pool threads are not Python's).

    Threads of module- or session-scoped fixtures must be named ``shared-...``.
    """
    before = set(threading.enumerate())
    yield
    leaked = []
    for thread in set(threading.enumerate()) - before:
        if thread.name.startswith("shared-"):  # owned by a module/session fixture, stopped there
            continue
        thread.join(timeout=5.0)
        if thread.is_alive():
            leaked.append(thread.name)
    if leaked:
        pytest.fail(f"test left threads running: {', '.join(sorted(leaked))}")
