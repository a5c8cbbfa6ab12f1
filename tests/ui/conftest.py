"""Fixtures for the GUI tests: real services (embedded portal, outbox, virtual reader) on tmp_path,
and a MainWindow shut down before the services close, so no thread outlives its test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.domain.config import Config
from kiosk.domain.paths import PROFILES_DIR
from ui_helpers import close_window, make_config, wait_first_check

# Importing QtTextToSpeech (ui.speech) makes QtMultimedia warn once that pipewire is missing; do it
# at collection, outside any test's Qt-message check, rather than in the first window's setup.
import ui.speech  # noqa: E402,F401


@pytest.fixture(autouse=True)
def app_look_restored(qapp):
    """`ui.app.main()` themes the whole application (style sheet and font): no test may leave its
    look to the next one, whose sizes would then depend on the order the tests ran in."""
    font, sheet = qapp.font(), qapp.styleSheet()
    yield
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


@pytest.fixture
def kiosk_config(tmp_path: Path) -> Config:
    return make_config(tmp_path)


@pytest.fixture
def services(kiosk_config: Config) -> Iterator[object]:
    from kiosk.services.composition import Services

    built = Services.build(kiosk_config)
    try:
        yield built
    finally:
        built.close()


@pytest.fixture
def window(qtbot, services, kiosk_config: Config):
    from ui.main_window import MainWindow

    main = MainWindow(services, kiosk_config, narrator_engine="mock")
    try:
        main.resize(1280, 800)
        main.show()
        services.start_devices()
        wait_first_check(qtbot, main)
        yield main
    finally:
        close_window(main)


@pytest.fixture
def profile():
    from devices.card.profiles import load_profile

    return load_profile(PROFILES_DIR / "01-tran-thi-minh-anh.toml")
