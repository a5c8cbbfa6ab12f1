"""Pytest fixtures for the real PC/SC path: pcscd + vsmartcard's vpcd driver + our chip emulator.

    pyscard --(socket)--> pcscd --(vpcd driver, TCP 35963/35964)--> VpcdClient --> VirtualChip

``pcsc_service`` (session): uses a pcscd that is already running, or starts ``pcscd --foreground``
(as CI does, as root) and stops it at the end (SIGTERM, then SIGKILL). It holds a machine-wide
lock (``MACHINE_LOCK``) while it runs, so a second test session on the same machine waits for it.
It skips with the reason only when pcscd or the vpcd driver is not installed; if they are
installed it must work.
``virtual_reader`` (function): the vpcd reader name and port for a test, with helpers that wait,
without sleeping, for pcscd to see a card arrive or leave.

Registered by one conftest only (``tests/devices/conftest.py``): a fixture imported by two
conftest files is two fixtures, and a session fixture defined twice starts twice.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import fcntl
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

__all__ = ["PcscService", "PrivatePcscd", "VirtualReader", "pcsc_service", "private_pcscd",
           "virtual_reader"]

PCSCD = Path("/usr/sbin/pcscd")
VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
SOCKET = Path("/run/pcscd/pcscd.comm")
# The reader our tests use: slot 01, so the backend contract suite can keep slot 00 to itself.
# VPCD_PORT (env) moves both slots, for a private pcscd started with its own reader.conf.d and
# PCSCLITE_CSOCK_NAME (how to run these tests beside another suite that restarts the system pcscd).
_BASE_PORT = int(os.environ.get("VPCD_PORT", "35963"))
READER_PORTS = {"Virtual PCD 00 00": _BASE_PORT, "Virtual PCD 00 01": _BASE_PORT + 1}
TEST_READER = "Virtual PCD 00 01"


def _service_up() -> bool:
    from smartcard import scard

    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return False
    scard.SCardReleaseContext(context)
    return True


def _die_with_parent() -> None:
    """If pytest is killed (timeout, Ctrl+C twice), take pcscd down too instead of orphaning it."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass


class PcscService:
    """A pcscd we either found running (left alone) or started (and stop)."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.log: list[str] = []
        self._ready = threading.Event()
        self._exited = threading.Event()
        self._drain: threading.Thread | None = None

    @property
    def started_here(self) -> bool:
        return self.process is not None

    def start(self, timeout: float = 10.0) -> None:
        """Reuse a running pcscd, or start one and wait (event, not sleep) for 'daemon ready'."""
        if _service_up():
            return
        self.process = subprocess.Popen(
            [str(PCSCD), "--foreground", "--info"], stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, env={**os.environ, "LANG": "C"},
            preexec_fn=_die_with_parent,
        )
        self._drain = threading.Thread(target=self._read_log, name="shared-pcscd-log", daemon=True)
        self._drain.start()
        ready = self._ready.wait(timeout)
        if self._exited.is_set():  # another pcscd (another test session) owns the socket
            self.stop()
            if _service_up():
                return
        if not ready or not self._answers(timeout=3.0):
            tail = " / ".join(self.log[-5:])
            self.stop()
            raise RuntimeError(f"pcscd did not become ready within {timeout} s: {tail}")

    def _answers(self, timeout: float) -> bool:
        """Whether the socket answers, retrying briefly (it may lag the 'ready' line)."""
        deadline = time.monotonic() + timeout
        while not _service_up():
            if time.monotonic() > deadline or self._exited.wait(0.1):
                return False
        return True

    def _read_log(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self.log = [*self.log[-50:], line.rstrip()]
            if "daemon ready" in line:
                self._ready.set()
        self._exited.set()
        self._ready.set()  # pcscd exited: wake start() so it can report

    def stop(self, timeout: float = 5.0) -> None:
        process, self.process = self.process, None
        if process is not None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=timeout)
        if self._drain is not None:
            self._drain.join(timeout=timeout)
            self._drain = None
        if process is not None and process.stdout is not None:
            process.stdout.close()


@dataclasses.dataclass
class VirtualReader:
    """The vpcd slot a test puts its virtual card in."""

    name: str
    port: int

    @contextlib.contextmanager
    def inserted(self, chip: Any, timeout: float = 5.0) -> Iterator[Any]:
        """Put ``chip`` on this reader (a ``VpcdClient``) and take it away afterwards, each time
        waiting until pcscd has seen it, so one test's card never leaks into the next."""
        from devices.card.chip.vpcd import VpcdClient

        assert self.wait_card(present=False, timeout=timeout), "a card is still on the reader"
        client = VpcdClient(chip, port=self.port)
        client.start()
        try:
            assert self.wait_card(present=True, timeout=timeout), "pcscd did not see the card"
            yield client
        finally:
            client.stop()
        assert self.wait_card(present=False, timeout=timeout), "pcscd did not see the card leave"

    def wait_card(self, present: bool, timeout: float = 5.0) -> bool:
        """Block in SCardGetStatusChange until pcscd reports the card present/absent."""
        from smartcard import scard

        hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        assert hresult == scard.SCARD_S_SUCCESS, scard.SCardGetErrorMessage(hresult)
        try:
            state = scard.SCARD_STATE_UNAWARE
            deadline = time.monotonic() + timeout
            while True:
                remaining_ms = max(0, int((deadline - time.monotonic()) * 1000))
                hresult, states = scard.SCardGetStatusChange(
                    context, remaining_ms, [(self.name, state)]
                )
                if hresult != scard.SCARD_S_SUCCESS:
                    return False
                _name, event, _atr = states[0]
                if bool(event & scard.SCARD_STATE_PRESENT) == present and not (
                    event & scard.SCARD_STATE_MUTE
                ):
                    return True
                state = event & ~scard.SCARD_STATE_CHANGED
        finally:
            scard.SCardReleaseContext(context)


