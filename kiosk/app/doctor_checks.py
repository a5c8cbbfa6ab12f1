"""The checks of `kiosk doctor`, one small function each (see kiosk.app.doctor)."""

from __future__ import annotations

from typing import Any

import importlib.metadata as metadata
import os
import re
import shutil
import sys
from datetime import datetime

from kiosk.app.doctor import CheckResult, DoctorContext, Status, probe

PASS, WARN, FAIL = Status.PASS, Status.WARN, Status.FAIL
DIST = "motcua-kiosk"

_QT_PROBE = """
import json, os
from PySide6 import QtCore
from PySide6.QtGui import QGuiApplication
app = QGuiApplication([])
out = {"qt": QtCore.qVersion(), "platform": app.platformName()}
try:
    from PySide6.QtPrintSupport import QPrinterInfo
    out["printers"] = list(QPrinterInfo.availablePrinterNames())
    out["default_printer"] = QPrinterInfo.defaultPrinterName()
    name = os.environ.get("MOTCUA_DOCTOR_PRINTER", "")
    if name:
        info = QPrinterInfo.printerInfo(name)
        out["configured_state"] = None if info.isNull() else info.state().name.lower()
except Exception as exc:
    out["print_error"] = type(exc).__name__ + ": " + str(exc)
print(json.dumps(out))
"""

_PCSC_PROBE = """
import json
from smartcard import scard
hr, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
if hr != scard.SCARD_S_SUCCESS:
    print(json.dumps({"service": False, "error": scard.SCardGetErrorMessage(hr)}))
else:
    hr, readers = scard.SCardListReaders(ctx, [])
    scard.SCardReleaseContext(ctx)
    print(json.dumps({"service": True, "readers": list(readers) if hr == 0 else [],
                      "list_error": None if hr in (0, scard.SCARD_E_NO_READERS_AVAILABLE)
                      else scard.SCardGetErrorMessage(hr)}))
"""

_OPENCV_PROBE = """
import json, os
import cv2
source = os.environ.get("MOTCUA_DOCTOR_CAMERA_SOURCE", "")
cap = cv2.VideoCapture(int(source) if source.isdigit() or not source else source)
ok = cap.isOpened()
got = ok and cap.read()[0]
cap.release()
print(json.dumps({"opened": bool(ok), "frame": bool(got)}))
"""


def _qt_probe(ctx: DoctorContext) -> tuple[dict[str, Any] | None, str]:
    cached = getattr(ctx, "_qt_cache", None)
    if cached is None:
        env = {"QT_QPA_PLATFORM": "offscreen"} if not os.environ.get("DISPLAY") and \
            not os.environ.get("WAYLAND_DISPLAY") else {}
        env["MOTCUA_DOCTOR_PRINTER"] = _configured_printer(ctx)
        cached = probe(ctx, _QT_PROBE, env=env)
        ctx._qt_cache = cached  # type: ignore[attr-defined]  # printer check reuses it
    return cached


def check_mode(ctx: DoctorContext) -> CheckResult:
    """Production must not quietly run any demo part (the same rules ``kiosk run`` refuses on)."""
    from kiosk.domain.production import production_problems

    if ctx.config.kiosk.mode != "production":
        return CheckResult("mode", WARN, "demo mode: sample cards, demo controls and the embedded "
                           "portal are allowed; not for citizens",
                           'set kiosk.mode = "production" on a kiosk that serves citizens')
    problems = production_problems(ctx.config)
    if problems:
        return CheckResult("mode", FAIL, "production mode, but: " + "; ".join(
                           f"{p.key} ({p.problem})" for p in problems),
                           "; ".join(f"{p.key}: {p.fix}" for p in problems),
                           {"problems": [{"key": p.key, "problem": p.problem, "fix": p.fix}
                                         for p in problems]})
    return CheckResult("mode", PASS, "production mode with no demo part configured")


def check_python(ctx: DoctorContext) -> CheckResult:
    version = ".".join(map(str, sys.version_info[:3]))
    if not (3, 11) <= sys.version_info[:2] <= (3, 13):
        return CheckResult("python", FAIL, f"Python {version} is not supported (3.11 to 3.13 are)",
                           "install Python 3.11, 3.12 or 3.13 and recreate the venv")
    return CheckResult("python", PASS, f"Python {version} at {sys.executable}")


