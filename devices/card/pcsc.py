"""PC/SC card readers through pyscard: presence monitoring, and reading the CCCD chip.

A background thread polls the reader list and waits in ``SCardGetStatusChange`` with a short finite
timeout, so ``stop()`` returns promptly (``SCardCancel`` wakes it at once). If pcscd goes away the
thread reports every reader removed and keeps trying to reconnect.

``read_identity(timeout, key)`` opens the card on the first reader that has one
(``PcscTransport``) and runs ``read_document``: PACE-CAN (BAC fallback), the data groups EF.COM
lists, passive authentication against the CSCA store in ``csca_dir`` and active authentication.
The chip cannot be opened without its key (the CAN printed on the card = the ID number's last 6
digits), so ``key=None`` raises ``KeyRequired`` before touching the card: the UI asks for the ID
number or the QR code and reads again. ``ReadProgress`` events arrive on the calling thread.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from smartcard import scard

from devices.card import errors
from devices.card.chip.files import EMRTD_AID
from devices.card.base import (
    CardInserted,
    CardRead,
    CardReader,
    CardRemoved,
    KeyRequired,
    ReaderAdded,
    ReaderRemoved,
)

__all__ = ["EMRTD_AID", "PcscCardReader", "SELECT_EMRTD"]

log = logging.getLogger(__name__)

SELECT_EMRTD = [0x00, 0xA4, 0x04, 0x0C, len(EMRTD_AID), *EMRTD_AID]
_SERVICE_GONE = {scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED}
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
    def __init__(self, reader: str | None = None, poll_s: float = 0.25, *,
                 csca_dir: str | Path | None = None, block_size: int = 0xDF) -> None:
        """``reader``: use only the reader whose name contains this text (default: any).
        ``csca_dir``: trusted CSCA certificates (a folder of DER/PEM files, or an ICAO master
        list file); None/"": none, so chips read but are reported "issuer not checked"."""
        super().__init__()
        self.reader_filter = reader
        self.poll_s = poll_s
        self.csca_dir = csca_dir
        self.block_size = block_size
        self._csca: Any = None
        self._csca_lock = threading.Lock()
        self._lock = threading.Lock()
        self._present: dict[str, bool] = {}  # reader name -> card present
        self._raw: dict[str, int] = {}  # reader name -> last event state, fed back to PC/SC
        self._stop = threading.Event()
        self._first_poll = threading.Event()  # start() returns once the state is known
        self._thread: threading.Thread | None = None
        self._context: int | None = None

    # -- lifecycle --------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._context = _establish()  # raises NoReader when pcscd is not running
        self._stop.clear()
        self._first_poll.clear()
        self._thread = threading.Thread(target=self._run, name="pcsc-monitor", daemon=True)
        self._thread.start()
        self._first_poll.wait(timeout=max(2.0, 4 * self.poll_s))

    def stop(self, timeout: float = 2.0) -> None:
        thread = self._thread
        if thread is None:
            return
        self._stop.set()
        with self._lock:
            if self._context is not None:
                scard.SCardCancel(self._context)
        thread.join(timeout)
        if thread.is_alive():
            raise errors.CardTimeout("The card reader monitor did not stop in time.")
        self._thread = None
        with self._lock:
            self._present.clear()
            self._raw.clear()

    def readers(self) -> list[str]:
        with self._lock:
            return sorted(self._present)

    def card_present(self) -> bool:
        with self._lock:
            return any(self._present.values())

    # -- monitoring thread ----------------------------------------------------------------------
    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                if self._context is None and not self._reconnect():
                    continue
                self._poll_once()
                self._first_poll.set()
        except Exception:  # noqa: BLE001 - report, never die silently
            log.exception("The PC/SC monitor thread failed")
        finally:
            self._first_poll.set()
            self._release_context()

    def _reconnect(self) -> bool:
        try:
            context = _establish()
        except errors.NoReader:
            self._stop.wait(max(self.poll_s, 1.0))
            return False
        with self._lock:
            self._context = context
        return True

    def _poll_once(self) -> None:
        assert self._context is not None
        hresult, names = scard.SCardListReaders(self._context, [])
        if hresult in _SERVICE_GONE:
            self._service_lost()
            return
        names = [] if hresult != scard.SCARD_S_SUCCESS else self._filtered(names)
        self._sync_readers(names)
        if not names:
            self._stop.wait(self.poll_s)
            return
        with self._lock:
            states = [(n, self._state_of(n)) for n in names]
        hresult, new_states = scard.SCardGetStatusChange(
            self._context, int(self.poll_s * 1000), states
        )
        if hresult in _SERVICE_GONE:
            self._service_lost()
        elif hresult == scard.SCARD_S_SUCCESS:
            for name, event_state, _atr in new_states:
                with self._lock:
                    self._raw[name] = event_state & ~scard.SCARD_STATE_CHANGED
                self._card_state(name, bool(event_state & scard.SCARD_STATE_PRESENT))

    def _filtered(self, names: list[str]) -> list[str]:
        return [n for n in names if self.reader_filter is None or self.reader_filter in n]

    def _state_of(self, name: str) -> int:
        return self._raw.get(name, scard.SCARD_STATE_UNAWARE)

    def _sync_readers(self, names: list[str]) -> None:
        with self._lock:
            added = [n for n in names if n not in self._present]
            removed = [n for n in self._present if n not in names]
            for name in added:
                self._present[name] = False
            gone = {n: self._present.pop(n) for n in removed}
            for name in removed:
                self._raw.pop(name, None)
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
        """Read and verify the chip on the first reader with a card, on the calling thread.

        ``key``: a ``reader_session.AccessKey`` (``AccessKey.from_id(id12, dob)`` from the QR
        or the typed ID). One deadline (``timeout``) covers the whole read.
        """
        from devices.card.reader_session import read_document, to_card_read
        from devices.card.transport import PcscTransport

        name = self._reader_with_card()
        if key is None:
            raise KeyRequired()
        csca = self._trust()
        with PcscTransport.open(name) as transport:
            doc = read_document(transport, key, csca=csca, block_size=self.block_size,
                                progress=self._emit, timeout=timeout,
                                apdu_timeout=min(5.0, timeout))
        return to_card_read(doc)

    def _reader_with_card(self) -> str:
        if self._thread is None:
            raise errors.NoReader()
        with self._lock:
            names = [n for n, present in self._present.items() if present]
            any_reader = bool(self._present)
        if not any_reader:
            raise errors.NoReader()
        if not names:
            raise errors.NoCard()
        return names[0]

    def _trust(self) -> Any:
        """The CSCA store, loaded once; a missing or unreadable store is for IT to fix."""
        from devices.card.reader_session import trust_store

        with self._csca_lock:
            if self._csca is None:
                self._csca = trust_store(self.csca_dir)
            return self._csca
