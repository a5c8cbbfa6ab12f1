"""Drive the kiosk through every screen and save <out>/<theme>/<nn>-<screen>.png at 1280x800.

Every theme (normal, large text, high contrast) gets the same journey, so each screen can be
compared across themes; ``<out>/README.md`` is rewritten as a gallery (one row per screen).
Runs offscreen by default (``QT_QPA_PLATFORM=offscreen``), or under ``xvfb-run`` for a real X
server. Uses the real services (embedded portal, outbox, virtual card reader) on a temporary folder.

    .venv/bin/python -m kiosk.app.screenshots [--out docs/screenshots] [--theme normal ...]

(``make screenshots`` runs it under xvfb-run). The scenes are also the GUI tests' check that
every screen fits the kiosk's 1280x800 screen in every theme.

A picture is written only when its pixels differ from the file already there (a PNG's bytes change
with the encoder, its pixels only when the screen did), and is then optimised losslessly with
``optipng`` (Debian package), so the repository's history grows only by the screens that changed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[2]

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
    def __init__(self, window, out: Path, *, optimise: bool = False) -> None:
        self.window, self.out, self.count, self.optimise = window, out, 0, optimise
        self.names: list[str] = []
        self.overflows: list[str] = []  # shots whose screen needs more than the kiosk's 1280x800

    def __call__(self, name: str, *, settle: bool = True) -> None:
        if settle:
            spin(80)
        self.count += 1
        path = self.out / f"{self.count:02d}-{name}.png"
        self.names.append(path.name)
        need = self.window.minimumSizeHint().expandedTo(self.window.size())  # grown, or would grow
        if need.width() > SIZE[0] or need.height() > SIZE[1]:
            self.overflows.append(f"{self.out.name}/{path.name}: needs {need.width()}x{need.height()}")
        changed = save_if_changed(self.window.grab().toImage(), path, optimise=self.optimise)
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(shown if changed else f"{shown} (unchanged)")


def same_pixels(image: QImage, path: Path) -> bool:
    old = QImage(str(path)) if path.exists() else QImage()
    as_rgb = QImage.Format.Format_ARGB32
    return not old.isNull() and old.convertToFormat(as_rgb) == image.convertToFormat(as_rgb)


def save_if_changed(image: QImage, path: Path, *, optimise: bool = True) -> bool:
    """Write ``image`` as a PNG (optimised) unless ``path`` already shows exactly these pixels."""
    if same_pixels(image, path):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path), "PNG", 0):  # compression 9 (quality 0)
        raise OSError(f"could not write {path}")
    optipng = shutil.which("optipng") if optimise else None
    if optipng:
        subprocess.run([optipng, "-quiet", "-o2", "-strip", "all", str(path)], check=True,
                       timeout=120)
    elif optimise:
        print("optipng is not installed: the PNG is not optimised (apt-get install optipng)",
              file=sys.stderr)
    return True


def fill_form(window) -> None:
    form = window.screens[window.flow.step]
    values = {"phone": "0912345678", "certificate_type": "1", "copies": "2",
              "purpose": "Xin việc", "delivery": "counter"}
    for field_id, value in values.items():
        if field_id in form.rows:
            form.rows[field_id].editor.set_value(value)


def through_form(window) -> bool:
    """Press the form's primary button ("Continue" page after page, then "Check my answers")
    until the flow leaves FORM (True) or a problem is shown (False)."""
    from kiosk.domain.flow import Step

    form = window.screens[Step.FORM]
    for _ in range(30):
        form.primary_button.click()
        if window.flow.step is not Step.FORM:
            return True
        if any(row.problem.isVisible() for row in form.rows.values()):
            return False
    raise TimeoutError("the form kept asking")


def show_page_of(form, field_id: str) -> None:
    from kiosk.domain.form_pages import page_of

    form.go_to_page(page_of(form.pages, field_id))


def journey(window, services, shoot: Shooter) -> None:
    from devices.card.profiles import list_profiles
    from kiosk.domain.flow import Step

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
    from kiosk.domain.paths import ASSETS_DIR

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
    from kiosk.domain.flow import Step

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
    from kiosk.domain.flow import Step

    window.screens[Step.WELCOME].status_button.click()
    screen = window.status_screen
    screen.entry.setText(reference)
    screen.primary_button.click()
    wait_until(lambda: screen.answer is not None)
    shoot("status-" + screen.answer.kind)
    screen.back_button.click()


def fill_and_send(window, services, shoot: Shooter) -> None:
    from kiosk.domain.flow import Step
    from kiosk.portal.server import Faults

    window.flow.choose("3.000333")
    shoot("requirements")
    window.flow.read_requirements()
    shoot("form-prefilled")
    form = window.screens[Step.FORM]
    fill_form(window)
    form.rows["copies"].editor.set_value("99")
    form.primary_button.click()  # the card's details are right: "Continue"
    shoot("form-page")
    through_form(window)  # stops on the number of copies
    shoot("form-problems")
    form.rows["copies"].editor.set_value("2")
    through_form(window)
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
    from kiosk.domain.flow import Step

    services.embedded_portal.stop()
    services.card_reader.remove()
    spin(100)
    services.card_reader.insert(list_profiles(services.profiles_dir)[2])
    wait_until(lambda: window.screens[Step.IDENTIFY].showing_result)
    window.screens[Step.IDENTIFY].primary_button.click()
    window.flow.choose("3.000347")
    window.flow.read_requirements()
    form = window.screens[Step.FORM]
    from kiosk.domain import addresses

    unit = addresses.communes(addresses.provinces()[1][0])[0]
    for field_id, value in {"delivery": "post", "phone": "0987654321", "post_address": unit.answer,
                            "post_street": "Thôn Nà Giàng", "licence_number": "790123456789",
                            "licence_class": "B"}.items():
        form.rows[field_id].editor.set_value(value)
    through_form(window)
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


def _identified(window, services, profile_index: int) -> None:
    """From WELCOME with no card: a chip-identified citizen on CHOOSE."""
    from devices.card.profiles import list_profiles
    from kiosk.domain.flow import Step

    services.card_reader.remove()
    window.screens[Step.WELCOME].primary_button.click()
    services.card_reader.insert(list_profiles(services.profiles_dir)[profile_index])
    identify = window.screens[Step.IDENTIFY]
    wait_until(lambda: identify.showing_result)
    identify.primary_button.click()
    wait_until(lambda: window.flow.step is Step.CHOOSE)


def document_and_sms(window, services, shoot: Shooter) -> None:
    """Temporary residence in a rented home: the contract photographed at the kiosk, then the
    SMS opt-in on the consent screen and the receipt that repeats it."""
    from kiosk.domain import addresses
    from kiosk.domain.flow import Step
    from kiosk.domain.paths import ASSETS_DIR

    _identified(window, services, 0)
    window.flow.choose("1.004194")
    window.flow.read_requirements()
    form = window.screens[Step.FORM]
    unit = addresses.communes(addresses.provinces()[0][0])[0]
    for field_id, value in {"phone": "0912345678", "new_address": unit.answer,
                            "new_street": "12 Hàng Bài", "housing": "rented",
                            "stay_until": (dt.date.today() + dt.timedelta(days=365))
                            .strftime("%d/%m/%Y"), "delivery": "counter"}.items():
        form.rows[field_id].editor.set_value(value)
    row = form.rows["rental_contract"]
    show_page_of(form, "rental_contract")
    shoot("form-document-field")
    row.editor.take_button.click()
    services.camera.show(ASSETS_DIR / "samples" / "documents" / "page-photo.jpg")
    wait_until(lambda: (frame := window.camera_bridge.latest_frame()) is not None
               and frame.image.shape[1] == 1280)
    spin(300)
    shoot("document-camera")
    screen = window.document_screen
    screen.primary_button.click()
    wait_until(lambda: screen.state == "review")
    shoot("document-review")
    screen.primary_button.click()
    services.camera.clear()
    form.scroll.ensureWidgetVisible(row.cell)
    shoot("form-document-taken")
    through_form(window)
    wait_until(lambda: window.flow.step is Step.REVIEW)
    window.screens[Step.REVIEW].primary_button.click()
    consent = window.screens[Step.CONSENT]
    consent.sms_yes.click()
    window.keyboard_dock.dismiss()
    shoot("consent-sms")
    consent.primary_button.click()
    wait_until(lambda: window.flow.step is Step.RECEIPT)
    shoot("receipt-sms")
    window.screens[Step.RECEIPT].primary_button.click()


def card_removed(window, services, shoot: Shooter) -> None:
    """The ID card taken off the reader in the middle of an application."""
    from kiosk.domain.flow import Step

    _identified(window, services, 1)
    window.flow.choose("3.000333")
    window.flow.read_requirements()
    services.card_reader.remove()
    wait_until(lambda: window.card_guard.asking)
    shoot("card-removed-question")
    window.flow.cancel()
    wait_until(lambda: window.flow.step is Step.WELCOME)


def staff_assisting(window, services, shoot: Shooter) -> None:
    """Staff sign-in, the dashboard, and the hints strip during an assisted session."""

    services.ops.staff.add("NV001", "246810", by="ADMIN1")
    mode = window.staff_mode
    mode.open()
    mode.signin.staff_id.setText("NV001")
    shoot("staff-sign-in")
    mode.signin.pin.setText("246810")
    mode.signin.sign_in_button.click()
    wait_until(lambda: mode.dashboard.isVisible() and mode.dashboard.snapshot is not None)
    spin(300)
    shoot("staff-dashboard")
    mode.dashboard.assist_button.click()
    wait_until(lambda: not mode.dashboard.isVisible())
    _identified(window, services, 0)
    window.flow.choose("1.004194")
    shoot("staff-assisting")  # the badge and the hints pill in the header
    mode.hints.open_card()
    shoot("staff-hints-requirements")
    window.flow.read_requirements()
    shoot("staff-hints-form")
    mode.hints.close_card()
    window.flow.cancel()
    mode.sign_out()
    services.card_reader.remove()


THEMES = ("normal", "large", "contrast")


def shoot_theme(app: QApplication, theme: str, out: Path, *, optimise: bool = False) -> Shooter:
    """Every scene in ``theme`` into ``out``; ``optimise``: pass new pictures through optipng."""
    from kiosk.domain.config import load_config
    from kiosk.services.composition import Services
    from ui.look import apply_theme
    from ui.main_window import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data:
        config = load_config(env={}, overrides={"store.data_dir": data, "ui.theme": theme,
                                                "sync.submit_wait_s": 3.0, "ops.metrics_port": 0})
        apply_theme(app, config.ui.theme)
        services = Services.build(config)
        window = MainWindow(services, config)
        window.resize(*SIZE)
        window.show()
        services.start_devices()
        wait_until(lambda: window.header.indicator.status is not None)
        shoot = Shooter(window, out, optimise=optimise)
        try:
            for scene in SCENES:
                scene(window, services, shoot)
        finally:
            window.shutdown()
            window.close()
            services.close()
    for old in set(out.glob("*.png")) - {out / name for name in shoot.names}:
        old.unlink()  # a screen that no longer exists must not linger
    return shoot


SCENES = (journey, chip_warnings, document_and_sms, card_removed, staff_assisting, offline_journey)


def write_gallery(out: Path, shots: dict[str, list[str]]) -> None:
    """One row per screen, one column per theme, so a theme that breaks a screen stands out."""
    names = max(shots.values(), key=len)
    lines = ["# Screenshots", "", "Made by `make screenshots` (1280x800, Xvfb). One row per screen, "
             "one column per theme.", "", "| screen | " + " | ".join(shots) + " |",
             "|---|" + "---|" * len(shots)]
    for name in names:
        cells = [f"![{theme} {name}]({theme}/{name})" if name in files else "—"
                 for theme, files in shots.items()]
        lines.append(f"| {name.removesuffix('.png')} | " + " | ".join(cells) + " |")
    (out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--theme", nargs="+", default=list(THEMES), choices=THEMES)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    shooters = {theme: shoot_theme(app, theme, args.out / theme, optimise=True)
                for theme in args.theme}
    if set(args.theme) == set(THEMES):
        write_gallery(args.out, {theme: shot.names for theme, shot in shooters.items()})
    overflows = [line for shot in shooters.values() for line in shot.overflows]
    for line in overflows:
        print(f"does not fit the 1280x800 screen: {line}", file=sys.stderr)
    return 1 if overflows else 0


if __name__ == "__main__":
    raise SystemExit(main())
