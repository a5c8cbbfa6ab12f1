"""The barcode scanner interface every backend implements, and the events it delivers.

A scanner is a device that comes and goes: the reading thread opens it, reports
``ScannerAttached``, reads until the device fails (unplugged: ``ScannerDetached``), then tries to
open it again every ``retry_s`` seconds (sooner when ``nudge()`` says a device was plugged in), so
a scanner plugged back in is used again within a second or so without anyone restarting the kiosk.
``start()`` never fails because the device is missing; only a wrong configuration raises.

Events go to subscribers on the scanner's own thread; the GUI turns them into Qt signals.
``Scanned.text`` is what the scanner sent, decoded as UTF-8 (invalid bytes become U+FFFD, which
the QR classifier rejects as not text); ``keyboard`` says the text went through a keyboard layout,
where Vietnamese letters do not survive.
"""

from __future__ import annotations

import abc
import contextlib
import dataclasses
import errno
import logging
import os
import select
import threading
import time
from collections.abc import Callable
from typing import ClassVar, Protocol

from devices._subscribers import Subscribers
from devices.scanner.errors import ScannerError, ScannerNotFound, ScannerTimeout
from devices.scanner.framing import Framer

__all__ = ["Scanned", "Scanner", "ScannerAttached", "ScannerDetached", "ScannerEvent", "Source",
           "WakePipe"]

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, slots=True)
class ScannerAttached:
    name: str


@dataclasses.dataclass(frozen=True, slots=True)
class ScannerDetached:
    name: str
    reason: str  # for staff and logs; never scanned data


@dataclasses.dataclass(frozen=True, slots=True)
class Scanned:
    text: str
    raw: bytes
    source: str  # the backend's kind: "serial", "hidpos", "wedge", "virtual"
    keyboard: bool = False

    def __repr__(self) -> str:  # a CCCD code is a citizen's identity: never show it
        return f"Scanned({self.source}, {len(self.raw)} bytes, keyboard={self.keyboard})"


ScannerEvent = ScannerAttached | ScannerDetached | Scanned


class Source(Protocol):
    """An open device as the reading thread sees it. A source may also have ``cancel()``: called
    by ``Scanner.stop`` from another thread, it ends a waiting ``read`` at once (and a read that
    starts afterwards), so stopping never waits out the idle timeout."""

    def read(self, timeout: float) -> bytes:
        """Bytes that arrived within ``timeout`` (b"" if none); raises ``OSError`` when the
        device is gone."""

    def close(self) -> None: ...


class WakePipe:
    """Lets another thread end a ``select`` on a device at once: the wait includes the pipe."""

    def __init__(self) -> None:
        self._read_fd, self._write_fd = os.pipe()
        os.set_blocking(self._read_fd, False)
        os.set_blocking(self._write_fd, False)

    def wait(self, fd: int, timeout: float) -> bool:
        """Wait up to ``timeout`` s for ``fd`` to be readable; False when woken or timed out."""
        ready, _, _ = select.select([fd, self._read_fd], [], [], timeout)
        return fd in ready and self._read_fd not in ready

    def wake(self) -> None:
        with contextlib.suppress(BlockingIOError, OSError):
            os.write(self._write_fd, b"x")

    def close(self) -> None:
        for fd in (self._read_fd, self._write_fd):
            with contextlib.suppress(OSError):
                os.close(fd)


class FrameSplitter(Protocol):
    """Cuts a device's bytes into codes: ``Framer`` (terminated lines), or a HID-POS report reader."""

    def feed(self, data: bytes, now: float, /) -> list[bytes]: ...

    def flush_if_idle(self, now: float, /) -> list[bytes]: ...

    def reset(self) -> None: ...

    @property
    def pending(self) -> bool:
        """Part of a code has arrived and its end has not (it may be flushed when idle)."""


