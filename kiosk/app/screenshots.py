"""Drive the kiosk through every screen and save <out>/<look>/<nn>-<screen>.png at 1280x800.

Every look (three text sizes, each in normal and high contrast) gets the same journey, on one
window per look, so each screen can be compared across looks; ``<out>/README.md`` is rewritten as
a gallery (one row per screen). Each screen is also checked in Vietnamese and English: text that
does not fit its room (``ui.fit``), a window that needs more than the kiosk's 1280x800, or English
left on a Vietnamese screen is listed and fails the run. Runs offscreen by default
(``QT_QPA_PLATFORM=offscreen``), or under ``xvfb-run`` for a real X server. Uses the real services
(embedded portal, outbox, virtual card reader) on a temporary folder.

    .venv/bin/python -m kiosk.app.screenshots [--out docs/screenshots] [--look normal large ...]

(``make screenshots`` runs it under xvfb-run). The scenes are also the GUI tests' check that
every screen fits (tests/ui/test_screens_fit.py).

A screenshot keeps the 256 colours it uses most (flat colours and text: nothing you can see is
lost) and is written only when its pixels differ from the file already there (a PNG's bytes change
with the encoder, its pixels only when the screen did), then optimised losslessly with ``optipng``
(Debian package), so the repository's history grows only by the screens that changed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer
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


#: English that stays English on a Vietnamese screen: loanwords (docs/vietnamese-style.md), the key
#: that switches to English, the demo strip (the tester's, not the citizen's) and device names
LOANWORDS = frozenset({"sms", "qr", "pin", "vietqr", "telex", "vni", "usb", "pdf", "camera"})
ENGLISH_ALLOWED_IN = ("language-en", "demo-panel", "dashboard-reader", "dashboard-scanner")


def _words(text: str | None) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]+", text or "")}


def english_vocabulary() -> frozenset[str]:
    """Words only English uses here: the words of the UI's English sources and the procedures'
    English texts, less every word the Vietnamese copy uses (Vietnamese has "in", "to", "do")."""
    import json
    import xml.etree.ElementTree as ET

    from kiosk.domain.paths import PROCEDURES_DIR, TRANSLATIONS_DIR

    english, vietnamese = set(), set()
    for message in ET.parse(TRANSLATIONS_DIR / "motcua_vi.ts").getroot().iter("message"):
        english |= _words(message.findtext("source"))
        vietnamese |= _words(message.findtext("translation"))

    def walk(node) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("en"), str) and isinstance(node.get("vi"), str):
                english.update(_words(node["en"]))
                vietnamese.update(_words(node["vi"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in PROCEDURES_DIR.glob("*.json"):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return frozenset(w for w in english - vietnamese - LOANWORDS if len(w) >= 3 and w.isascii())


def english_left(window, english: frozenset[str]) -> list[str]:
    """Visible text of ``window`` with a word only English uses (on a Vietnamese screen: a bug)."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit

    found = []
    for kind in (QLabel, QAbstractButton, QLineEdit):
        for widget in window.findChildren(kind):
            if not widget.isVisible() or _allowed_english(widget, window):
                continue
            texts = [widget.text()] + ([widget.placeholderText()] if kind is QLineEdit else [])
            for text in texts:
                if _words(text) & english:
                    found.append(f"{widget.objectName() or type(widget).__name__} {text[:60]!r}")
    return found


def _allowed_english(widget, window) -> bool:
    while widget is not None and widget is not window:
        if widget.objectName() in ENGLISH_ALLOWED_IN:
            return True
        widget = widget.parentWidget()
    return False


def compact(image: QImage) -> QImage:
    """The screenshot in the 256 colours it uses most (a screen of flat colours and text loses
    nothing you can see; a photo on it loses a little): the PNGs live in the repository."""
    import numpy as np

    image = image.convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(image.constBits(), dtype=np.uint32, count=image.width() * image.height())
    colours, counts = np.unique(pixels, return_counts=True)
    table = [int(c) for c in colours[np.argsort(counts)[::-1][:256]]]
    return image.convertToFormat(QImage.Format.Format_Indexed8, table,
                                 Qt.ImageConversionFlag.ThresholdDither
                                 | Qt.ImageConversionFlag.AvoidDither)


