"""Keyboard-wedge scanners read from their own input device through evdev, grabbed.

A USB scanner in keyboard mode is a keyboard: left alone, its keystrokes land in whatever text
field has focus. Reading its ``/dev/input/event*`` device and grabbing it (EVIOCGRAB) keeps them
out of the desktop and of the kiosk's fields; the key events are turned back into text with
``KeyDecoder`` (US layout). The device is a path (a stable ``/dev/input/by-id/...-event-kbd``
link is best) or found by its USB vendor:product ID. Only ASCII codes (receipts, VietQR) survive
a keyboard layout; CCCD codes need the scanner's serial or HID-POS mode.

``events`` (tests, and the virtual scanner) replaces the device with any object that has
``read(timeout) -> list of (type, code, value)`` and ``close()``: synthetic input events, since
``/dev/uinput`` is not there to make a real device on build machines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

import evdev

from devices.scanner.base import Scanner, Source, WakePipe
from devices.scanner.errors import ScannerNotFound
from devices.scanner.framing import Framer, parse_affix
from devices.scanner.keymap import KeyDecoder
from devices.scanner.usb_ids import parse_usb_id

__all__ = ["EventSource", "WedgeScanner", "find_input_device"]


class EventSource(Protocol):
    def read(self, timeout: float) -> Iterable[tuple[int, int, int]]: ...

    def close(self) -> None: ...


def find_input_device(usb_id: str) -> str | None:
    """The keyboard event device of the USB device with this vendor:product ID, if plugged in."""
    vid, pid = parse_usb_id(usb_id)
    for path in sorted(evdev.list_devices()):
        try:
            device = evdev.InputDevice(path)
        except OSError:
            continue
        try:
            keys = device.capabilities().get(evdev.ecodes.EV_KEY, [])
            if device.info.vendor == vid and device.info.product == pid and \
                    evdev.ecodes.KEY_ENTER in keys:
                return path
        finally:
            device.close()
    return None


class _EvdevEvents:
    """A grabbed evdev device: its key events, with a timeout."""

    def __init__(self, path: str) -> None:
        self._device = evdev.InputDevice(path)
        try:
            self._device.grab()
        except OSError:
            self._device.close()
            raise
        self._wake = WakePipe()

    def read(self, timeout: float) -> list[tuple[int, int, int]]:
        if not self._wake.wait(self._device.fd, timeout):
            return []
        try:
            return [(e.type, e.code, e.value) for e in self._device.read()]
        except BlockingIOError:
            return []

    def cancel(self) -> None:
        self._wake.wake()

    def close(self) -> None:
        try:
            self._device.ungrab()
        except OSError:
            pass  # already gone
        self._device.close()
        self._wake.close()


class _TypedText:
    """Adapts key events to the byte source the reading thread wants."""

    def __init__(self, events: EventSource) -> None:
        self._events, self._decoder = events, KeyDecoder()

    def read(self, timeout: float) -> bytes:
        text = "".join(self._decoder.feed(*event) for event in self._events.read(timeout))
        return text.encode("utf-8")

    def cancel(self) -> None:
        cancel = getattr(self._events, "cancel", None)
        if cancel is not None:
            cancel()

    def close(self) -> None:
        self._events.close()


class WedgeScanner(Scanner):
    kind = "wedge"
    keyboard = True

    def __init__(self, device: str = "", *, usb_id: str = "", prefix: str = "",
                 suffix: str = "CR", idle_s: float = 0.15, retry_s: float = 0.5,
                 events: Callable[[], EventSource] | None = None,
                 clock: Callable[[], float] | None = None) -> None:
        if not device and not usb_id and events is None:
            raise ValueError("a keyboard-wedge scanner needs devices.scanner_device or "
                             "devices.scanner_usb_id")
        if usb_id:
            parse_usb_id(usb_id)
        framer = Framer(prefix=parse_affix(prefix), suffix=parse_affix(suffix), idle_s=idle_s)
        extra: dict[str, Any] = {} if clock is None else {"clock": clock}
        super().__init__(name=device or (f"USB {usb_id}" if usb_id else "keyboard wedge"),
                         framer=framer, retry_s=retry_s, **extra)
        self.device, self.usb_id, self._events = device, usb_id, events

    def _open(self) -> Source:
        if self._events is not None:
            return _TypedText(self._events())
        path = self.device or find_input_device(self.usb_id)
        if not path:
            raise ScannerNotFound(f"no keyboard device with USB ID {self.usb_id} is plugged in")
        try:
            return _TypedText(_EvdevEvents(path))
        except OSError as exc:
            raise ScannerNotFound(f"{path}: {exc.strerror or exc}") from None