def check_packages(ctx: DoctorContext) -> CheckResult:
    try:
        requires = metadata.requires(DIST) or []
    except metadata.PackageNotFoundError:
        return CheckResult("packages", FAIL, f"{DIST} is not installed in this Python",
                           "run `pip install -e .` in the kiosk's venv")
    problems, found = [], 0
    for line in requires:
        if "extra ==" in line:
            continue
        name = re.split(r"[<>=!~;\[ ]", line, maxsplit=1)[0]
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            problems.append(f"{name} missing")
            continue
        found += 1
        if not _satisfies(line, have):
            problems.append(f"{name} {have} does not satisfy {line}")
    if problems:
        return CheckResult("packages", FAIL, "; ".join(problems),
                           "run `pip install -e .` in the kiosk's venv")
    return CheckResult("packages", PASS, f"{found} required packages present with usable versions")


def _satisfies(requirement: str, version: str) -> bool:
    try:
        from packaging.requirements import Requirement
    except ImportError:  # pragma: no cover - pip's vendored copy is not importable; presence only
        return True
    return Requirement(requirement).specifier.contains(version, prereleases=True)


def check_qt(ctx: DoctorContext) -> CheckResult:
    data, error = _qt_probe(ctx)
    if data is None:
        return CheckResult("qt", FAIL, f"Qt cannot start: {error}",
                           "install the system libraries Qt needs (e.g. `apt install libegl1 "
                           "libxkbcommon0 libgl1 libfontconfig1`) and check `pip show pyside6`")
    return CheckResult("qt", PASS, f"Qt {data['qt']} starts (platform {data['platform']})",
                       details=data)


def _configured_printer(ctx: DoctorContext) -> str:
    devices = getattr(ctx.config, "devices", None)
    return getattr(devices, "printer", "") or ""


def check_printer(ctx: DoctorContext) -> CheckResult:
    """The receipt printer named in ``devices.printer``: installed, and not in error."""
    data, error = _qt_probe(ctx)
    fix = ("install CUPS (`apt install cups`), add the receipt printer (`lpadmin` or the CUPS web "
           "page) and set devices.printer (or KIOSK_DEVICES_PRINTER) to its name from `lpstat -p`")
    if data is None:
        return CheckResult("printer", FAIL, f"the print system could not be asked: {error}", fix)
    if "print_error" in data:
        return CheckResult("printer", WARN, f"Qt print support failed: {data['print_error']}", fix)
    printers, name = data.get("printers", []), _configured_printer(ctx)
    found = (f"installed: {', '.join(printers)}" if printers else "no printer installed") + _lpstat()
    if not name and ctx.config.devices.escpos_printer:
        return CheckResult("printer", PASS, "receipts go to the ESC/POS printer (see the escpos "
                           "check); " + found, details={"printers": printers})
    if not name:
        return CheckResult("printer", WARN, "no receipt printer configured (devices.printer): "
                           "receipts are saved as PDF files in the data folder; " + found, fix,
                           details={"printers": printers})
    if name not in printers:
        return CheckResult("printer", FAIL, f"the configured receipt printer {name!r} is not "
                           f"installed ({found}): receipts are saved as PDF files until it is",
                           fix, details={"printers": printers})
    state = data.get("configured_state") or "unknown"
    if state in ("error", "aborted"):
        return CheckResult("printer", WARN, f"receipt printer {name!r} reports {state}",
                           "check its power, cable and paper; `lpstat -p` shows why")
    return CheckResult("printer", PASS, f"receipt printer {name!r} installed ({state})" + _lpstat())


def _lpstat() -> str:
    return "" if shutil.which("lpstat") else " (CUPS `lpstat` not installed)"


def check_pcscd(ctx: DoctorContext) -> CheckResult:
    needed = ctx.config.devices.card_reader == "pcsc"
    level = FAIL if needed else WARN
    use = "" if needed else " (not used now: the virtual reader is configured)"
    data, error = probe(ctx, _PCSC_PROBE, timeout=10.0)
    if data is None:
        return CheckResult("pcscd", level, f"could not ask PC/SC: {error}{use}",
                           "install pyscard and pcscd (`apt install pcscd libpcsclite1`)")
    if not data["service"]:
        return CheckResult("pcscd", level, f"pcscd is not reachable ({data['error']}){use}",
                           "start it: `systemctl enable --now pcscd.socket`; check the kiosk "
                           "user may use it (polkit rules for pcscd)")
    readers = data["readers"]
    if not readers:
        return CheckResult("pcscd", level, f"pcscd runs but no card reader is connected{use}",
                           "plug the reader in; check `pcsc_scan`; install the reader's driver "
                           "(`apt install libccid`)")
    return CheckResult("pcscd", PASS, f"pcscd reachable; readers: {', '.join(readers)}",
                       details={"readers": readers})