class Shooter:
    """Takes each shot: checks the screen fits in every language asked for, and that nothing
    English is left on it in Vietnamese, then saves it (in the language it was shown in) unless
    ``save`` is off (the fit test only checks)."""

    english: frozenset[str] | None = None  # the vocabulary, built once

    def __init__(self, window, out: Path, *, languages: tuple[str, ...] = ("vi", "en"),
                 save: bool = True, optimise: bool = False) -> None:
        self.window, self.out, self.count, self.optimise = window, out, 0, optimise
        self.languages, self.save = languages, save
        self.names: list[str] = []
        self.overflows: list[str] = []  # what does not fit, one line per widget and language
        self.untranslated: list[str] = []  # English on a Vietnamese screen, one line per widget
        if Shooter.english is None:
            Shooter.english = english_vocabulary()

    def __call__(self, name: str, *, settle: bool = True) -> None:
        if settle:  # queued signals and zero-time timers run; a saved shot also lets paint settle
            spin(80 if self.save else 20)
        self.count += 1
        path = self.out / f"{self.count:02d}-{name}.png"
        self.names.append(path.name)
        shown = self.window.language
        if self.save:
            changed = save_if_changed(compact(self.window.grab().toImage()), path,
                                      optimise=self.optimise)
            where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            print(where if changed else f"{where} (unchanged)")
        for language in (shown, *(lang for lang in self.languages if lang != shown)):
            if language != self.window.language:
                self.window.set_language(language)
                spin(1)
            self._check(f"{self.out.name}/{path.name} [{language}]")
        if self.window.language != shown:
            self.window.set_language(shown)
            spin(1)

    def _check(self, where: str) -> None:
        from ui.fit import clipped_widgets, settle_layout

        settle_layout(self.window)  # nested layouts settle over a few passes after the words changed
        need = self.window.minimumSizeHint().expandedTo(self.window.size())  # grown, or would grow
        if need.width() > SIZE[0] or need.height() > SIZE[1]:
            self.overflows.append(f"{where}: the window needs {need.width()}x{need.height()}")
        self.overflows += [f"{where}: {problem}" for problem in clipped_widgets(self.window)]
        if self.window.language == "vi":
            self.untranslated += [f"{where}: {text}"
                                  for text in english_left(self.window, Shooter.english or frozenset())]


def same_pixels(image: QImage, path: Path) -> bool:
    old = QImage(str(path)) if path.exists() else QImage()
    as_rgb = QImage.Format.Format_ARGB32
    return not old.isNull() and old.convertToFormat(as_rgb) == image.convertToFormat(as_rgb)


def save_if_changed(image: QImage, path: Path, *, optimise: bool = True) -> bool:
    """Write ``image`` as a PNG (optimised) unless ``path`` already shows exactly these pixels."""
    if same_pixels(image, path):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path), "PNG", 0):  # type: ignore[call-overload]  # compression 9 (quality 0)
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
    search = window.screens[Step.CHOOSE].search
    window.activateWindow()
    search.setFocus()  # the on-screen keyboard comes up: the results stay in sight above it
    wait_until(lambda: window.keyboard_dock.isVisible())
    search.setText("ly lich")
    shoot("choose-search")
    window.keyboard_dock.dismiss()
    search.clear()
    fill_and_send(window, services, shoot)


