"""Start the kiosk's GUI: application, look, services, main window; close everything on exit."""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
from collections.abc import Iterator

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from kiosk.domain.config import Config
from ui.look import LookError, Translations, apply_theme

__all__ = ["main"]

log = logging.getLogger(__name__)

EXIT_START_FAILED = 2


def _application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setApplicationName("motcua-kiosk")
    app.setApplicationDisplayName("Một Cửa Kiosk")
    return app  # type: ignore[return-value]


def _start_failed(message: str, language: str) -> int:
    """Tell staff plainly why the kiosk cannot start, then give up with exit status 2."""
    translations = Translations(QApplication.instance())
    translations.set_language(language)
    title = QCoreApplication.translate("App", "The kiosk cannot start")
    text = QCoreApplication.translate(
        "App", "The kiosk could not start. Staff: please give this message to IT.")
    box = QMessageBox(QMessageBox.Critical, title, text + "\n\n" + message)
    box.setStandardButtons(QMessageBox.Close)
    box.exec()
    translations.close()
    return EXIT_START_FAILED


@contextlib.contextmanager
def _quit_on_signals(app: QApplication) -> Iterator[None]:
    """SIGINT/SIGTERM (Ctrl+C, systemd stop) end the event loop, so everything closes cleanly.

    Python runs signal handlers only between bytecodes, so a timer wakes the interpreter."""
    wanted = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, lambda *_: app.quit()) for sig in wanted}
    heartbeat = QTimer()
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start(250)
    try:
        yield
    finally:
        heartbeat.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def main(config: Config, *, windowed: bool = False) -> int:
    """Run the kiosk until it is closed; 0 on a normal exit, 2 if it could not start."""
    app = _application()
    try:
        apply_theme(app, config.ui.theme)
    except LookError as exc:
        log.error("%s", exc)
        return _start_failed(str(exc), config.kiosk.language)
    from kiosk.services.composition import Services

    try:
        services = Services.build(config)
    except Exception as exc:  # noqa: BLE001 - any start-up failure becomes the staff dialog
        log.error("Start-up failed: %s: %s", type(exc).__name__, exc)
        return _start_failed(f"{type(exc).__name__}: {exc}", config.kiosk.language)
    from ui.main_window import MainWindow

    # read-aloud whenever a speech engine is installed
    window = MainWindow(services, config, narrator_engine="auto")
    try:
        services.start_devices()
        if windowed or not config.kiosk.fullscreen:
            window.resize(1280, 800)
            window.show()
        else:
            window.enter_kiosk_mode()  # frameless, full screen, refuses to close
        with _quit_on_signals(app):
            return app.exec()
    finally:
        quit_on_close = app.quitOnLastWindowClosed()
        app.setQuitOnLastWindowClosed(False)  # the loop has ended: closing must not quit again
        window.shutdown()
        window.close()
        QCoreApplication.removePostedEvents(app, QEvent.Quit)  # a late quit must not outlive us
        app.setQuitOnLastWindowClosed(quit_on_close)
        window.deleteLater()
        services.close()
