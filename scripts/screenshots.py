#!/usr/bin/env python3
"""Drive the kiosk through every screen and save docs/screenshots/<nn>-<screen>.png at 1280x800.

Runs offscreen by default (``QT_QPA_PLATFORM=offscreen``), or under ``xvfb-run`` for a real X
server. Uses the real services (embedded portal, outbox, virtual card reader) on a temporary folder.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--theme normal]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

SIZE = (1280, 800)


def spin(ms: int = 50) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the kiosk did not reach the expected state")
        spin(30)


class Shooter:
    def __init__(self, window, out: Path) -> None:
        self.window, self.out, self.count = window, out, 0

    def __call__(self, name: str, *, settle: bool = True) -> None:
        if settle:
            spin(80)
        self.count += 1
        path = self.out / f"{self.count:02d}-{name}.png"
        self.window.grab().save(str(path))
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def fill_form(window) -> None:
    form = window.screens[window.flow.step]
    values = {"phone": "0912345678", "certificate_type": "1", "copies": "2",
              "purpose": "Xin việc", "delivery": "counter"}
    for field_id, value in values.items():
        if field_id in form.rows:
            form.rows[field_id].editor.set_value(value)


def journey(window, services, shoot: Shooter) -> None:
    from devices.card.profiles import list_profiles
    from kiosk.flow import Step

    shoot("welcome")
    window.screens[Step.WELCOME].primary_button.click()
    shoot("identify")
    identify = window.screens[Step.IDENTIFY]
    for digit in "07919501":
        identify.keypad.digit_buttons[digit].click()
    shoot("identify-typing")
    identify.id_entry.clear()
    scan_view(window, services, shoot)
    services.card_reader.insert(list_profiles(services.profiles_dir)[0])
    wait_until(lambda: identify.card_progress.value() > 30 or identify.showing_result)
    if not identify.showing_result:
        shoot("identify-reading", settle=False)
    wait_until(lambda: identify.showing_result)
    shoot("identify-chip-verified")
    identify.primary_button.click()
    wait_until(lambda: window.flow.step is Step.CHOOSE)
    shoot("choose")
    window.screens[Step.CHOOSE].search.setText("ly lich")
    shoot("choose-search")
    window.screens[Step.CHOOSE].search.clear()
    fill_and_send(window, services, shoot)


def scan_view(window, services, shoot: Shooter) -> None:
    """The scan view: live preview and hint, then the card's QR read and highlighted."""
    from devices.card.profiles import list_profiles
    from kiosk.paths import ASSETS_DIR

    window.scan_result_delay_ms = 2500
    window.open_scan("identity")
    preview = window.scan_screen.preview
    wait_until(lambda: preview.frames_shown > 0)
    shoot("scan-view")
    profile = list_profiles(services.profiles_dir)[1]
    services.camera.show(ASSETS_DIR / "samples" / "qr" / f"{profile.id_number}.png")
    wait_until(lambda: preview.found)
    spin(200)
    shoot("scan-view-read")
    services.camera.clear()
    window.close_scan()
    window.scan_result_delay_ms = 700


def chip_warnings(window, services, shoot: Shooter) -> None:
    """A forged chip (failed) and a reader that needs the ID number first."""
    from devices.card.chip.builder import chip_from_profile
    from devices.card.lds.build_chip_files import Forgery
    from devices.card.profiles import list_profiles
    from kiosk.flow import Step

    profile = list_profiles(services.profiles_dir)[1]
    services.card_reader.remove()
    spin(100)
    services.card_reader.insert(profile, chip=chip_from_profile(profile,
                                                                forgery=Forgery.BAD_SIGNATURE))
    identify = window.screens[Step.IDENTIFY]
    wait_until(lambda: identify.showing_result)
    shoot("identify-chip-failed")
    window.flow.cancel()
    services.card_reader.remove()
    services.card_reader.access = "required"
    window.screens[Step.WELCOME].primary_button.click()
    services.card_reader.insert(profile)
    wait_until(lambda: window.card_bridge.key_needed)
    shoot("identify-key-required")
    services.card_reader.access = "profile"
    services.card_reader.remove()
    window.flow.cancel()


def status_lookup(window, services, shoot: Shooter, reference: str) -> None:
    from kiosk.flow import Step

    window.screens[Step.WELCOME].status_button.click()
    screen = window.status_screen
    screen.entry.setText(reference)
    screen.primary_button.click()
    wait_until(lambda: screen.answer is not None)
    shoot("status-" + screen.answer.kind)
    screen.back_button.click()


