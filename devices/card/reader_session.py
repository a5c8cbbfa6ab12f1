"""Read a CCCD chip over any ``Transport``: access control, the files, and every authentication.

    EF.CardAccess, EF.ATR/INFO -> PACE-CAN (else BAC) -> SELECT eMRTD -> EF.COM
    -> DG14 -> chip authentication (secure messaging restarts with its keys)
    -> the other DGs EF.COM lists (not DG3/4) -> EF.SOD -> any DG the SOD hashes that EF.COM
       left out -> passive authentication -> active authentication           => ChipDocument

Access control and the file reads run on a ``channel.Channel`` (PACE before SELECT, BAC after
it; short-file-identifier reads, SELECT for chips without them); chip authentication is
``chip_auth``; parsing into a document that keeps every usable part is ``document``. Reads use
short APDUs of ``block_size`` bytes (0xDF keeps a protected answer under 256 bytes: some readers
refuse extended length), or extended-length APDUs when the chip says it takes them and the
reader allows them (``extended``). One deadline covers the whole read; each APDU gets what is
left of it. Errors are the card error tree, with the failing step in ``CardError.step``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from devices.card import chip_auth, errors
from devices.card.access_key import NO_EXPIRY, AccessKey, candidate_expiries
from devices.card.base import ReadProgress
from devices.card.capabilities import from_atr, from_atr_info, read_block
from devices.card.channel import Channel, open_channel, read_file
from devices.card.chip.files import EF_ATR_INFO, EF_COM, EF_SOD, dg_fid
from devices.card.document import ChipDocument, assemble, to_card_read
from devices.card.icao.apdu import CommandApdu
from devices.card.lds import active, com, dg14, dg15, passive
from devices.card.lds import sod as sod_mod
from devices.card.lds.csca import CscaStore, load_crls
from devices.card.transport import Transport

__all__ = ["AccessKey", "ChipDocument", "NO_EXPIRY", "candidate_expiries", "load_csca",
           "read_document", "to_card_read", "trust_store"]

log = logging.getLogger(__name__)

SKIPPED_DGS = (3, 4)  # biometrics behind Extended Access Control: always 6982 at a kiosk
_DG15_WITHHELD = ("the chip would not give its clone-check key (DG15) although its data lists "
                  "one: it may be a copy of another card")
_DG14_WITHHELD = ("the chip would not give its chip-authentication key (DG14) although its data "
                  "lists one: it may be a copy of another card")
Progress = Callable[[ReadProgress], object] | None


def read_document(
    transport: Transport,
    key: AccessKey,
    *,
    csca: CscaStore | None = None,
    block_size: int = 0xDF,
    extended: bool | None = None,
    progress: Progress = None,
    timeout: float = 30.0,
    apdu_timeout: float = 5.0,
    clock: Callable[[], float] = time.monotonic,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    rng: Callable[[int], bytes] = os.urandom,
) -> ChipDocument:
    """Open, read and verify the chip.

    ``extended``: None (default) uses extended-length APDUs when the chip announces them (ATR,
    EF.ATR/INFO) and the transport allows them, with blocks as large as the chip answers;
    False never; True as if the chip had announced them. ``block_size`` is the short-APDU
    block (1..0xDF)."""
    if not 1 <= block_size <= 0xDF:
        raise ValueError("block_size must be 1..0xDF (short APDUs)")
    started = clock()
    ch = Channel(transport, started + timeout, clock, apdu_timeout)
    ch.rng = rng
    try:
        block = _choose_block(ch, transport, extended, block_size)
        method = open_channel(ch, key, min(block_size, 0xDF))
        ch.key, ch.method = key, method
        listing, dgs, refused, sod_raw, ca = _read_files(ch, block, progress)
        ch.step = "passive authentication"
        report = passive.verify(sod_raw, dgs, csca or CscaStore(), now=now())
        ch.step = "active authentication"
        aa = _active_auth(ch, dgs, refused)
        ch.step = "parse"
        return assemble(method, listing, dgs, sod_raw, report, aa, ca, refused,
                        (clock() - started) * 1000.0, apdus=ch.apdus, extended=ch.extended)
    except errors.CardError as exc:
        exc.step = exc.step or ch.step
        raise


def _choose_block(ch: Channel, transport: Transport, extended: bool | None, short: int) -> int:
    """The READ BINARY block: extended when the chip and the reader both take it, else short.
    Nothing is sent unless the reader takes extended APDUs and the ATR leaves it open."""
    if extended is False or transport.extended_length is False:
        return short
    if extended is None and transport.extended_length is not True:
        return short
    caps = from_atr(getattr(transport, "atr", None))
    if extended is None and caps.extended is False:
        return short
    if caps.extended is None or caps.max_response is None:
        ch.step = "read EF.ATR/INFO"
        info = read_file(ch, EF_ATR_INFO, 0xDF, None, one_object=False)
        caps = caps.merge(from_atr_info(info))
    if extended is None and not caps.extended:
        return short
    ch.extended = True
    return read_block(caps.max_response)


def _read_files(ch: Channel, block: int, progress: Progress
                ) -> tuple[com.Com, dict[int, bytes], tuple[int, ...], bytes, chip_auth.CaResult | None]:
    """EF.COM, DG14 and chip authentication, the other DGs it lists, EF.SOD, then any DG the
    SOD hashes that EF.COM left out (EF.COM is not signed; the SOD is).

    Returns the listing, the DGs read, the DGs refused (sorted), the SOD and the CA result."""
    com_raw = _read(ch, EF_COM, block, progress)
    if com_raw is None:
        raise errors.MalformedData("The card has no readable list of data (EF.COM).")
    listing = com.parse(com_raw)
    reads = _Reads(ch, block, progress)
    reads.data_groups(listing.data_groups)
    sod_raw = reads.file(EF_SOD)
    if sod_raw is None:
        raise errors.MalformedData("The card's data is incomplete (no EF.SOD).")
    reads.data_groups(sorted(_signed_dgs(sod_raw) - set(listing.data_groups)))
    if 14 in reads.refused and reads.ca is None:
        reads.ca = chip_auth.CaResult(passive.Status.FAILED, _DG14_WITHHELD)
    if ch.ca_pending:
        reads.ca = chip_auth.confirm(ch)
        if not reads.ca.ok:
            _reopen(ch)
    return listing, reads.dgs, tuple(sorted(reads.refused)), sod_raw, reads.ca


class _Reads:
    """The data groups of one read, DG14 first so chip authentication protects the rest."""

    def __init__(self, ch: Channel, block: int, progress: Progress) -> None:
        self.ch, self.block, self.progress = ch, block, progress
        self.dgs: dict[int, bytes] = {}
        self.refused: list[int] = []
        self.ca: chip_auth.CaResult | None = None

    def data_groups(self, numbers: Sequence[int]) -> None:
        for number in sorted(numbers, key=lambda n: (n != 14, n)):
            data = None if number in SKIPPED_DGS else self.file(dg_fid(number))
            if data is None:
                self.refused.append(number)
                continue
            self.dgs[number] = data
            if number == 14 and self.ca is None:
                self.ca = chip_auth.run(self.ch, data)

    def file(self, fid: int) -> bytes | None:
        """Read one file; a channel that breaks on the first answer after chip authentication
        is a clone's: record it, open the channel again without CA and read the file again."""
        try:
            data = _read(self.ch, fid, self.block, self.progress)
        except errors.SecureMessagingError:
            if not self.ch.ca_pending:
                raise
            self.ca = chip_auth.failed(self.ch)
            _reopen(self.ch)
            data = _read(self.ch, fid, self.block, self.progress)
        if self.ca is None and self.ch.ca_variant and not self.ch.ca_pending:
            self.ca = chip_auth.passed(self.ch)  # an answer verified under the new keys
        return data


