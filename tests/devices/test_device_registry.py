"""The backend registries: lazy imports, clear errors, a missing library breaks only its backend."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from device_helpers import ROOT

from devices import BackendUnavailable, UnknownBackend
from devices.camera import open_camera
from devices.card import open_reader
from devices.card.virtual import VirtualCardReader


def run_python(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_unknown_names_list_the_known_backends():
    with pytest.raises(UnknownBackend) as info:
        open_reader("nfc-magic")
    assert "'nfc-magic'" in str(info.value) and "pcsc" in str(info.value) and "virtual" in str(info.value)
    with pytest.raises(UnknownBackend, match="opencv, virtual"):
        open_camera("webcam9000")


def test_options_reach_the_backend():
    reader = open_reader("virtual", reader_name="Counter 3", read_delay_s=0.0)
    assert isinstance(reader, VirtualCardReader) and reader.reader_name == "Counter 3"


def test_importing_the_packages_loads_no_backend_library():
    result = run_python(
        "import sys, devices.card, devices.camera\n"
        "print(sorted(m for m in ('smartcard', 'cv2', 'devices.card.pcsc', 'devices.camera.opencv') if m in sys.modules))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_missing_pyscard_breaks_only_the_pcsc_backend():
    result = run_python(
        "import sys\n"
        "sys.modules['smartcard'] = None  # as if pyscard were not installed\n"
        "from devices.card import open_reader, BackendUnavailable\n"
        "try:\n"
        "    open_reader('pcsc')\n"
        "except BackendUnavailable as exc:\n"
        "    print('pcsc:', exc.missing, '|', exc)\n"
        "reader = open_reader('virtual')\n"
        "reader.start(); print('virtual:', reader.readers()); reader.stop()\n"
    )
    assert result.returncode == 0, result.stderr
    assert "pcsc: pyscard | The card reader backend 'pcsc' needs the Python library 'pyscard'" in result.stdout
    assert "virtual: ['Virtual Kiosk Reader']" in result.stdout


def test_backend_unavailable_is_an_import_error():
    assert issubclass(BackendUnavailable, ImportError)


def test_pcsc_without_the_service_raises_no_reader_not_a_crash(tmp_path):
    # Point the PC/SC client at a socket nobody listens on: exactly what a kiosk without pcscd sees.
    result = run_python(
        "from devices.card import open_reader, errors\n"
        "reader = open_reader('pcsc')\n"
        "try:\n"
        "    reader.start()\n"
        "except errors.NoReader as exc:\n"
        "    print('NoReader:', exc)\n"
        "print('readers:', reader.readers())\n",
        env={"PCSCLITE_CSOCK_NAME": str(tmp_path / "no-pcscd.comm")},
    )
    assert result.returncode == 0, result.stderr
    assert "NoReader: The smart card service (pcscd) is not running" in result.stdout
    assert "readers: []" in result.stdout


def test_importing_scanners_and_printers_loads_no_backend_library():
    result = run_python(
        "import sys, devices.scanner, devices.printer, devices.hotplug\n"
        "print(sorted(m for m in ('serial', 'evdev', 'pyudev', 'devices.scanner.wedge',"
        " 'devices.printer.escpos_device') if m in sys.modules))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_missing_evdev_breaks_only_the_keyboard_wedge_scanner():
    result = run_python(
        "import sys\n"
        "sys.modules['evdev'] = None  # as if python-evdev were not installed\n"
        "from devices.scanner import open_scanner, BackendUnavailable\n"
        "try:\n"
        "    open_scanner('wedge', device='/dev/input/event0')\n"
        "except BackendUnavailable as exc:\n"
        "    print('wedge:', exc.missing)\n"
        "scanner = open_scanner('virtual')\n"
        "print('virtual:', type(scanner).__name__); scanner.close()\n"
        "print('hidpos:', type(open_scanner('hidpos', device='/dev/hidraw0')).__name__)\n"
    )
    assert result.returncode == 0, result.stderr
    assert "wedge: evdev" in result.stdout
    assert "virtual: VirtualScanner" in result.stdout and "hidpos: HidPosScanner" in result.stdout


def test_missing_pyserial_breaks_only_the_serial_scanners():
    result = run_python(
        "import sys\n"
        "sys.modules['serial'] = None\n"
        "from devices.scanner import open_scanner, BackendUnavailable\n"
        "from devices.printer import open_printer\n"
        "try:\n"
        "    open_scanner('serial', device='/dev/ttyACM0')\n"
        "except BackendUnavailable as exc:\n"
        "    print('serial:', exc.missing)\n"
        "print('escpos:', type(open_printer('escpos', connection='tcp:127.0.0.1:9')).__name__)\n"
    )
    assert result.returncode == 0, result.stderr
    assert "serial: pyserial" in result.stdout and "escpos: EscposPrinter" in result.stdout


def test_unknown_scanner_and_printer_names_list_the_known_ones():
    from devices.printer import open_printer
    from devices.scanner import open_scanner

    with pytest.raises(UnknownBackend, match="hidpos, serial, virtual, wedge"):
        open_scanner("laser")
    with pytest.raises(UnknownBackend, match="escpos, virtual"):
        open_printer("dotmatrix")
