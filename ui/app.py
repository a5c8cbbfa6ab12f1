"""Start the kiosk's GUI: application, look, services, main window; close everything on exit."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSocketNotifier, QTimer
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
    handlers only between bytecodes and the event loop may be asleep in C: the signal's byte on a
    wake-up pipe wakes it (no polling timer, so an idle kiosk sleeps). The handlers stay until the
    shutdown has finished: a second signal cannot cut it short. The handler only notes the signal
    and ends the loop; "Stopping on ..." is logged once the loop has returned (``_run_window``),
    not in the handler: a signal can arrive while the main thread is inside the log file's write,
    which a log call from the handler would enter again (and lose its line to a "reentrant call"
    error)."""

    def on_signal(signum: int, _frame: object) -> None:
        received.append(signum)
        app.exit(0)

    read_fd, write_fd = os.pipe()
    for fd in (read_fd, write_fd):
        os.set_blocking(fd, False)
    previous_fd = signal.set_wakeup_fd(write_fd)
    notifier = QSocketNotifier(read_fd, QSocketNotifier.Type.Read)
    notifier.activated.connect(lambda *_: _drain(read_fd))
    previous = {sig: signal.signal(sig, on_signal) for sig in STOP_SIGNALS}
    try:
        yield received
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        signal.set_wakeup_fd(previous_fd)
        notifier.setEnabled(False)
        os.close(read_fd)
        os.close(write_fd)


def _drain(fd: int) -> None:
    with contextlib.suppress(BlockingIOError):
        while os.read(fd, 512):
            pass


class _AfterFirstFrame(QObject):
    """Runs ``then`` once the window's first paint is done, after writing the CLOCK_MONOTONIC time
    of that moment to ``report_to`` (for ``kiosk bench startup``)."""

    def __init__(self, then: Callable[[], None], report_to: str | None, parent: QObject) -> None:
        super().__init__(parent)
        self._then, self._report_to = then, report_to

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._painted)  # runs after this paint is done
        return False

    def _painted(self) -> None:
        if self._report_to:
            Path(self._report_to).write_text(f"{time.monotonic():.6f}\n", encoding="ascii")
        self._then()


def main(config: Config, *, windowed: bool = False, signals_received: list[int] | None = None,
         first_frame_file: str | None = None) -> int:
    """Run the kiosk until it is closed or signalled; 0 on a normal exit, 2 if it could not start.

    ``signals_received``: SIGINT/SIGTERM numbers caught before Qt was loaded (``kiosk run``);
    ``first_frame_file``: where to write the time of the first painted frame."""
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
        return _run_window(app, config, services, windowed, stop, first_frame_file)


def _run_window(app: QApplication, config: Config, services: Services, windowed: bool,
                stop: list[int], first_frame_file: str | None) -> int:
    from ui.main_window import MainWindow

    # read-aloud whenever a speech engine is installed; what the welcome screen can do without
    # starts once it is painted
    window = MainWindow(services, config, narrator_engine="auto", deferred_start=True)

    def finish_start() -> None:
        services.start_devices()
        window.finish_start()
        log.info("Start-up finished: devices, connection check and read aloud started")

    window.installEventFilter(_AfterFirstFrame(finish_start, first_frame_file, window))
    screen = ScreenPower(app.platformName())
    try:
        if windowed or not config.kiosk.fullscreen:
            window.resize(1280, 800)
            window.show()
        else:
            window.enter_kiosk_mode()  # frameless, full screen, refuses to close
            screen.keep_on()
        return 0 if stop else app.exec()
    finally:
        if stop:  # logged here, never in the signal handler (see _stop_on_signals)
            log.info("Stopping on %s", signal.Signals(stop[0]).name)
        quit_on_close = app.quitOnLastWindowClosed()
        app.setQuitOnLastWindowClosed(False)  # the loop has ended: closing must not quit again
        screen.restore()
        window.shutdown(timeout=SHUTDOWN_WAIT_S)
        window.close()
        QCoreApplication.removePostedEvents(app, QEvent.Quit)  # a late quit must not outlive us
        app.setQuitOnLastWindowClosed(quit_on_close)
        window.deleteLater()
        services.close()
