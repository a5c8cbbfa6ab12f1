"""Synthetic HID devices: the input events and reports a keyboard-wedge or HID-POS scanner makes.

Build and CI machines have no ``/dev/uinput``, so a real input device cannot be created there.
These twins produce exactly what the kernel would hand the backends (key events with Shift for a
wedge, 64-byte reports for HID-POS) and fail as an unplugged device fails (``ENODEV``), so the
backends' decoding, framing and reconnecting run unchanged in tests and in the demo.
"""

from __future__ import annotations

import errno
import queue
import threading

from devices.scanner.hidpos import scanned_data_reports
from devices.scanner.keymap import EV_KEY, KEY_CODES

__all__ = ["SyntheticHidPos", "SyntheticKeyboard", "key_events"]

_LEFTSHIFT = 42
_SYN = (0, 0, 0)  # EV_SYN / SYN_REPORT after each key change, as the kernel sends
_BY_CHAR: dict[str, tuple[int, bool]] = {}
for _code, (_plain, _shifted) in sorted(KEY_CODES.items(), reverse=True):
    _BY_CHAR[_shifted] = (_code, _shifted != _plain)  # main-block keys win over the keypad
    _BY_CHAR[_plain] = (_code, False)


def key_events(text: str, terminator: str = "\r") -> list[tuple[int, int, int]]:
    """The key events a US-layout scanner types for ``text``; characters no key makes (every
    Vietnamese letter) are dropped, as a wedge scanner drops them."""
    events: list[tuple[int, int, int]] = []
    for char in text + terminator:
        if char not in _BY_CHAR:
            continue
        code, shift = _BY_CHAR[char]
        if shift:
            events += [(EV_KEY, _LEFTSHIFT, 1), _SYN]
        events += [(EV_KEY, code, 1), _SYN, (EV_KEY, code, 0), _SYN]
        if shift:
            events += [(EV_KEY, _LEFTSHIFT, 0), _SYN]
    return events


_WAKE = object()  # ends a waiting read (``cancel``)


class _Device:
    """What one 'plug' of a synthetic device hands the backend; fails with ENODEV once pulled."""

    def __init__(self, owner: _Synthetic) -> None:
        self._owner = owner
        self._items: queue.Queue[object] = queue.Queue()
        self.gone = False

    def read(self, timeout: float) -> object:
        if self.gone:
            raise OSError(errno.ENODEV, "No such device")
        try:
            item = self._items.get(timeout=timeout)
        except queue.Empty:
            return self._owner._empty
        if item is None:
            raise OSError(errno.ENODEV, "No such device")
        if item is _WAKE:
            return self._owner._empty
        return item

    def cancel(self) -> None:
        self._items.put(_WAKE)

    def close(self) -> None:
        self._owner._closed(self)


class _Synthetic:
    _empty: object = b""

    def __init__(self, plugged: bool = True) -> None:
        self._lock = threading.Lock()
        self._plugged = plugged
        self._device: _Device | None = None
        self.opened = 0

    def open(self) -> _Device:
        """The backend's device factory."""
        with self._lock:
            if not self._plugged:
                raise OSError(errno.ENOENT, "No such file or directory")
            self._device = _Device(self)
            self.opened += 1
            return self._device

    def plug(self) -> None:
        with self._lock:
            self._plugged = True

    def unplug(self) -> None:
        with self._lock:
            self._plugged = False
            device, self._device = self._device, None
        if device is not None:
            device.gone = True
            device._items.put(None)

    def _put(self, item: object) -> None:
        with self._lock:
            device = self._device
        if device is None:
            raise OSError(errno.ENODEV, "the synthetic device is not open")
        device._items.put(item)

    def _closed(self, device: _Device) -> None:
        with self._lock:
            if self._device is device:
                self._device = None


class SyntheticKeyboard(_Synthetic):
    """A keyboard-wedge scanner's event device: ``scan(text)`` types the code and Enter."""

    _empty: object = []

    def scan(self, text: str, terminator: str = "\r") -> None:
        self._put(key_events(text, terminator))


class SyntheticHidPos(_Synthetic):
    """A HID-POS scanner's hidraw device: ``scan(text)`` sends the scanned-data reports."""

    def scan(self, text: str | bytes) -> None:
        data = text.encode("utf-8") if isinstance(text, str) else text
        for report in scanned_data_reports(data):
            self._put(report)
