"""``kiosk run`` paints the welcome screen first; what it can do without starts right after."""

from __future__ import annotations

import pytest

from kiosk.domain import addresses
from ui_helpers import close_window

# the connection pill's first answer refits the header: a notice the offscreen platform prints
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def deferred_window(qtbot, services, kiosk_config):
    from ui.main_window import MainWindow

    addresses._communes_by_province.cache_clear()
    addresses._folded.cache_clear()
    main = MainWindow(services, kiosk_config, narrator_engine="mock", deferred_start=True)
    main.resize(1280, 800)
    main.show()
    qtbot.waitExposed(main)  # the first frame
    try:
        yield main
    finally:
        close_window(main)


def test_the_unit_lists_load_in_the_background_once_the_window_is_up(qtbot, deferred_window, services):
    assert addresses._folded.cache_info().currsize == 0  # nothing loaded before the first frame
    with qtbot.waitSignal(deferred_window.worker.became_idle, timeout=20_000):
        services.start_devices()  # as `kiosk run` does once the first frame is painted
        deferred_window.finish_start()
    assert addresses._folded.cache_info().currsize == 1
    assert addresses._communes_by_province.cache_info().currsize == 1


def test_memory_is_handed_back_once_the_deferred_start_has_finished(qtbot, deferred_window,
                                                                    services, monkeypatch):
    import ui.main_window

    released: list[tuple[bool, bool]] = []
    monkeypatch.setattr(ui.main_window, "release_free_memory", lambda collect: released.append(
        (addresses._folded.cache_info().currsize == 1,
         deferred_window.camera_bridge is None or deferred_window.camera_bridge._scan is not None)))
    with qtbot.waitSignal(deferred_window.worker.became_idle, timeout=20_000):
        services.start_devices()
        deferred_window.finish_start()
    assert released == [(True, True)]  # once, after the unit tables and the QR decoder