def scan_view(window, services, shoot: Shooter) -> None:
    """The scan view: live preview and hint, then the card's QR read and highlighted."""
    from devices.card.profiles import list_profiles
    from kiosk.domain.paths import ASSETS_DIR

    window.scan_result_delay_ms = 600_000  # the read code stays shown while the shot is checked
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
    held = threading.Event()  # the portal holds the dossier until shot: the busy screen is seen
    services.embedded_portal.faults = Faults(hold=held)
    window.screens[Step.REVIEW].primary_button.click()
    shoot("consent")
    window.screens[Step.CONSENT].primary_button.click()
    shoot("submitting")
    held.set()
    wait_until(lambda: window.flow.step is Step.RECEIPT)
    services.embedded_portal.faults = Faults()
    wait_until(lambda: window.header.indicator.status is not None)
    shoot("receipt-sent")
    code = window.screens[Step.RECEIPT].code.text()
    window.screens[Step.RECEIPT].primary_button.click()  # "Done", the card still on the reader
    wait_until(lambda: window.card_guard.take_card.isVisible())
    shoot("take-card")
    services.card_reader.remove()  # then "Are you satisfied?"
    wait_until(lambda: window.rating.isVisible() and not window.card_guard.take_card.isVisible())
    shoot("rating")
    window.rating.skip_button.click()
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
    window.header.call_staff.click()  # a citizen calls for help: the key says so
    shoot("call-staff")
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


def shoot_look(app: QApplication, look, out: Path, *, languages: tuple[str, ...] = ("vi", "en"),
               save: bool = True, optimise: bool = False) -> Shooter:
    """Every scene in ``look`` on one window (built once, reused scene after scene), into ``out``
    unless ``save`` is off; ``optimise``: pass new pictures through optipng."""
    from kiosk.domain.config import load_config
    from kiosk.services.composition import Services
    from ui.look import apply_look
    from ui.main_window import MainWindow

    if save:
        out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data:
        config = load_config(env={}, overrides={"store.data_dir": data,
                                                "sync.submit_wait_s": 3.0, "ops.metrics_port": 0})
        apply_look(app, look)
        services = Services.build(config)
        window = MainWindow(services, config, look=look)
        window.resize(*SIZE)
        window.show()
        services.start_devices()
        wait_until(lambda: window.header.indicator.status is not None)
        shoot = Shooter(window, out, languages=languages, save=save, optimise=optimise)
        try:
            for scene in SCENES:
                scene(window, services, shoot)
        finally:
            window.shutdown()
            window.close()
            services.close()
    if save:
        for old in set(out.glob("*.png")) - {out / name for name in shoot.names}:
            old.unlink()  # a screen that no longer exists must not linger
    return shoot


SCENES = (journey, chip_warnings, document_and_sms, card_removed, staff_assisting, offline_journey)


def write_gallery(out: Path, shots: dict[str, list[str]]) -> None:
    """One row per screen, one column per look, so a look that breaks a screen stands out."""
    names = max(shots.values(), key=len)
    lines = ["# Screenshots", "", "Made by `make screenshots` (1280x800, Xvfb). One row per screen, "
             "one column per look: three text sizes, in normal and high contrast.", "",
             "| screen | " + " | ".join(shots) + " |", "|---|" + "---|" * len(shots)]
    for name in names:
        cells = [f"![{look} {name}]({look}/{name})" if name in files else "—"
                 for look, files in shots.items()]
        lines.append(f"| {name.removesuffix('.png')} | " + " | ".join(cells) + " |")
    (out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    from ui.look import LOOKS

    looks = {look.name: look for look in LOOKS}
    parser.add_argument("--look", nargs="+", default=list(looks), choices=list(looks))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    shooters = {name: shoot_look(app, looks[name], args.out / name, optimise=True)
                for name in args.look}
    if set(args.look) == set(looks):
        for stale in args.out.iterdir():  # folders of looks that no longer exist
            if stale.is_dir() and stale.name not in looks:
                shutil.rmtree(stale)
        write_gallery(args.out, {name: shot.names for name, shot in shooters.items()})
    overflows = [line for shot in shooters.values() for line in shot.overflows]
    for line in overflows:
        print(f"does not fit: {line}", file=sys.stderr)
    untranslated = [line for shot in shooters.values() for line in shot.untranslated]
    for line in untranslated:
        print(f"English on a Vietnamese screen: {line}", file=sys.stderr)
    return 1 if overflows or untranslated else 0


if __name__ == "__main__":
    raise SystemExit(main())
