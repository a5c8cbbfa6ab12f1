"""A real, scriptable in-process card reader for tests, demos and staff training.

It behaves like a PC/SC reader with one slot: ``insert(profile)``/``remove()`` play the citizen's
hand, events arrive on the reader's own worker thread, and reads run on that thread too. A read is
the real protocol: the profile becomes a ``VirtualChip`` (files signed by the TEST-ONLY PKI in
``assets/test-pki``; built once per profile, since building signs things) and the reader talks to
it through ``InProcessTransport`` with ``read_document``: PACE-CAN (BAC fallback), secure
messaging, every listed data group, passive and active authentication, with the real
``ReadProgress`` events. So the demo and the UI tests exercise the code a real card will.

Where the access key comes from (``access``):

- ``"profile"`` (default, demo mode): the CAN and the BAC data come from the inserted profile, as
  if the citizen had typed the ID number or shown the card's QR code (ID, date of birth, issue
  date -> expiry by the renewal rule) before putting the card down;
- ``"required"``: like a real reader, ``read_identity`` needs ``key=`` and raises
  ``KeyRequired`` without it.

``read_delay_s`` spreads that much artificial time over a read's APDUs (a real chip needs about
a second), so the demo's progress bar is visible and tests can pull the card mid-read; removal,
``stop()`` and the timeout interrupt the wait at once.
"""

from __future__ import annotations

import collections
import concurrent.futures
import dataclasses
import logging
import math
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from devices.card import errors
from devices.card.base import (
    CardInserted,
    CardRead,
    CardReader,
    CardRemoved,
    KeyRequired,
    ReaderAdded,
)
from devices.card.profiles import CardProfile, expected_expiry
from devices.card.transport import Transport

__all__ = ["ACCESS_SOURCES", "VirtualCardReader", "profile_access_key"]

log = logging.getLogger(__name__)
ACCESS_SOURCES = ("profile", "required")
_BLOCK = 0xDF  # short-APDU block size, as a real read uses (cccd.md section 4)
_OVERHEAD_APDUS = 12  # PACE, SELECT, AA... around the READ BINARYs, for pacing only
_CACHE_SIZE = 16  # built chips kept (a demo has a handful of profiles)


def profile_access_key(profile: CardProfile) -> Any:
    """The key a citizen gives by typing the ID or showing the QR: CAN from the ID, BAC data
    from the ID, date of birth and the expiry the renewal rule gives (none: guessed)."""
    from devices.card.reader_session import AccessKey

    expiry = expected_expiry(profile.date_of_birth, profile.issue_date)
    return AccessKey.from_id(profile.id_number, profile.date_of_birth.strftime("%y%m%d"),
                             None if expiry is None else expiry.strftime("%y%m%d"))


