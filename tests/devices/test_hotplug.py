"""The hot-plug watcher without udev: device nodes appearing and going are reported."""

from __future__ import annotations

from device_helpers import Recorder

from devices.hotplug import DeviceAdded, DeviceRemoved, HotplugMonitor, kind_of_node


def test_nodes_that_come_and_go_are_reported_within_a_poll(tmp_path):
    nodes: set[str] = {"/dev/video0"}
    monitor = HotplugMonitor(poll_s=0.05, use_udev=False, list_nodes=lambda: set(nodes))
    events = Recorder()
    monitor.subscribe(events)
    monitor.start()
    try:
        assert monitor.mode == "polling"
        nodes.add("/dev/ttyACM0")
        events.wait_for(lambda e: e == DeviceAdded("serial", "/dev/ttyACM0"), timeout=2.0)
        nodes.discard("/dev/video0")
        events.wait_for(lambda e: e == DeviceRemoved("camera", "/dev/video0"), timeout=2.0)
    finally:
        monitor.stop()
    assert monitor.mode == "off"


def test_kinds_of_nodes():
    assert kind_of_node("/dev/hidraw2") == "hidraw"
    assert kind_of_node("/dev/usb/lp0") == "printer"
    assert kind_of_node("/dev/input/event7") == "input"
    assert kind_of_node("/dev/sda") is None


def test_without_udev_running_it_polls():
    monitor = HotplugMonitor(poll_s=0.05, use_udev=True, list_nodes=set)
    monitor.start()
    try:
        assert monitor.mode in ("udev", "polling")
    finally:
        monitor.stop()