#: One test session at a time may use the machine's pcscd and its fixed vpcd ports.
MACHINE_LOCK = Path(tempfile.gettempdir()) / "motcua-kiosk-pcsc.lock"


_held_here = threading.Event()  # this process holds MACHINE_LOCK


def _open_lock_file() -> int:
    """The lock file, read-only (flock needs no more): another user's suite may have made it, and
    a sticky /tmp refuses O_CREAT on another user's file (fs.protected_regular)."""
    try:
        return os.open(MACHINE_LOCK, os.O_RDONLY)
    except FileNotFoundError:
        fd = os.open(MACHINE_LOCK, os.O_RDONLY | os.O_CREAT, 0o644)
        os.fchmod(fd, 0o644)
        return fd


@contextlib.contextmanager
def _machine_lock() -> Iterator[None]:
    """Hold the machine's PC/SC lock for the session.

    Two suites on one machine (two checkouts, a run beside CI) would otherwise put their virtual
    cards on the same vpcd slot and read each other's chips; the second one waits here instead.
    A second session fixture in the same process (``pcsc_service`` imported by two conftest
    files) would wait for itself: that fails at once, saying so.
    """
    if _held_here.is_set():
        pytest.fail("pcsc_service started twice in one test process: import the PC/SC fixtures "
                    "in one conftest only (tests/devices/conftest.py)", pytrace=False)
    with os.fdopen(_open_lock_file()) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"\nwaiting for another test session's PC/SC tests ({MACHINE_LOCK})", flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        _held_here.set()
        try:
            yield
        finally:
            _held_here.clear()
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def pcsc_service() -> Iterator[PcscService]:
    if not PCSCD.exists():
        pytest.skip(f"pcscd is not installed ({PCSCD}); install the Debian package pcscd")
    if not VPCD_DRIVER.exists():
        pytest.skip(f"the vpcd driver is not installed ({VPCD_DRIVER}); install vsmartcard-vpcd")
    with _machine_lock():
        yield from _started_service()


def _started_service() -> Iterator[PcscService]:
    service = PcscService()
    try:
        service.start()
    except RuntimeError as exc:
        if os.geteuid() != 0:
            pytest.skip(f"pcscd could not be started without root: {exc}")
        raise
    try:
        yield service
    finally:
        service.stop()


@pytest.fixture
def virtual_reader(pcsc_service: PcscService) -> VirtualReader:
    from smartcard.System import readers

    names = [str(r) for r in readers()]
    if TEST_READER not in names:
        pytest.fail(f"pcscd does not list {TEST_READER!r} (readers: {names}); is vpcd configured?")
    return VirtualReader(TEST_READER, READER_PORTS[TEST_READER])