def _read(ch: Channel, fid: int, block: int, progress: Progress) -> bytes | None:
    return read_file(ch, fid, block, progress)


def _reopen(ch: Channel) -> None:
    """After a failed chip authentication the chip has ended the channel: open it again (same
    method, plain from the start) so the rest of the data can still be read and shown."""
    ch.sm, ch.ca_pending = None, False
    ch.step = f"{ch.method} again after chip authentication failed"
    if ch.key is None:
        raise errors.CardError(detail="no key to open the channel again with")
    open_channel(ch, ch.key, 0xDF)


def _signed_dgs(sod_raw: bytes) -> set[int]:
    """Data groups the SOD has a hash for (empty if it does not decode: passive auth says so)."""
    try:
        return {n for n in sod_mod.parse(sod_raw).dg_hashes if 1 <= n <= 16}
    except errors.MalformedData:
        return set()


def _active_auth(ch: Channel, dgs: dict[int, bytes],
                 refused: tuple[int, ...]) -> active.AaResult | None:
    """AA with DG15's key; None only for a chip that lists no DG15 anywhere. A DG15 listed (in
    the signed SOD or in EF.COM) but refused is a failure: refusing it is how a clone would
    dodge the one check it cannot pass."""
    if 15 in refused:
        return active.AaResult(passive.Status.FAILED, _DG15_WITHHELD)
    if 15 not in dgs:
        return None
    try:
        key = dg15.parse(dgs[15])
    except errors.MalformedData:
        return active.AaResult(passive.Status.FAILED, "The chip's clone-check key (DG15) is "
                               "damaged.")
    nonce = active.challenge(ch.rng)
    resp = ch.send(CommandApdu(0x00, 0x88, 0x00, 0x00, nonce, le=256))
    if resp.sw != 0x9000:
        return active.AaResult(passive.Status.FAILED,
                               f"The chip refused active authentication ({resp.sw:04X}).")
    try:
        info = dg14.parse(dgs[14]) if 14 in dgs else None
    except errors.MalformedData:
        info = None
    return active.verify(key, nonce, resp.data, dg14=info)


def load_csca(path: str | Path | None, crls: str | Path | None = None) -> CscaStore:
    """Trust anchors from a folder (CSCA certificates and master lists), a certificate file or
    an ICAO master list file (``CscaStore.from_path``), with CRLs from ``crls`` if given.

    None or "" gives an empty store: chips still read, but their issuer cannot be checked
    (``ds_certificate_chain`` NOT_DONE). A path that is not there is a configuration error
    (``FileNotFoundError``), never silently "trust nothing"; a forged or unsigned master list
    is refused (``master_list.UntrustedMasterList``)."""
    store = CscaStore()
    if path is not None and str(path) != "":
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"CSCA store not found: {path}")
        store = CscaStore.from_path(path)
    if crls is not None and str(crls) != "":
        if not Path(crls).exists():
            raise FileNotFoundError(f"CRL store not found: {crls}")
        store = store.with_crls(load_crls(crls))
    return store


def trust_store(path: str | Path | None, crls: str | Path | None = None) -> CscaStore:
    """``load_csca`` for a reader: an unreadable configured store is a ``CardError`` for IT."""
    try:
        return load_csca(path, crls)
    except (OSError, errors.MalformedData) as exc:
        reason = str(exc) if isinstance(exc, errors.MalformedData) else type(exc).__name__
        raise errors.CardError(
            "The kiosk's list of trusted card issuers (CSCA store) cannot be read. Staff: ask "
            "IT to check devices.csca_dir in the kiosk configuration.",
            detail=reason) from None