@dataclasses.dataclass
class _ReadJob:
    generation: int
    deadline: float
    key: Any = None
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
        *,
        access: str = "profile",
        csca_dir: str | Path | None = None,
        crl_dir: str | Path | None = None,
        pki: Any = None,
    ) -> None:
        """``csca_dir``: trusted CSCAs (folder, certificate or master list); None/"": the
        TEST-ONLY CSCA that signed the virtual chips. ``crl_dir``: CRLs (None: not checked).
        ``pki``: a ``lds.pki.SigningPki`` to build chips with (default: the TEST-ONLY one in
        assets/test-pki)."""
        super().__init__()
        if access not in ACCESS_SOURCES:
            raise ValueError(f"access must be one of {ACCESS_SOURCES}, not {access!r}")
        self.reader_name = reader_name
        self.read_delay_s = read_delay_s
        self.access = access
        self.csca_dir, self.crl_dir = csca_dir, crl_dir
        self._pki = pki
        self._csca: Any = None  # loaded on first read, on the reader thread
        self._chips: collections.OrderedDict[CardProfile, Any] = collections.OrderedDict()
        self._clock = clock
        self._cond = threading.Condition()
        self._card: CardProfile | None = None
        self._chip: Any = None  # a chip given with the card (forged, clone...); else built
        self._generation = 0  # bumped on every insert/remove, so a read knows its card left
        self._fail_next: errors.CardError | None = None
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._stopping = False

    # -- scripting: the citizen's hand ------------------------------------------------------
    def insert(self, profile: CardProfile, chip: Any = None) -> None:
        """Put ``profile``'s card on the reader (replacing any card already there).

        ``chip``: a ``VirtualChip`` to use instead of the one built from the profile (a forged,
        cloned, BAC-only or hostile card for tests and staff training)."""
        with self._cond:
            if self._card is not None:
                self._post(CardRemoved(self.reader_name))
            self._card, self._chip = profile, chip
            self._generation += 1
            self._cond.notify_all()
            self._post(CardInserted(self.reader_name))

    def remove(self) -> None:
        """Take the card away; a read in progress fails with ``errors.CardRemoved``."""
        with self._cond:
            if self._card is None:
                return
            self._card = self._chip = None
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

    def read_identity(self, timeout: float = 10.0, key: Any = None) -> CardRead:
        with self._cond:
            if self._thread is None or self._stopping:
                raise errors.NoReader()
            if self._card is None:
                raise errors.NoCard()
            if key is None and self.access == "required":
                raise KeyRequired()
            job = _ReadJob(self._generation, self._clock() + timeout, key)
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
                if isinstance(item, CardInserted):
                    self._prepare()

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
        from devices.card.chip import InProcessTransport
        from devices.card.reader_session import read_document, to_card_read

        with self._cond:
            profile, given, failure, self._fail_next = self._card, self._chip, self._fail_next, None
        if profile is None or self._generation != job.generation:
            raise errors.CardRemoved()
        chip = given if given is not None else self._chip_for(profile)
        chip.reset()  # a fresh power-up: no session left from the previous read
        transport = _PacedTransport(InProcessTransport(chip), self, job,
                                    self.read_delay_s / _expected_apdus(chip))
        doc = read_document(
            transport, job.key or profile_access_key(profile), csca=self._trust(),
            progress=self._emit, timeout=max(0.0, job.deadline - self._clock()),
            clock=self._clock,
        )
        if failure is not None:
            raise failure
        return to_card_read(doc)

    def _prepare(self) -> None:
        """Build the inserted card's chip now (signing takes a moment) rather than at the read."""
        with self._cond:
            profile, given = self._card, self._chip
        if profile is not None and given is None:
            try:
                self._chip_for(profile)
            except Exception:  # noqa: BLE001 - the read will report it; the thread must live
                log.exception("Could not build the virtual chip for a profile")

    def _chip_for(self, profile: CardProfile) -> Any:
        """This reader's chip for ``profile`` (reader thread only), from files built once."""
        from devices.card.chip import VirtualChip

        chip = self._chips.get(profile)
        if chip is None:
            built = _built_chip(profile, self._pki)
            chip = VirtualChip(built.files, built.keys)  # own state: session, PACE counter
            self._chips[profile] = chip
            while len(self._chips) > _CACHE_SIZE:
                self._chips.popitem(last=False)
        self._chips.move_to_end(profile)
        return chip

    def _trust(self) -> Any:
        from devices.card.lds import pki as pki_mod
        from devices.card.reader_session import trust_store

        if self._csca is None:
            configured = self.csca_dir not in (None, "")
            self._csca = trust_store(self.csca_dir if configured else pki_mod.TEST_PKI_DIR / "csca",
                                     self.crl_dir)
        return self._csca

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


_built: collections.OrderedDict[tuple[CardProfile, int], tuple[Any, Any]] = collections.OrderedDict()
_built_lock = threading.Lock()
_test_pki: list[Any] = []


def _built_chip(profile: CardProfile, pki: Any) -> Any:
    """Signed files and keys for ``profile``, shared by every reader in the process (building
    signs the SOD; the demo and the tests insert the same few profiles again and again)."""
    from devices.card.chip.builder import chip_from_profile
    from devices.card.lds import pki as pki_mod

    with _built_lock:
        if pki is None:
            if not _test_pki:
                _test_pki.append(pki_mod.load())
            pki = _test_pki[0]
        key = (profile, id(pki))
        entry = _built.get(key)
        if entry is None or entry[0] is not pki:  # (the pki is kept: its id stays its own)
            entry = _built[key] = (pki, chip_from_profile(profile, pki))
            while len(_built) > _CACHE_SIZE:
                _built.popitem(last=False)
        _built.move_to_end(key)
        return entry[1]


def _expected_apdus(chip: Any) -> int:
    return _OVERHEAD_APDUS + sum(math.ceil(len(data) / _BLOCK) for data in chip.files.values())


class _PacedTransport(Transport):
    """Wraps the in-process transport: before each APDU, wait the paced share of
    ``read_delay_s`` and stop at once if the card left, the reader stopped or time ran out."""

    def __init__(self, inner: Any, reader: VirtualCardReader, job: _ReadJob,
                 delay_s: float) -> None:
        self._inner, self._reader, self._job, self._delay_s = inner, reader, job, delay_s

    def transmit(self, apdu: bytes, timeout: float = 5.0) -> bytes:
        self._reader._pause(self._job, self._delay_s)
        return self._inner.transmit(apdu, timeout)

    def close(self) -> None:
        self._inner.close()