class Scanner(abc.ABC):
    kind: ClassVar[str] = "scanner"
    #: the text was typed through a keyboard layout (accents of Vietnamese letters are lost)
    keyboard: ClassVar[bool] = False

    def __init__(self, *, name: str, framer: FrameSplitter | None = None, retry_s: float = 0.5,
                 poll_s: float = 0.05, idle_s: float = 5.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """``poll_s``: the longest wait for more bytes while part of a code has arrived (its end
        is then found by time); ``idle_s``: the longest wait while nothing is pending (a waiting
        kiosk's scanner thread wakes every few seconds; ``stop()`` cancels the wait)."""
        if retry_s <= 0 or poll_s <= 0 or idle_s < poll_s:
            raise ValueError("retry_s and poll_s must be positive, idle_s at least poll_s")
        self.name = name
        self._framer: FrameSplitter = framer or Framer()
        self._retry_s, self._poll_s, self._idle_s, self._clock = retry_s, poll_s, idle_s, clock
        self._subscribers: Subscribers[ScannerEvent] = Subscribers()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._source: Source | None = None  # the open device, while the thread reads it
        self._attached = False
        self._last_problem = ""

    # -- what users of a scanner call ------------------------------------------------------------
    def subscribe(self, callback: Callable[[ScannerEvent], object]) -> Callable[[], None]:
        """Call ``callback(event)`` on the scanner thread; returns an unsubscribe function."""
        return self._subscribers.add(callback)

    @property
    def attached(self) -> bool:
        """Whether the device is open and being read right now."""
        return self._attached

    @property
    def last_problem(self) -> str:
        """Why the device is not attached (for staff), or "" while it is."""
        return "" if self._attached else self._last_problem

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"scanner-{self.kind}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        thread = self._thread
        if thread is None:
            return
        self._stop.set()
        self._wake.set()
        cancel = getattr(self._source, "cancel", None)  # end the read waiting now (no idle wait)
        if cancel is not None:
            cancel()
        thread.join(timeout)
        if thread.is_alive():
            raise ScannerTimeout()
        self._thread = None

    def check(self) -> None:
        """Open the device and close it again without reading (for `kiosk doctor`); raises
        ``ScannerNotFound`` when it is not there. Not while the scanner is started."""
        if self._thread is not None:
            raise RuntimeError("the scanner is running")
        try:
            source = self._open()
        except OSError as exc:
            raise ScannerNotFound(_describe(exc)) from None
        _close_quietly(source)

    def nudge(self) -> None:
        """A device was plugged in somewhere: try to open ours now rather than at the next retry."""
        self._wake.set()

    def __enter__(self) -> Scanner:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- what backends provide -------------------------------------------------------------------
    @abc.abstractmethod
    def _open(self) -> Source:
        """Open the device; raises ``ScannerNotFound`` (or ``OSError``) when it is not there."""

    # -- the reading thread ----------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                source = self._open()
            except (OSError, ScannerError) as exc:
                self._note_problem(_describe(exc))
                self._wake.wait(self._retry_s)
                self._wake.clear()
                continue
            try:
                self._source = source
                self._attached = True
                self._subscribers.emit(ScannerAttached(self.name))
                self._read_until_gone(source)
            finally:
                self._source = None
                _close_quietly(source)
                self._framer.reset()
                if self._attached:
                    self._attached = False
                    self._subscribers.emit(ScannerDetached(self.name, self._last_problem))

    def _read_until_gone(self, source: Source) -> None:
        while not self._stop.is_set():
            try:
                data = source.read(self._poll_s if self._framer.pending else self._idle_s)
            except (OSError, ScannerError) as exc:
                self._last_problem = _describe(exc)
                log.warning("Scanner %s went away: %s", self.name, self._last_problem)
                return
            now = self._clock()
            for frame in self._framer.feed(data, now) + self._framer.flush_if_idle(now):
                self._subscribers.emit(self._scanned(frame))
        self._last_problem = "stopped"

    def _scanned(self, frame: bytes) -> Scanned:
        return Scanned(frame.decode("utf-8", errors="replace"), frame, self.kind, self.keyboard)

    def _note_problem(self, problem: str) -> None:
        if problem != self._last_problem:
            log.info("Scanner %s not available: %s", self.name, problem)
        self._last_problem = problem


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"{type(exc).__name__}: {errno.errorcode.get(exc.errno, exc.errno)}"
    return f"{type(exc).__name__}: {exc}"


def _close_quietly(source: Source) -> None:
    try:
        source.close()
    except OSError as exc:
        log.debug("Closing the scanner failed: %s", exc)
