"""How command APDUs reach a chip: one interface, a PC/SC backend and (in ``chip/``) an in-process one.

The reading session (select, PACE/BAC, secure messaging, file reads) only ever calls
``Transport.transmit(apdu, timeout)``, so the same code runs against a real reader, the emulator in
process, or the emulator behind pcscd + vpcd. Every transport turns its own failures into the
card error tree (``devices/card/errors.py``)::

    no answer at all / card gone      -> CardRemoved
    answer not within ``timeout``     -> CardTimeout
    PC/SC service or reader gone      -> NoReader

A response shorter than a status word is treated as the card leaving: that is what a reader
reports when the chip loses power in the field mid-command.
"""

from __future__ import annotations

import abc
import logging
import queue
import threading
from typing import Any

from devices.card import errors

__all__ = ["DEFAULT_TIMEOUT_S", "PcscTransport", "Transport", "list_readers"]

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 5.0


class Transport(abc.ABC):
    """Carries one APDU to the chip and its response back (response data + SW1 SW2)."""

    #: Whether the reader passes extended-length APDUs: True, False (many refuse them: cccd.md
    #: section 4), or None when it does not say (then they are not used unless asked for).
    extended_length: bool | None = False
    #: The card's answer to reset (its historical bytes may announce extended length), if known.
    atr: bytes | None = None

    @abc.abstractmethod
    def transmit(self, apdu: bytes, timeout: float = DEFAULT_TIMEOUT_S) -> bytes:
        """Send ``apdu``; return the raw response ending in SW1 SW2, or raise a ``CardError``."""

    def close(self) -> None:
        """Release the channel; later ``transmit`` calls raise ``CardRemoved``."""

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @staticmethod
    def check_response(raw: bytes) -> bytes:
        """Shared rule: fewer than two bytes means the chip went away mid-command."""
        if len(raw) < 2:
            raise errors.CardRemoved()
        return raw


# -- PC/SC ----------------------------------------------------------------------------------------

_NO_SERVICE_MSG = (
    "The smart card service (pcscd) is not running, so no card reader can be used. "
    "Staff: ask IT to start pcscd, or ask the citizen to type the ID number or show the QR code."
)


def _scard() -> Any:  # imported lazily: a kiosk without pyscard still runs the virtual reader
    from smartcard import scard

    return scard


def _gone_codes(scard: Any) -> tuple[set[int], set[int]]:
    removed = {
        scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_RESET_CARD,
        scard.SCARD_W_UNPOWERED_CARD, scard.SCARD_W_UNRESPONSIVE_CARD, scard.SCARD_E_NOT_READY,
        scard.SCARD_F_COMM_ERROR, scard.SCARD_E_COMM_DATA_LOST, scard.SCARD_E_INVALID_HANDLE,
        # The reader lost the card mid-exchange: with contactless cards that is a hand moving
        # the card away (vpcd reports a closed socket this way too).
        scard.SCARD_E_NOT_TRANSACTED,
    }
    service = {
        scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED, scard.SCARD_E_READER_UNAVAILABLE,
        scard.SCARD_E_UNKNOWN_READER, scard.SCARD_E_NO_READERS_AVAILABLE,
    }
    return removed, service


def _raise_for(hresult: int, what: str) -> None:
    scard = _scard()
    if hresult == scard.SCARD_S_SUCCESS:
        return
    removed, service = _gone_codes(scard)
    if hresult in (scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED):
        raise errors.NoReader(_NO_SERVICE_MSG)
    if hresult in removed:
        raise errors.CardRemoved()
    if hresult in service:
        raise errors.NoReader()
    if hresult == scard.SCARD_E_TIMEOUT:
        raise errors.CardTimeout()
    # Unknown PC/SC failure: say so for IT, without anything personal (codes only).
    raise errors.CardError(
        f"{errors.CardError.default_message} (PC/SC {what}: {scard.SCardGetErrorMessage(hresult)})"
    )


def list_readers() -> list[str]:
    """Names of the PC/SC readers; ``NoReader`` with a staff-readable message if pcscd is down."""
    scard = _scard()
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    _raise_for(hresult, "establish context")
    try:
        hresult, names = scard.SCardListReaders(context, [])
        if hresult == scard.SCARD_E_NO_READERS_AVAILABLE:
            return []
        _raise_for(hresult, "list readers")
        return list(names)
    finally:
        scard.SCardReleaseContext(context)


#: pcsc-lite's vendor attribute: the longest APDU the reader's driver takes (CCID drivers
#: answer it); above a short APDU's 261 bytes means extended length passes through.
SCARD_ATTR_MAXINPUT = 0x0007A007
_SHORT_APDU_MAX = 261


def _card_facts(card: int) -> tuple[bytes | None, bool | None]:
    """The card's ATR and whether the reader says it passes extended APDUs (None: unknown)."""
    scard = _scard()
    atr = None
    try:
        hresult, _reader, _state, _protocol, raw_atr = scard.SCardStatus(card)
        if hresult == scard.SCARD_S_SUCCESS:
            atr = bytes(raw_atr)
        hresult, value = scard.SCardGetAttrib(card, SCARD_ATTR_MAXINPUT)
    except (TypeError, ValueError, scard.error):  # an old pyscard: nothing known
        return atr, None
    if hresult != scard.SCARD_S_SUCCESS or not value:
        return atr, None
    return atr, int.from_bytes(bytes(value[:4]), "little") > _SHORT_APDU_MAX


