"""Start the kiosk's GUI: application, look, services, main window; close everything on exit."""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from kiosk.domain.config import Config
from ui.look import LookError, Translations, apply_theme
from ui.screen_power import ScreenPower

if TYPE_CHECKING:
    from kiosk.services.composition import Services

__all__ = ["main"]

log = logging.getLogger(__name__)

EXIT_START_FAILED = 2
#: The longest the window waits for a running background job at exit; with the sync thread's own
#: limit the kiosk is gone within 5 s of SIGTERM (systemd then need not SIGKILL it).
SHUTDOWN_WAIT_S = 2.0


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


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def _stop_on_signals(app: QApplication, received: list[int]) -> Iterator[list[int]]:
    """SIGINT/SIGTERM (Ctrl+C, ``systemctl stop``) end the event loop at once, in every mode.

    ``exit()``, not ``quit()``: quit asks the windows to close first, and a locked kiosk window
    refuses. A signal that came before the loop runs (``received``, also filled by the command
    line's handler while Qt was loading) means the loop is never entered. Python runs signal
    handlers only between bytecodes, so a timer wakes the interpreter while Qt waits. The handlers
    stay until the shutdown has finished: a second signal cannot cut it short."""

    def on_signal(signum: int, _frame: object) -> None:
        if not received:
            log.info("Stopping on %s", signal.Signals(signum).name)
        received.append(signum)
        app.exit(0)

    previous = {sig: signal.signal(sig, on_signal) for sig in STOP_SIGNALS}
    heartbeat = QTimer()
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start(100)
    try:
        yield received
    finally:
        heartbeat.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def main(config: Config, *, windowed: bool = False, signals_received: list[int] | None = None) -> int:
    """Run the kiosk until it is closed or signalled; 0 on a normal exit, 2 if it could not start.

    ``signals_received``: SIGINT/SIGTERM numbers caught before Qt was loaded (``kiosk run``)."""
    app = _application()
    with _stop_on_signals(app, [] if signals_received is None else signals_received) as stop:
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
        return _run_window(app, config, services, windowed, stop)


def _run_window(app: QApplication, config: Config, services: Services, windowed: bool,
                stop: list[int]) -> int:
    from ui.main_window import MainWindow

    # read-aloud whenever a speech engine is installed
    window = MainWindow(services, config, narrator_engine="auto")
    screen = ScreenPower(app.platformName())
    try:
        services.start_devices()
        if windowed or not config.kiosk.fullscreen:
            window.resize(1280, 800)
            window.show()
        else:
            window.enter_kiosk_mode()  # frameless, full screen, refuses to close
            screen.keep_on()
        return 0 if stop else app.exec()
    finally:
        quit_on_close = app.quitOnLastWindowClosed()
        app.setQuitOnLastWindowClosed(False)  # the loop has ended: closing must not quit again
        screen.restore()
        window.shutdown(timeout=SHUTDOWN_WAIT_S)
        window.close()
        QCoreApplication.removePostedEvents(app, QEvent.Quit)  # a late quit must not outlive us
        app.setQuitOnLastWindowClosed(quit_on_close)
        window.deleteLater()
        services.close()