def check_camera(ctx: DoctorContext) -> CheckResult:
    backend, source = ctx.config.devices.camera, ctx.config.devices.camera_source
    if backend == "none":
        return CheckResult("camera", PASS, "no camera configured (QR scanning is off)")
    if backend == "virtual":
        from devices.camera import open_camera

        open_camera("virtual", **({"source": source} if source else {}))
        return CheckResult("camera", WARN, "the virtual (demo) camera is configured",
                           "set devices.camera = \"opencv\" and devices.camera_source on a real kiosk")
    data, error = probe(ctx, _OPENCV_PROBE, env={"MOTCUA_DOCTOR_CAMERA_SOURCE": source},
                        timeout=15.0)
    fix = ("check the camera is plugged in (`ls /dev/video*`), that the kiosk user is in the "
           "`video` group, and devices.camera_source (index or path)")
    if data is None:
        return CheckResult("camera", FAIL, f"OpenCV could not be asked: {error}", fix)
    if not data["opened"] or not data["frame"]:
        state = "opens but gives no picture" if data["opened"] else "cannot be opened"
        return CheckResult("camera", FAIL, f"camera {source or '0'} {state}", fix)
    return CheckResult("camera", PASS, f"camera {source or '0'} opens and gives pictures")


def check_portal(ctx: DoctorContext) -> CheckResult:
    portal = ctx.config.portal
    if portal.url == "embedded":
        return CheckResult("portal", WARN, "demo mode: the embedded reference portal is configured, "
                           "submissions reach no real portal",
                           "set portal.url (and portal.token) to the province's portal")
    from kiosk.domain.portal_contract import PortalError

    fix = ("check the network and portal.url; `curl -v URL/health`; for TLS errors set "
           "portal.ca_bundle (and check the kiosk's client certificate: `kiosk link status`)")
    if ctx.client_factory is not None:
        client = ctx.client_factory(portal.url, portal.token,
                                    connect_timeout=portal.connect_timeout_s,
                                    read_timeout=portal.read_timeout_s,
                                    verify=portal.ca_bundle or portal.verify_tls)
    else:
        from kiosk.services.composition import portal_client

        try:  # the kiosk's own client: its deadlines, TLS settings and credential
            client = portal_client(ctx.config, portal.url)
        except (PortalError, OSError) as exc:
            return CheckResult("portal", FAIL, f"the portal client cannot be built: {exc}", fix)
    try:
        health = client.health()
    except PortalError as exc:
        return CheckResult("portal", FAIL, f"portal not reachable: {type(exc).__name__}: {exc}", fix)
    finally:
        client.close()
    skew = _skew_s(health.portal_time, ctx.clock())
    details = {"latency_ms": round(health.latency_ms, 1), "clock_skew_s": skew}
    text = f"portal answers in {health.latency_ms:.0f} ms"
    if not health.ok:
        return CheckResult("portal", FAIL, text + " but says it is not ok", fix, details)
    return _skew_result(text, skew, details)


def _skew_s(portal_time: str, now: float) -> float | None:
    try:
        return round(now - datetime.fromisoformat(portal_time).timestamp(), 1)
    except (TypeError, ValueError):
        return None


def _skew_result(text: str, skew: float | None, details: dict[str, Any]) -> CheckResult:
    fix = "enable time sync: `timedatectl set-ntp true` (check `timedatectl status`)"
    if skew is None:
        return CheckResult("portal", WARN, text + "; its time is unreadable, skew unknown", fix,
                           details)
    text += f"; clock skew {skew:+.1f} s"
    if abs(skew) > 300:
        return CheckResult("portal", FAIL, text + " (receipts and TLS need the right time)", fix,
                           details)
    if abs(skew) > 30:
        return CheckResult("portal", WARN, text, fix, details)
    return CheckResult("portal", PASS, text, details=details)


def _default_checks() -> list[Any]:
    from kiosk.app import doctor_devices as devices
    from kiosk.app import doctor_files as files
    from kiosk.app.doctor_speech import check_speech

    return [check_mode, check_python, check_packages, check_qt, check_printer,
            devices.check_escpos, check_pcscd, check_camera, devices.check_scanner, check_speech,
            files.check_data_dir, files.check_key_files, files.check_outbox, files.check_audit,
            check_portal, files.check_disk]


DEFAULT_CHECKS = _default_checks()