def fill_and_send(window, services, shoot: Shooter) -> None:
    from kiosk.flow import Step
    from kiosk.portal.server import Faults

    window.flow.choose("2.001417")
    shoot("requirements")
    window.flow.read_requirements()
    shoot("form-prefilled")
    form = window.screens[Step.FORM]
    form.rows["copies"].editor.set_value("99")
    form.primary_button.click()
    shoot("form-problems")
    fill_form(window)
    form.primary_button.click()
    shoot("review")
    window.set_language("en")
    shoot("review-english")
    window.set_language("vi")
    services.embedded_portal.faults = Faults(latency_ms=1500)  # a slow portal, to see the busy screen
    window.screens[Step.REVIEW].primary_button.click()
    shoot("consent")
    window.screens[Step.CONSENT].primary_button.click()
    shoot("submitting")
    wait_until(lambda: window.flow.step is Step.RECEIPT)
    services.embedded_portal.faults = Faults()
    wait_until(lambda: window.header.indicator.status is not None)
    shoot("receipt-sent")
    code = window.screens[Step.RECEIPT].code.text()
    window.screens[Step.RECEIPT].primary_button.click()
    status_lookup(window, services, shoot, code)


def offline_journey(window, services, shoot: Shooter) -> None:
    from devices.card.profiles import list_profiles
    from kiosk.flow import Step

    services.embedded_portal.stop()
    services.card_reader.remove()
    spin(100)
    services.card_reader.insert(list_profiles(services.profiles_dir)[2])
    wait_until(lambda: window.screens[Step.IDENTIFY].showing_result)
    window.screens[Step.IDENTIFY].primary_button.click()
    window.flow.choose("1.002809")
    window.flow.read_requirements()
    form = window.screens[Step.FORM]
    for field_id, value in {"phone": "0987654321", "licence_number": "790123456789",
                            "licence_class": "B", "delivery": "post"}.items():
        form.rows[field_id].editor.set_value(value)
    form.primary_button.click()
    window.screens[Step.REVIEW].cancel_button.click()
    shoot("cancel-confirm")
    window.overlay.no_button.click()
    window.screens[Step.REVIEW].primary_button.click()
    window.screens[Step.CONSENT].primary_button.click()
    wait_until(lambda: window.flow.step is Step.RECEIPT)
    window.monitor.refresh()
    wait_until(lambda: window.header.indicator.status is not None
               and not window.header.indicator.status.reachable)
    shoot("receipt-queued")
    reference = window.screens[Step.RECEIPT].code.text()
    window.screens[Step.RECEIPT].primary_button.click()
    shoot("welcome-offline")
    status_lookup(window, services, shoot, reference)


def other_themes(window, services, shoot: Shooter) -> None:
    """The high-contrast and large themes on two busy screens."""
    from devices.card.profiles import list_profiles
    from kiosk.flow import Step
    from ui.look import apply_theme

    app = QApplication.instance()
    services.card_reader.remove()
    spin(100)
    services.card_reader.insert(list_profiles(services.profiles_dir)[3])
    wait_until(lambda: window.screens[Step.IDENTIFY].showing_result)
    for theme in ("contrast", "large"):
        apply_theme(app, theme)
        shoot(f"identify-chip-{theme}")
    window.screens[Step.IDENTIFY].primary_button.click()
    for theme in ("contrast", "large"):
        apply_theme(app, theme)
        shoot(f"choose-{theme}")
    window.flow.choose("1.001193")
    window.flow.read_requirements()
    for theme in ("contrast", "large"):
        apply_theme(app, theme)
        shoot(f"form-{theme}")
    window.flow.cancel()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--theme", default="normal", choices=("normal", "large", "contrast"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from kiosk.config import load_config
    from kiosk.services import Services
    from ui.look import apply_theme
    from ui.main_window import MainWindow

    with tempfile.TemporaryDirectory() as data:
        config = load_config(env={}, overrides={"store.data_dir": data, "ui.theme": args.theme,
                                                "sync.submit_wait_s": 3.0, "ops.metrics_port": 0})
        apply_theme(app, config.ui.theme)
        services = Services.build(config)
        window = MainWindow(services, config)
        window.resize(*SIZE)
        window.show()
        services.start_devices()
        wait_until(lambda: window.header.indicator.status is not None)
        try:
            shoot = Shooter(window, args.out)
            journey(window, services, shoot)
            chip_warnings(window, services, shoot)
            offline_journey(window, services, shoot)
            other_themes(window, services, shoot)
        finally:
            window.shutdown()
            window.close()
            services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
