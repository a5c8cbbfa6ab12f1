"""What is attached to this machine that the kiosk could use, and which configured device uses it.

For ``kiosk devices list``: serial ports (scanners in serial/USB CDC mode, serial printers),
keyboard-like input devices (scanners in keyboard mode), hidraw devices (HID-POS scanners),
USB printers (``/dev/usb/lp*``), cameras (``/dev/video*``) and PC/SC card readers. Every probe is
read-only, never opens a device for reading and has a time limit; a library that is missing or a
service that is down leaves its kind out with a note rather than failing the listing.
"""

from __future__ import annotations

import dataclasses
import glob
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["Attached", "attached_devices"]


@dataclasses.dataclass
class Attached:
    kind: str  # serial, input, hidraw, printer, camera, card_reader
    node: str  # a device path, or the PC/SC reader name
    name: str = ""
    usb_id: str = ""  # vendor:product, lower-case hex
    used_by: str = ""  # e.g. "scanner (serial)", "receipt printer (escpos)", or ""


def _serial() -> list[Attached]:
    from serial.tools import list_ports

    return [Attached("serial", p.device, p.description or "",
                     f"{p.vid:04x}:{p.pid:04x}" if p.vid is not None else "")
            for p in sorted(list_ports.comports(), key=lambda p: p.device)]


def _input() -> list[Attached]:
    import evdev

    found = []
    for path in sorted(evdev.list_devices()):
        try:
            device = evdev.InputDevice(path)
        except OSError:
            continue
        try:
            if evdev.ecodes.KEY_ENTER in device.capabilities().get(evdev.ecodes.EV_KEY, []):
                found.append(Attached("input", path, device.name,
                                      f"{device.info.vendor:04x}:{device.info.product:04x}"))
        finally:
            device.close()
    return found


def _sys_attr(path: Path, key: str) -> str:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key + "="):
                return line.split("=", 1)[1]
    except OSError:
        pass
    return ""


def _hidraw(sysfs: Path = Path("/sys/class/hidraw")) -> list[Attached]:
    found = []
    for node in sorted(sysfs.glob("hidraw*")):
        uevent = node / "device" / "uevent"
        hid_id = _sys_attr(uevent, "HID_ID").split(":")
        usb_id = f"{int(hid_id[1], 16):04x}:{int(hid_id[2], 16):04x}" if len(hid_id) == 3 else ""
        found.append(Attached("hidraw", f"/dev/{node.name}", _sys_attr(uevent, "HID_NAME"),
                              usb_id))
    return found


def _printers() -> list[Attached]:
    return [Attached("printer", path, "USB printer (usblp)") for path in sorted(glob.glob(
        "/dev/usb/lp*"))]


def _cameras() -> list[Attached]:
    found = []
    for path in sorted(glob.glob("/dev/video*")):
        name_file = Path("/sys/class/video4linux") / Path(path).name / "name"
        try:
            name = name_file.read_text().strip()
        except OSError:
            name = ""
        found.append(Attached("camera", path, name))
    return found


def _card_readers(timeout: float = 3.0) -> list[Attached]:
    result: list[Attached] = []

    def ask() -> None:
        from smartcard import scard

        hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hresult != scard.SCARD_S_SUCCESS:
            return
        try:
            hresult, readers = scard.SCardListReaders(context, [])
            if hresult == scard.SCARD_S_SUCCESS:
                result.extend(Attached("card_reader", name, "PC/SC reader") for name in readers)
        finally:
            scard.SCardReleaseContext(context)

    thread = threading.Thread(target=ask, name="inventory-pcsc", daemon=True)
    thread.start()
    thread.join(timeout)  # pcscd that does not answer: the readers are left out, noted below
    if thread.is_alive():
        raise TimeoutError("pcscd did not answer")
    return list(result)


PROBES: dict[str, Callable[[], list[Attached]]] = {
    "serial": _serial, "input": _input, "hidraw": _hidraw, "printer": _printers,
    "camera": _cameras, "card_reader": _card_readers,
}


def _same(a: str, b: str) -> bool:
    return bool(a and b) and os.path.realpath(a) == os.path.realpath(b)


def _mark_used(items: list[Attached], devices: Any) -> None:
    scanner = devices.scanner
    scanner_kind = {"serial": "serial", "wedge": "input", "hidpos": "hidraw"}.get(scanner)
    printer = devices.escpos_printer
    for item in items:
        if scanner_kind == item.kind and (
                _same(item.node, devices.scanner_device)
                or (devices.scanner_usb_id and item.usb_id == devices.scanner_usb_id.lower())):
            item.used_by = f"scanner ({scanner})"
        elif printer and printer.split(":", 1)[-1].split(":")[0] and (
                _same(item.node, printer.split(":", 1)[-1].split(":")[0])):
            item.used_by = "receipt printer (escpos)"
        elif item.kind == "camera" and devices.camera == "opencv" and (
                _same(item.node, devices.camera_source)
                or item.node == f"/dev/video{devices.camera_source or 0}"):
            item.used_by = "camera (opencv)"
        elif item.kind == "card_reader" and devices.card_reader == "pcsc":
            item.used_by = "card reader (pcsc)"


def _virtual(devices: Any) -> list[Attached]:
    items = []
    for kind, backend in (("card_reader", devices.card_reader), ("camera", devices.camera),
                          ("scanner", devices.scanner), ("printer", devices.escpos_printer)):
        if backend == "virtual":
            items.append(Attached(kind, "virtual", f"virtual {kind.replace('_', ' ')} (demo)",
                                  used_by=f"{kind.replace('_', ' ')} (virtual)"))
    return items


def attached_devices(devices: Any, probes: dict[str, Callable[[], list[Attached]]] | None = None,
                     ) -> tuple[list[Attached], dict[str, str]]:
    """(what is attached, notes on kinds that could not be listed) for a ``DevicesSection``."""
    items: list[Attached] = []
    notes: dict[str, str] = {}
    for kind, probe in (probes or PROBES).items():
        try:
            items += probe()
        except Exception as exc:  # noqa: BLE001 - one kind that cannot be listed hides no other
            notes[kind] = f"{type(exc).__name__}: {exc}"
    _mark_used(items, devices)
    return items + _virtual(devices), notes