class _Request:
    """One APDU for the transmit worker, and its answer once ``done`` is set."""

    __slots__ = ("apdu", "done", "result")

    def __init__(self, apdu: bytes) -> None:
        self.apdu = apdu
        self.done = threading.Event()
        self.result: tuple[int, list[int]] | None = None


class PcscTransport(Transport):
    """A pyscard (``smartcard.scard``) connection to the card in one reader.

    PC/SC has no per-command timeout, so ``SCardTransmit`` runs on one worker thread of the
    connection (started at the first APDU, kept for the whole read: a thread per APDU costs more
    CPU than the crypto) and the caller waits at most ``timeout``; a transmit that overruns makes
    the transport unusable (the card is in an unknown state) and raises ``CardTimeout``;
    ``close()`` then cancels and waits for the worker before it disconnects.
    """

    #: How long ``close()`` waits for an overrun transmit after ``SCardCancel``.
    CLOSE_JOIN_S = 5.0

    def __init__(self, context: int, card: int, protocol: int, reader: str,
                 reset_on_close: bool = True) -> None:
        self.reader = reader
        self.atr, self.extended_length = _card_facts(card)
        # Resetting on close ends the chip's secure-messaging session, as a real chip leaves
        # it open until power-off; the next read then starts clean instead of meeting 6987.
        self.reset_on_close = reset_on_close
        self._context: int | None = context
        self._card: int | None = card
        self._protocol = protocol
        self._lock = threading.Lock()
        self._broken: errors.CardError | None = None
        self._requests: queue.SimpleQueue[_Request | None] = queue.SimpleQueue()
        self._worker: threading.Thread | None = None

    @classmethod
    def open(cls, reader: str | None = None, *, exact: bool = False) -> PcscTransport:
        """Connect to the card in ``reader`` (a name, or a part of one unless ``exact``;
        default: the first reader with a card)."""
        scard = _scard()
        hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        _raise_for(hresult, "establish context")
        try:
            return cls._connect(scard, context, reader, exact)
        except BaseException:
            scard.SCardReleaseContext(context)
            raise

    @classmethod
    def _connect(cls, scard: Any, context: int, wanted: str | None, exact: bool) -> PcscTransport:
        hresult, names = scard.SCardListReaders(context, [])
        if hresult == scard.SCARD_E_NO_READERS_AVAILABLE or not names:
            raise errors.NoReader()
        _raise_for(hresult, "list readers")
        candidates = [n for n in names
                      if wanted is None or (wanted == n if exact else wanted in n)]
        if not candidates:
            raise errors.NoReader(f"{errors.NoReader.default_message} (no reader matches the name)")
        for name in candidates:
            hresult, card, protocol = scard.SCardConnect(
                context, name, scard.SCARD_SHARE_SHARED,
                scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
            )
            if hresult == scard.SCARD_S_SUCCESS:
                return cls(context, card, protocol, name)
            if hresult not in (scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_REMOVED_CARD):
                _raise_for(hresult, "connect")
        raise errors.NoCard()

    def transmit(self, apdu: bytes, timeout: float = DEFAULT_TIMEOUT_S) -> bytes:
        with self._lock:
            if self._broken is not None:
                raise type(self._broken)()
            if self._card is None:
                raise errors.CardRemoved()
            if self._worker is None:
                self._worker = threading.Thread(target=self._serve, name="pcsc-transmit",
                                                daemon=True)
                self._worker.start()
            request = _Request(apdu)
            self._requests.put(request)
            if not request.done.wait(timeout) or request.result is None:
                # still running: close() cancels it and waits before disconnecting
                timed_out = not request.done.is_set()
                self._broken = errors.CardTimeout() if timed_out else errors.CardRemoved()
                raise type(self._broken)()
            hresult, response = request.result
            try:
                _raise_for(hresult, "transmit")
                return self.check_response(bytes(response))
            except (errors.CardRemoved, errors.NoReader) as exc:
                self._broken = exc  # later calls fail the same way; close() will not reset
                raise

    def _serve(self) -> None:
        """The worker: one SCardTransmit at a time, until ``close()`` sends None."""
        while (request := self._requests.get()) is not None:
            try:
                request.result = _scard().SCardTransmit(self._card, self._protocol,
                                                        list(request.apdu))
            except Exception:  # noqa: BLE001 - pyscard raising is a lost card, not a crash
                log.exception("SCardTransmit failed")
            finally:
                request.done.set()

    def close(self) -> None:
        """Disconnect; a transmit still running (after a timeout) is cancelled and waited for
        first (at most ``CLOSE_JOIN_S``): SCardDisconnect under a running SCardTransmit on the
        same handle is undefined behaviour in some PC/SC stacks."""
        scard = _scard()
        with self._lock:
            card = self._card
            context, self._context = self._context, None
            worker, self._worker = self._worker, None
        if worker is not None:
            self._requests.put(None)
            if isinstance(self._broken, errors.CardTimeout) and context is not None:
                scard.SCardCancel(context)  # wake the transmit that overran
            worker.join(self.CLOSE_JOIN_S)
            if worker.is_alive():
                log.warning("A PC/SC transmit did not end within %.0f s of cancelling it; "
                            "disconnecting anyway", self.CLOSE_JOIN_S)
        with self._lock:
            self._card = None
        if card is not None:
            # Never reset a card that is gone or timed out: vpcd (and some readers) wedge the
            # slot when asked to reset a card that has left.
            reset = self.reset_on_close and self._broken is None
            mode = scard.SCARD_RESET_CARD if reset else scard.SCARD_LEAVE_CARD
            scard.SCardDisconnect(card, mode)
        if context is not None:
            scard.SCardReleaseContext(context)
