"""`kiosk doctor`'s checks of the barcode scanner and the ESC/POS receipt printer.

Both are asked in a child process with a time limit (see ``kiosk.ops.doctor.probe``): a printer
that stopped taking data or a scanner's driver that hangs cannot hang doctor. The scanner is
opened and closed again (for a wedge scanner: grabbed and released), never read; the printer is
asked its real-time status (DLE EOT), nothing is printed.
"""

from __future__ import annotations

from kiosk.app.doctor import CheckResult, DoctorContext, Status, probe

__all__ = ["check_escpos", "check_scanner"]

PASS, WARN, FAIL = Status.PASS, Status.WARN, Status.FAIL

_SCANNER_PROBE = """
import json, os, sys
from devices.scanner import open_scanner
d = json.loads(os.environ["MOTCUA_DOCTOR_SCANNER"])
kind = d.pop("kind")
try:
    scanner = open_scanner(kind, **d)
    scanner.check()
    print(json.dumps({"ok": True, "name": scanner.name}))
except Exception as exc:
    print(json.dumps({"ok": False, "error": type(exc).__name__ + ": " + str(exc)}))
"""

_PRINTER_PROBE = """
import json, os
from devices.printer import open_printer
try:
    printer = open_printer("escpos", connection=os.environ["MOTCUA_DOCTOR_ESCPOS"])
    status = printer.status(timeout=5.0)
    print(json.dumps({"ok": True, "state": status.state, "phrase": status.describe()}))
except Exception as exc:
    print(json.dumps({"ok": False, "error": type(exc).__name__ + ": " + str(exc)}))
"""


def check_scanner(ctx: DoctorContext) -> CheckResult:
    import json

    devices = ctx.config.devices
    kind = devices.scanner
    if kind == "none":
        return CheckResult("scanner", PASS, "no barcode scanner configured (QR codes by camera)")
    if kind == "virtual":
        return CheckResult("scanner", WARN, "the virtual (demo) barcode scanner is configured",
                           "set devices.scanner to serial, hidpos or wedge and give "
                           "devices.scanner_device or devices.scanner_usb_id (`kiosk devices "
                           "list` shows what is attached)")
    options = {"kind": kind, "device": devices.scanner_device, "usb_id": devices.scanner_usb_id}
    fix = {"serial": "check the cable and `ls -l /dev/serial/by-id/`; the kiosk user needs the "
                     "`dialout` group",
           "hidpos": "check the cable and `ls -l /dev/hidraw*`; a udev rule must give the kiosk "
                     "user read access (see docs/operations.md)",
           "wedge": "check the cable and `ls -l /dev/input/by-id/`; the kiosk user needs the "
                    "`input` group"}[kind]
    data, error = probe(ctx, _SCANNER_PROBE, env={"MOTCUA_DOCTOR_SCANNER": json.dumps(options)},
                        timeout=10.0)
    if data is None:
        return CheckResult("scanner", FAIL, f"the scanner could not be asked: {error}", fix)
    if not data["ok"]:
        return CheckResult("scanner", FAIL, f"{kind} scanner: {data['error']}", fix)
    note = " (keyboard mode: CCCD codes lose their accents; use serial or HID-POS mode for " \
           "them)" if kind == "wedge" else ""
    return CheckResult("scanner", WARN if note else PASS,
                       f"{kind} scanner {data['name']} opens{note}",
                       "switch the scanner to USB serial (CDC) or HID-POS mode" if note else None)


def check_escpos(ctx: DoctorContext) -> CheckResult:
    spec = ctx.config.devices.escpos_printer
    if not spec:
        return CheckResult("escpos", PASS, "no ESC/POS printer configured (receipts go to the "
                           "print system or PDF: see the printer check)")
    if spec == "virtual":
        return CheckResult("escpos", WARN, "the virtual (demo) ESC/POS printer is configured: "
                           "slips become PNG files", "set devices.escpos_printer to the printer "
                           "(usb:/dev/usb/lp0, serial:..., tcp:HOST:9100)")
    fix = ("check the printer's power and cable (`kiosk devices list`), that the kiosk user may "
           "write to it (group `lp`), and devices.escpos_printer")
    data, error = probe(ctx, _PRINTER_PROBE, env={"MOTCUA_DOCTOR_ESCPOS": spec}, timeout=15.0)
    if data is None:
        return CheckResult("escpos", FAIL, f"the printer could not be asked: {error}", fix)
    if not data["ok"]:
        return CheckResult("escpos", FAIL, f"ESC/POS printer {spec}: {data['error']}", fix)
    state = data["state"]
    details = {"state": state}
    if state == "ready":
        return CheckResult("escpos", PASS, f"ESC/POS printer {spec} is ready", details=details)
    if state in ("paper_low", "no_answer"):
        return CheckResult("escpos", WARN, f"ESC/POS printer {spec}: {data['phrase']}",
                           "load a new roll soon" if state == "paper_low" else
                           "the printer gives no status: paper and cover problems cannot be "
                           "seen before printing", details)
    return CheckResult("escpos", FAIL, f"ESC/POS printer {spec}: {data['phrase']} (receipts are "
                       f"saved as PDF until fixed)", "load paper, close the cover, switch it on",
                       details)
