"""What the start-up and idle benchmarks share: a private Xvfb display and the kiosk run on it.

The kiosk is started as a person starts it (``python -m kiosk run``, demo mode: virtual devices and
the embedded reference portal, data in a fresh folder) and reports the CLOCK_MONOTONIC time of its
first painted frame through ``--first-frame-file``; CLOCK_MONOTONIC is the same clock in every
process of the machine, so that time minus the time just before ``exec`` is what the citizen waits.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = ["BenchError", "KioskProcess", "bench_env", "process_cpu_s", "xvfb_display"]

XVFB = "Xvfb"
SCREEN = "1280x800x24"


class BenchError(RuntimeError):
    """The benchmark could not measure (no Xvfb, the kiosk did not start or paint)."""


@contextlib.contextmanager
def xvfb_display(timeout_s: float = 10.0) -> Iterator[str]:
    """A private Xvfb server for the duration; yields its DISPLAY (":N")."""
    binary = shutil.which(XVFB)
    if binary is None:
        raise BenchError("Xvfb is not installed (Debian package xvfb)")
    read_fd, write_fd = os.pipe()
    process = subprocess.Popen([binary, "-displayfd", str(write_fd), "-screen", "0", SCREEN, "-nolisten", "tcp"],
                               pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        number = _read_line(read_fd, timeout_s)
        if not number:
            raise BenchError("Xvfb did not start")
        yield f":{number}"
    finally:
        os.close(read_fd)
        end_process(process, timeout_s)


def end_process(process: subprocess.Popen[bytes], timeout_s: float,
                signum: int = signal.SIGTERM) -> None:
    """Ask ``process`` to end (``signum``), then kill it if it has not within ``timeout_s``."""
    if process.poll() is not None:
        return
    process.send_signal(signum)
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout_s)


def _read_line(fd: int, timeout_s: float) -> str:
    import selectors

    data = b""
    deadline = time.monotonic() + timeout_s
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while not data.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                return ""
            chunk = os.read(fd, 64)
            if not chunk:
                break
            data += chunk
    return data.decode("ascii", "replace").strip()


@contextlib.contextmanager
def separate_portal(pycache: Path, timeout_s: float = 30.0) -> Iterator[str]:
    """The reference portal in a process of its own, as a deployed kiosk has its portal on another
    machine (production refuses the embedded one); yields its URL."""
    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-portal-"))
    log_path = folder / "portal.log"
    with log_path.open("wb") as log_file:  # a file: a full pipe would block the portal
        process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "portal", "serve", "--port", "0",
             "--db", str(folder / "portal.sqlite3")],
            env=bench_env(pycache), stdout=subprocess.DEVNULL, stderr=log_file)
    try:
        deadline = time.monotonic() + timeout_s
        while "listening on " not in (text := log_path.read_text("utf-8", "replace")):
            if process.poll() is not None or time.monotonic() > deadline:
                raise BenchError(f"the reference portal did not start: {text[-300:]}")
            time.sleep(0.05)  # a bench polls a file; nothing measured runs yet
        yield text.split("listening on ", 1)[1].split()[0]
    finally:
        end_process(process, timeout_s)
        shutil.rmtree(folder, ignore_errors=True)


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process, all its threads (/proc/PID/stat, Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_env(pycache: Path) -> dict[str, str]:
    """The environment a timed kiosk process gets: no KIOSK_* settings from the caller, and its
    compiled bytecode kept (in ``pycache``, outside the source tree) as an installed kiosk keeps it,
    even where the caller's environment says not to write bytecode."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_") and k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


class KioskProcess:
    """``kiosk run --windowed`` in demo mode on ``display``, in its own data folder; ``pycache``
    is kept from one start to the next (see ``bench_env``)."""

    def __init__(self, display: str, pycache: Path, extra_args: tuple[str, ...] = ()) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
        self.first_frame_file = self._folder / "first-frame"
        env = bench_env(pycache)
        env |= {"DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "HOME": str(self._folder),
                "XDG_DATA_HOME": str(self._folder / "data"), "XDG_RUNTIME_DIR": str(self._folder)}
        os.chmod(self._folder, 0o700)
        env["KIOSK_OPS_METRICS_PORT"] = "0"  # a free port: never another kiosk's
        self._argv = [sys.executable, "-m", "kiosk", "run", "--windowed", "--data-dir", str(self._folder / "kiosk"),
                      "--first-frame-file", str(self.first_frame_file), *extra_args]
        self._env = env
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self._stderr_path = self._folder / "stderr.txt"

    def start(self) -> None:
        with self._stderr_path.open("wb") as stderr:  # a file: a full pipe would block the kiosk
            self.started_at = time.monotonic()
            self.process = subprocess.Popen(self._argv, env=self._env, stdout=subprocess.DEVNULL,
                                            stderr=stderr)

    def wait_first_frame(self, timeout_s: float = 60.0) -> float:
        """Seconds from exec to the first painted frame."""
        assert self.process is not None
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.first_frame_file.is_file() and self.first_frame_file.read_text().endswith("\n"):
                return float(self.first_frame_file.read_text()) - self.started_at
            if self.process.poll() is not None:
                raise BenchError(f"the kiosk exited ({self.process.returncode}) before painting: "
                                 f"{self._stderr_tail()}")
            time.sleep(0.01)  # a bench polls a file; the kiosk is not slowed by it
        raise BenchError(f"the kiosk painted nothing within {timeout_s:g} s")

    def stop(self, timeout_s: float = 20.0) -> None:
        if self.process is not None:
            end_process(self.process, timeout_s)
        shutil.rmtree(self._folder, ignore_errors=True)

    def _stderr_tail(self) -> str:
        return self._stderr_path.read_bytes().decode("utf-8", "replace")[-500:]

    def __enter__(self) -> KioskProcess:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
