"""Devices plugged in and out while the kiosk runs: one watcher for every device kind.

With udev (a normal Linux desktop or server) events come from a pyudev monitor within
milliseconds. Where udev is absent (containers, build machines) or pyudev is not installed, the
device nodes are listed every ``poll_s`` seconds and compared; either way subscribers get
``DeviceAdded`` / ``DeviceRemoved`` with the node's path and a kind the kiosk knows
("scanner-serial", "hidraw", "input", "printer", "camera"). The backends then reopen their device
(a scanner's ``nudge()``); nothing here blocks them: a watcher that cannot start is logged and the
backends' own retries still find a device that comes back.
"""

from __future__ import annotations

import dataclasses
import glob
import logging
import os
import threading
from collections.abc import Callable, Iterable

from devices._subscribers import Subscribers

__all__ = ["DeviceAdded", "DeviceRemoved", "HotplugMonitor", "kind_of_node"]

log = logging.getLogger(__name__)

#: node patterns -> the kind of device behind them
NODE_KINDS = (("/dev/ttyACM*", "serial"), ("/dev/ttyUSB*", "serial"), ("/dev/hidraw*", "hidraw"),
              ("/dev/input/event*", "input"), ("/dev/usb/lp*", "printer"),
              ("/dev/video*", "camera"))
_SUBSYSTEMS = {"tty": "serial", "hidraw": "hidraw", "input": "input", "usbmisc": "printer",
               "video4linux": "camera"}


@dataclasses.dataclass(frozen=True, slots=True)
class DeviceAdded:
    kind: str
    node: str


@dataclasses.dataclass(frozen=True, slots=True)
class DeviceRemoved:
    kind: str
    node: str


HotplugEvent = DeviceAdded | DeviceRemoved


def kind_of_node(node: str) -> str | None:
    from fnmatch import fnmatch

    return next((kind for pattern, kind in NODE_KINDS if fnmatch(node, pattern)), None)


def list_nodes(patterns: Iterable[tuple[str, str]] = NODE_KINDS) -> set[str]:
    return {path for pattern, _ in patterns for path in glob.glob(pattern)}


class HotplugMonitor:
    def __init__(self, *, poll_s: float = 1.0, use_udev: bool = True,
                 list_nodes: Callable[[], set[str]] = list_nodes) -> None:
        self.poll_s = poll_s
        self._use_udev = use_udev
        self._list_nodes = list_nodes
        self._subscribers: Subscribers[HotplugEvent] = Subscribers()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.mode = "off"

    def subscribe(self, callback: Callable[[HotplugEvent], object]) -> Callable[[], None]:
        return self._subscribers.add(callback)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        monitor = self._udev_monitor() if self._use_udev else None
        self.mode = "udev" if monitor is not None else "polling"
        target = self._run_udev if monitor is not None else self._run_polling
        self._thread = threading.Thread(target=target, args=(monitor,), name="hotplug",
                                        daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        thread = self._thread
        if thread is None:
            return
        self._stop.set()
        thread.join(timeout)
        self._thread = None
        self.mode = "off"

    def _udev_monitor(self) -> object | None:
        if not os.path.exists("/run/udev/control"):
            log.info("udev is not running here: devices are polled every %.1f s", self.poll_s)
            return None
        try:
            import pyudev

            monitor = pyudev.Monitor.from_netlink(pyudev.Context())
            for subsystem in _SUBSYSTEMS:
                monitor.filter_by(subsystem)
            monitor.start()
            return monitor
        except (ImportError, OSError) as exc:
            log.info("udev monitor unavailable (%s): devices are polled", type(exc).__name__)
            return None

    def _run_udev(self, monitor: object) -> None:
        while not self._stop.is_set():
            device = monitor.poll(timeout=0.2)  # type: ignore[attr-defined]
            if device is None or not device.device_node:
                continue
            kind = _SUBSYSTEMS.get(device.subsystem, device.subsystem)
            if device.action == "add":
                self._subscribers.emit(DeviceAdded(kind, device.device_node))
            elif device.action == "remove":
                self._subscribers.emit(DeviceRemoved(kind, device.device_node))

    def _run_polling(self, _monitor: object) -> None:
        known = self._list_nodes()
        while not self._stop.wait(self.poll_s):
            now = self._list_nodes()
            for node in sorted(now - known):
                self._subscribers.emit(DeviceAdded(kind_of_node(node) or "other", node))
            for node in sorted(known - now):
                self._subscribers.emit(DeviceRemoved(kind_of_node(node) or "other", node))
            known = now
