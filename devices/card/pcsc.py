"""PC/SC card readers through pyscard: readers and cards as pcscd reports them, and chip reads.

The monitor thread waits in ``SCardGetStatusChange`` on every reader plus pcscd's Plug-and-Play
pseudo-reader ``\\\\?PnP?\\Notification``, so it wakes on events, never on a timer: a reader
plugged in or pulled out (PnP), a card put down or taken away (the reader's state). Each wait
has a long finite timeout as a safety net; ``stop()`` wakes it at once with ``SCardCancel``.
A card already on a reader when the kiosk starts is reported like one put down then. If pcscd
itself goes away every reader is reported removed and the thread reconnects with a growing
pause (the only waiting it does without an event, because a stopped pcscd sends none).

``read_identity(timeout, key)`` reads the card on the reader whose card arrived last (a kiosk
may have several readers, or one device with contact and contactless slots; only the one with
a card matters) and runs ``read_document``: PACE-CAN (BAC fallback), chip authentication, the
data groups, passive authentication against the CSCA store (``csca_dir``, CRLs in
``crl_dir``) and active authentication. The chip cannot be opened without its key (the ID
number's last 6 digits), so ``key=None`` raises ``KeyRequired`` before touching the card.
``ReadProgress`` events arrive on the calling thread.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

from smartcard import scard

from devices.card import errors
from devices.card.base import (
    CardInserted,
    CardRead,
    CardReader,
    CardRemoved,
    KeyRequired,
    ReaderAdded,
    ReaderRemoved,
)
from devices.card.chip.files import EMRTD_AID

__all__ = ["EMRTD_AID", "EXTENDED_CHOICES", "PNP_READER", "PcscCardReader", "SELECT_EMRTD"]

log = logging.getLogger(__name__)

SELECT_EMRTD = [0x00, 0xA4, 0x04, 0x0C, len(EMRTD_AID), *EMRTD_AID]
PNP_READER = "\\\\?PnP?\\Notification"
EXTENDED_CHOICES = ("auto", "on", "off")
_SERVICE_GONE = {scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED}
_READERS_CHANGED = {scard.SCARD_E_UNKNOWN_READER, scard.SCARD_E_READER_UNAVAILABLE,
                    scard.SCARD_E_NO_READERS_AVAILABLE}
_NO_SERVICE_MSG = (
    "The smart card service (pcscd) is not running, so no card reader can be used. "
    "Staff: ask IT to start pcscd, or ask the citizen to type the ID number or show the QR code."
)


def _establish() -> int:
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult in _SERVICE_GONE:
        raise errors.NoReader(_NO_SERVICE_MSG)
    if hresult != scard.SCARD_S_SUCCESS:
        raise errors.NoReader(f"{errors.NoReader.default_message} ({scard.SCardGetErrorMessage(hresult)})")
    return context


class PcscCardReader(CardReader):
    def __init__(self, reader: str | None = None, wake_s: float = 30.0, *,
                 csca_dir: str | Path | None = None, crl_dir: str | Path | None = None,
                 block_size: int = 0xDF, extended_length: str = "auto") -> None:
        """``reader``: use only readers whose name contains this text (default: any).
        ``csca_dir``: trusted CSCAs (a folder of certificates and master lists, a certificate
        or an ICAO master list); None/"": none, so chips read but are reported "issuer not
        checked". ``crl_dir``: CRLs (a folder or a file); None/"": revocation not checked.
        ``extended_length``: "auto" (when the reader and the chip both say they can), "on"
        (when the chip says it can), "off". ``wake_s``: the longest event wait (a safety
        net; events wake the monitor at once)."""
        super().__init__()
        if extended_length not in EXTENDED_CHOICES:
            raise ValueError(f"extended_length must be one of {EXTENDED_CHOICES}")
        self.reader_filter = reader
        self.wake_s = wake_s
        self.csca_dir, self.crl_dir = csca_dir, crl_dir
        self.block_size = block_size
        self.extended_length = extended_length
        self._csca: Any = None
        self._csca_lock = threading.Lock()
        self._lock = threading.Lock()
        self._present: dict[str, bool] = {}  # reader name -> card present
        self._raw: dict[str, int] = {}  # reader name -> last event state, fed back to PC/SC
        self._arrivals: list[str] = []  # readers with a card, the most recent arrival last
        self._pnp_state = scard.SCARD_STATE_UNAWARE
        self._stop = threading.Event()
        self._first_status = threading.Event()  # start() returns once the state is known
        self._thread: threading.Thread | None = None
        self._context: int | None = None

    # -- lifecycle --------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._context = _establish()  # raises NoReader when pcscd is not running
        self._stop.clear()
        self._first_status.clear()
        self._thread = threading.Thread(target=self._run, name="pcsc-monitor", daemon=True)
        self._thread.start()
        self._first_status.wait(timeout=5.0)

    def stop(self, timeout: float = 2.0) -> None:
        thread = self._thread
        if thread is None:
            return
        self._stop.set()
        end = time.monotonic() + timeout
        # cancel until the thread is out: it may enter its wait just after a cancel
        while thread.is_alive() and time.monotonic() < end:
            with self._lock:
                if self._context is not None:
                    scard.SCardCancel(self._context)
            thread.join(0.05)
        if thread.is_alive():
            raise errors.CardTimeout("The card reader monitor did not stop in time.")
        self._thread = None
        with self._lock:
            self._present.clear()
            self._raw.clear()
            self._arrivals.clear()
            self._pnp_state = scard.SCARD_STATE_UNAWARE

    def readers(self) -> list[str]:
        with self._lock:
            return sorted(self._present)

    def card_present(self) -> bool:
        with self._lock:
            return any(self._present.values())

    # -- monitoring thread ----------------------------------------------------------------------
    def _run(self) -> None:
        pause = 0.5
        try:
            while not self._stop.is_set():
                if self._context is None:
                    if not self._reconnect():
                        self._stop.wait(pause)
                        pause = min(pause * 2, 5.0)
                        continue
                    pause = 0.5
                self._wait_for_events()
                self._first_status.set()
        except Exception:  # noqa: BLE001 - report, never die silently
            log.exception("The PC/SC monitor thread failed")
        finally:
            self._first_status.set()
            self._release_context()

    def _reconnect(self) -> bool:
        try:
            context = _establish()
        except errors.NoReader:
            return False
        with self._lock:
            self._context = context
            self._pnp_state = scard.SCARD_STATE_UNAWARE
        return True

    def _list(self) -> list[str] | None:
        """The readers pcscd has now (filtered); None if pcscd went away."""
        assert self._context is not None
        hresult, names = scard.SCardListReaders(self._context, [])
        if hresult in _SERVICE_GONE:
            return None
        if hresult != scard.SCARD_S_SUCCESS:
            return []
        return [n for n in names if self.reader_filter is None or self.reader_filter in n]

    def _wait_for_events(self) -> None:
        """One SCardGetStatusChange over every reader and the PnP pseudo-reader."""
        names = self._list()
        if self._stop.is_set():
            return
        if names is None:
            self._service_lost()
            return
        self._sync_readers(names)
        with self._lock:
            states = [(n, self._raw.get(n, scard.SCARD_STATE_UNAWARE)) for n in names]
            states.append((PNP_READER, self._pnp_state))
        hresult, changes = scard.SCardGetStatusChange(self._context, int(self.wake_s * 1000),
                                                     states)
        if hresult in _SERVICE_GONE:
            self._service_lost()
        elif hresult == scard.SCARD_S_SUCCESS:
            self._apply(changes)
        elif hresult not in (scard.SCARD_E_TIMEOUT, scard.SCARD_E_CANCELLED, *_READERS_CHANGED):
            log.warning("PC/SC status wait failed: %s", scard.SCardGetErrorMessage(hresult))
            self._stop.wait(1.0)  # an unexpected error must not spin

    def _apply(self, changes: list[tuple[str, int, list[int]]]) -> None:
        for name, event_state, _atr in changes:
            state = event_state & ~scard.SCARD_STATE_CHANGED
            if name == PNP_READER:
                with self._lock:
                    self._pnp_state = state  # the reader count; the next wait re-lists readers
                continue
            if event_state & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE):
                continue  # the reader is going away: the PnP change and the next list say so
            with self._lock:
                self._raw[name] = state
            present = bool(event_state & scard.SCARD_STATE_PRESENT) and not (
                event_state & scard.SCARD_STATE_MUTE)
            self._card_state(name, present)

    def _sync_readers(self, names: list[str]) -> None:
        with self._lock:
            added = [n for n in names if n not in self._present]
            removed = [n for n in self._present if n not in names]
            for name in added:
                self._present[name] = False
            gone = {n: self._present.pop(n) for n in removed}
            for name in removed:
                self._raw.pop(name, None)
                if name in self._arrivals:
                    self._arrivals.remove(name)
        for name in added:
            self._emit(ReaderAdded(name))
        for name, had_card in gone.items():
            if had_card:
                self._emit(CardRemoved(name))
            self._emit(ReaderRemoved(name))

    def _card_state(self, name: str, present: bool) -> None:
        with self._lock:
            if name not in self._present or self._present[name] == present:
                return
            self._present[name] = present
            if name in self._arrivals:
                self._arrivals.remove(name)
            if present:
                self._arrivals.append(name)
        self._emit(CardInserted(name) if present else CardRemoved(name))

    def _service_lost(self) -> None:
        log.warning("pcscd went away; waiting for it to come back")
        self._sync_readers([])
        self._release_context()

    def _release_context(self) -> None:
        with self._lock:
            context, self._context = self._context, None
        if context is not None:
            scard.SCardReleaseContext(context)

    # -- reading ------------------------------------------------------------------------------------
    def read_identity(self, timeout: float = 10.0, key: Any = None) -> CardRead:
        """Read and verify the chip on the reader whose card arrived last, on the calling thread.

        ``key``: a ``reader_session.AccessKey`` (``AccessKey.from_id(id12, dob)`` from the QR
        or the typed ID). One deadline (``timeout``) covers the whole read.
        """
        from devices.card.reader_session import read_document, to_card_read
        from devices.card.transport import PcscTransport

        name = self._reader_with_card()
        if key is None:
            raise KeyRequired()
        csca = self._trust()
        with PcscTransport.open(name, exact=True) as transport:
            if self.extended_length == "on":
                transport.extended_length = True
            doc = read_document(transport, key, csca=csca, block_size=self.block_size,
                                extended=False if self.extended_length == "off" else None,
                                progress=self._emit, timeout=timeout,
                                apdu_timeout=min(5.0, timeout))
        return to_card_read(doc)

    def _reader_with_card(self) -> str:
        if self._thread is None:
            raise errors.NoReader()
        with self._lock:
            arrivals = list(self._arrivals)
            any_reader = bool(self._present)
        if not any_reader:
            raise errors.NoReader()
        if not arrivals:
            raise errors.NoCard()
        return arrivals[-1]

    def _trust(self) -> Any:
        """The CSCA store, loaded once; a missing or unreadable store is for IT to fix."""
        from devices.card.reader_session import trust_store

        with self._csca_lock:
            if self._csca is None:
                self._csca = trust_store(self.csca_dir, self.crl_dir)
            return self._csca