class PrivatePcscd:
    """A pcscd of the test's own, in a private mount namespace (``unshare -m``), with its own
    socket and one vpcd reader device (two slots) on ``port``/``port + 1``: it can be stopped and
    started again, so its readers vanish and come back, without touching the shared pcscd.

    Clients reach it with ``PCSCLITE_CSOCK_NAME=<folder>/pcscd.comm``; libpcsclite reads that
    once per process, so they run in a child process (``client_env``)."""

    NAME = "Kiosk Hotplug PCD"

    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.run_dir, self.conf_dir = folder / "run", folder / "conf"
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.conf_dir.mkdir(parents=True, exist_ok=True)
        (self.conf_dir / "vpcd").write_text(
            f'FRIENDLYNAME "{self.NAME}"\nDEVICENAME /dev/null:{port:#x}\n'
            f"LIBPATH {VPCD_DRIVER}\nCHANNELID {port:#x}\n")
        self.process: subprocess.Popen[str] | None = None
        self.log: list[str] = []

    @property
    def socket(self) -> Path:
        return self.run_dir / "pcscd.comm"

    @property
    def readers(self) -> dict[str, int]:
        return {f"{self.NAME} 00 00": self.port, f"{self.NAME} 00 01": self.port + 1}

    def client_env(self) -> dict[str, str]:
        return {**os.environ, "PCSCLITE_CSOCK_NAME": str(self.socket)}

    def start(self, timeout: float = 10.0) -> None:
        """Start it and wait (on its log, not a sleep) for "daemon ready"."""
        script = (f"mount --make-rprivate / && mount --bind {self.run_dir} {SOCKET.parent} && "
                  f"exec {PCSCD} --foreground --info -c {self.conf_dir}")
        self.process = subprocess.Popen(
            ["unshare", "-m", "sh", "-c", script], stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, env={**os.environ, "LANG": "C"},
            preexec_fn=_die_with_parent)
        ready = threading.Event()

        def drain(stream: Any) -> None:
            for line in stream:
                self.log = [*self.log[-50:], line.rstrip()]
                if "daemon ready" in line:
                    ready.set()
            ready.set()

        assert self.process.stdout is not None
        self._drain = threading.Thread(target=drain, args=(self.process.stdout,),
                                       name="private-pcscd-log", daemon=True)
        self._drain.start()
        deadline = time.monotonic() + timeout
        if (not ready.wait(timeout) or self.process.poll() is not None
                or not _until_listening((self.port, self.port + 1), deadline)):
            tail = " / ".join(self.log[-5:])
            self.stop()
            raise RuntimeError(f"the private pcscd did not start: {tail}")

    def stop(self, timeout: float = 5.0) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)
        self._drain.join(timeout=timeout)
        if process.stdout is not None:
            process.stdout.close()


def _until_listening(ports: tuple[int, ...], deadline: float) -> bool:
    """Wait until the vpcd driver listens on ``ports`` (pcscd may say "daemon ready" a moment
    before its reader driver has opened them); read from /proc/net/tcp, so no card is inserted by
    a probing connection."""
    wanted = {f"{port:04X}" for port in ports}
    while time.monotonic() < deadline:
        listening = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                rows = Path(table).read_text().splitlines()[1:]
            except OSError:
                continue
            listening |= {row.split()[1].rsplit(":", 1)[1] for row in rows if row.split()[3] == "0A"}
        if wanted <= listening:
            return True
        time.sleep(0.02)  # a bounded wait on the kernel's table; pcscd offers no event for it
    return False


def free_port_pair(below: int = 30_000) -> int:
    """A port ``p`` where ``p`` and ``p + 1`` are free, under the kernel's range of ephemeral ports:
    a port in that range (35965 is, by Linux's default 32768-60999) can be taken at any moment by
    the local end of one of the suite's own connections, and the vpcd driver then cannot listen."""
    first_ephemeral = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    for port in range(min(below, first_ephemeral) - 2, 1024, -2):
        if all(_bindable(candidate) for candidate in (port, port + 1)):
            return port
    raise RuntimeError("no two free ports in a row under the ephemeral range")


def _bindable(port: int) -> bool:
    with socket.socket() as probe:  # as the vpcd driver binds: any address, SO_REUSEADDR
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("", port))
        except OSError:
            return False
    return True


@pytest.fixture
def private_pcscd(tmp_path: Path, pcsc_service: PcscService) -> Iterator[PrivatePcscd]:
    """A pcscd to stop and start again (needs root for ``unshare -m``, like starting pcscd)."""
    if os.geteuid() != 0:
        pytest.skip("a private pcscd needs root (a private mount namespace for its socket)")
    daemon = PrivatePcscd(tmp_path, free_port_pair())
    daemon.start()
    try:
        yield daemon
    finally:
        daemon.stop()
