"""A real, scriptable in-process card reader for tests, demos and staff training.

It behaves like a PC/SC reader with one slot: ``insert(profile)``/``remove()`` play the citizen's
hand, events arrive on the reader's own worker thread, and reads run on that thread too, file by
file with ``ReadProgress``, so a removal mid-read or a timeout interrupts them exactly as the GUI
will see on real hardware.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import logging
import queue
import threading
import time
from collections.abc import Callable

from devices.card import errors
from devices.card.base import (
    CardInserted,
    CardRead,
    CardReader,
    CardRemoved,
    ReaderAdded,
    ReaderRemoved,
    ReadProgress,
)
from devices.card.profiles import CardProfile

__all__ = ["VirtualCardReader", "file_sizes"]

log = logging.getLogger(__name__)
_CHUNK = 0xDF  # short-APDU block size a real read would use (cccd.md section 4)
_DG2_OVERHEAD = 60  # biometric header template and facial record header around the JPEG
_DG2_NO_PORTRAIT = 18_000  # a typical DG2 when the profile has no image


def file_sizes(profile: CardProfile) -> dict[str, int]:
    """Byte sizes of the files the chip would return for ``profile``, in read order."""
    dg1 = 5 + sum(len(line) for line in profile.mrz())
    portrait = profile.portrait_bytes()
    dg2 = _DG2_NO_PORTRAIT if portrait is None else len(portrait) + _DG2_OVERHEAD
    fields = [getattr(profile, f.name) for f in dataclasses.fields(profile)]
    text = [v for v in fields if isinstance(v, str)]
    dg13 = 24 + sum(len(v.encode("utf-8")) + 8 for v in text) + 4 * 10 * 3  # TLV + dates
    return {"DG1": dg1, "DG2": dg2, "DG13": dg13}


@dataclasses.dataclass
class _ReadJob:
    generation: int
    deadline: float
    future: concurrent.futures.Future[CardRead] = dataclasses.field(
        default_factory=concurrent.futures.Future
    )
    cancelled: bool = False


_STOP = object()


class VirtualCardReader(CardReader):
    def __init__(
        self,
        reader_name: str = "Virtual Kiosk Reader",
        read_delay_s: float = 0.3,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.reader_name = reader_name
        self.read_delay_s = read_delay_s
        self._clock = clock
        self._cond = threading.Condition()
        self._card: CardProfile | None = None
        self._generation = 0  # bumped on every insert/remove, so a read knows its card left
        self._fail_next: errors.CardError | None = None
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._stopping = False

    # -- scripting: the citizen's hand ------------------------------------------------------
    def insert(self, profile: CardProfile) -> None:
        """Put ``profile``'s card on the reader (replacing any card already there)."""
        with self._cond:
            if self._card is not None:
                self._post(CardRemoved(self.reader_name))
            self._card = profile
            self._generation += 1
            self._cond.notify_all()
            self._post(CardInserted(self.reader_name))

    def remove(self) -> None:
        """Take the card away; a read in progress fails with ``errors.CardRemoved``."""
        with self._cond:
            if self._card is None:
                return
            self._card = None
            self._generation += 1
            self._cond.notify_all()
            self._post(CardRemoved(self.reader_name))

    def _post(self, event: object) -> None:
        """Queue an event for the reader thread; a switched-off reader reports nothing."""
        if self._thread is not None and not self._stopping:
            self._queue.put(event)

    def fail_next_read(self, error: errors.CardError) -> None:
        """Make the next read raise ``error`` (e.g. ``AccessDenied()``) to exercise the GUI."""
        with self._cond:
            self._fail_next = error

    # -- CardReader ---------------------------------------------------------------------------
    def start(self) -> None:
        with self._cond:
            if self._thread is not None:
                return
            self._stopping = False
            self._queue = queue.SimpleQueue()  # nothing stale from a previous run
            self._thread = threading.Thread(
                target=self._run, args=(self._queue,), name="virtual-card-reader", daemon=True
            )
            self._thread.start()
            self._post(ReaderAdded(self.reader_name))
            if self._card is not None:
                self._post(CardInserted(self.reader_name))

    def stop(self, timeout: float = 2.0) -> None:
        thread = self._thread
        if thread is None:
            return
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
            self._queue.put(_STOP)
        thread.join(timeout)
        if thread.is_alive():
            raise errors.CardTimeout("The virtual reader did not stop in time.")
        with self._cond:
            self._thread = None

    def readers(self) -> list[str]:
        return [self.reader_name] if self._thread is not None else []

    def card_present(self) -> bool:
        with self._cond:
            return self._thread is not None and self._card is not None

    def read_identity(self, timeout: float = 10.0) -> CardRead:
        with self._cond:
            if self._thread is None or self._stopping:
                raise errors.NoReader()
            if self._card is None:
                raise errors.NoCard()
            job = _ReadJob(self._generation, self._clock() + timeout)
            self._queue.put(job)
        try:
            return job.future.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            with self._cond:
                job.cancelled = True
                self._cond.notify_all()
            raise errors.CardTimeout() from None

    # -- the reader thread ----------------------------------------------------------------------
    def _run(self, events: queue.SimpleQueue[object]) -> None:
        while True:
            item = events.get()
            if item is _STOP:
                return
            if isinstance(item, _ReadJob):
                self._serve(item)
            else:
                self._emit(item)  # type: ignore[arg-type]

    def _serve(self, job: _ReadJob) -> None:
        try:
            result = self._read(job)
        except errors.CardError as exc:
            job.future.set_exception(exc)
        except Exception:  # noqa: BLE001 - a bad profile must not kill the reader thread
            log.exception("Virtual read failed unexpectedly")
            job.future.set_exception(errors.MalformedData())
        else:
            job.future.set_result(result)

    def _read(self, job: _ReadJob) -> CardRead:
        started = self._clock()
        with self._cond:
            profile, failure, self._fail_next = self._card, self._fail_next, None
        if profile is None or self._generation != job.generation:
            raise errors.CardRemoved()
        sizes = file_sizes(profile)
        total_bytes = sum(sizes.values())
        for name, size in sizes.items():
            step = max(_CHUNK, -(-size // 4))  # at most ~4 progress events per file
            self._emit(ReadProgress(name, 0, size))
            for done in range(step, size + step, step):
                self._pause(job, self.read_delay_s * step / total_bytes)
                self._emit(ReadProgress(name, min(done, size), size))
        if failure is not None:
            raise failure
        portrait = profile.portrait_bytes()
        elapsed_ms = (self._clock() - started) * 1000.0
        return CardRead(profile.identity(), portrait, elapsed_ms)

    def _pause(self, job: _ReadJob, seconds: float) -> None:
        """Wait like the chip does, but wake at once if the card leaves or the read is abandoned."""
        with self._cond:
            self._cond.wait_for(
                lambda: self._generation != job.generation or job.cancelled or self._stopping,
                timeout=max(0.0, min(seconds, job.deadline - self._clock())),
            )
            if self._generation != job.generation:
                raise errors.CardRemoved()
            if self._stopping:
                raise errors.NoReader("The card reader was switched off during the read.")
            if job.cancelled or self._clock() >= job.deadline:
                raise errors.CardTimeout()
