"""Suite-wide rules: Qt offscreen, no stray KIOSK_* settings, no thread may outlive its test, and
what lets the suite run in parallel (pytest-xdist): each worker gets its own data, cache and config
folders, and every test that uses the machine's pcscd and its two vpcd ports is marked ``pcsc`` and
put in one xdist group, so those tests run one after another on a single worker."""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests judge behaviour, never speed: a loaded machine (CI, a parallel run) must not fail
# them with DeadlineExceeded or a too-slow health check.
settings.register_profile("kiosk", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("kiosk")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
for _name in [n for n in os.environ if n.startswith("KIOSK_")]:
    del os.environ[_name]

#: fixtures that reach the shared pcscd (and the fixed vpcd ports behind it)
PCSC_FIXTURES = frozenset({"pcsc_service", "virtual_reader", "vpcd_port"})


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "xdist_group(name): run with the other tests of this group")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:  # platformdirs' folders, private to this worker (tests pass their own folders anyway)
        root = Path(tempfile.gettempdir()) / f"motcua-tests-{os.getpid()}-{worker}"
        for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
            folder = root / name.lower()
            folder.mkdir(parents=True, exist_ok=True)
            os.environ[name] = str(folder)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's worker reads the xdist_group marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        params = getattr(getattr(item, "callspec", None), "params", {})
        if fixtures & PCSC_FIXTURES or params.get("card_harness") == "pcsc":
            item.add_marker(pytest.mark.pcsc)
            item.add_marker(pytest.mark.xdist_group("pcsc"))
    items[:] = long_first(items)


def long_first(items: list[pytest.Item]) -> list[pytest.Item]:
    """The long runs first (``slow`` tests, the ``pcsc`` group that one worker runs alone), then
    the rest in their usual order: workers handed the short tests last finish together, instead of
    one worker starting a half-minute campaign when the other has nothing left to do."""
    def rank(item: pytest.Item) -> int:
        return 0 if item.get_closest_marker("slow") or item.get_closest_marker("pcsc") else 1

    return sorted(items, key=rank)  # stable: each part keeps its order


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
