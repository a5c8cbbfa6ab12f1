"""Read a CCCD chip over any ``Transport``: access control, the files, and both authentications.

    EF.CardAccess -> PACE-CAN (else BAC) -> SELECT eMRTD -> EF.COM -> the DGs it lists (not DG3/4)
    -> EF.SOD -> any DG the SOD hashes that EF.COM left out -> passive authentication
    -> active authentication (DG15 listed but withheld: failed, a clone suspect)  => ChipDocument

PACE runs in the master file and the application is selected under its secure channel; BAC
selects the application first, as ICAO 9303-11 orders them. Reads use short APDUs of
``block_size`` bytes (0xDF keeps a protected answer under 256 bytes: some readers refuse extended
length), the odd READ BINARY (B1) above offset 32767. One deadline covers the whole read; each
APDU gets what is left of it. Errors are the card error tree; nothing personal reaches them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from devices.card import errors
from devices.card.base import CardRead, ChipVerification, ReadProgress
from devices.card.chip.files import EF_CARD_ACCESS, EF_COM, EF_SOD, EMRTD_AID, dg_fid, file_label
from devices.card.icao import tlv
from devices.card.icao.apdu import CommandApdu, ResponseApdu
from devices.card.icao.bac import BacTerminal, mrz_key_seed
from devices.card.icao.card_access import parse_security_infos
from devices.card.icao.pace import PASSWORD_CAN, PaceTerminal, can_password, supported_pace_info
from devices.card.icao.sm import SW_SM_DATA_OBJECTS_MISSING, SecureMessaging
from devices.card.lds import active, com, dg1, dg2, dg13, dg14, dg15, passive
from devices.card.lds import sod as sod_mod
from devices.card.lds.csca import CscaStore
from devices.card.transport import Transport

__all__ = ["AccessKey", "ChipDocument", "load_csca", "read_document", "to_card_read", "trust_store"]

log = logging.getLogger(__name__)

SKIPPED_DGS = (3, 4)  # biometrics behind Extended Access Control: always 6982 at a kiosk
_DG15_WITHHELD = ("the chip would not give its clone-check key (DG15) although its data lists "
                  "one: it may be a copy of another card")
_MILESTONES = (25, 40, 60, 14)  # renewal ages (cccd.md section 3), likeliest expiry first


@dataclasses.dataclass(frozen=True)
class AccessKey:
    """What opens the chip: the CAN for PACE, and/or the MRZ data for BAC (dates YYMMDD)."""

    can: str | None = None
    doc_number: str | None = None
    dob: str | None = None
    expiry: str | None = None

    def __repr__(self) -> str:
        return f"AccessKey(can={'set' if self.can else 'none'}, bac={'set' if self.dob else 'none'})"

    @classmethod
    def from_id(cls, id_number: str, dob: str | None = None, expiry: str | None = None) -> AccessKey:
        """From the 12-digit ID: CAN = its last 6 digits, BAC document number = its last 9."""
        if len(id_number) != 12 or not id_number.isdigit():
            raise ValueError("the ID number has 12 digits")
        return cls(id_number[-6:], id_number[3:], dob, expiry)

    def bac_seeds(self) -> list[bytes]:
        """BAC key seeds to try: the given expiry, else each renewal-age birthday after birth."""
        if self.doc_number is None or self.dob is None:
            return []
        expiries = [self.expiry] if self.expiry else _candidate_expiries(self.dob)
        return [mrz_key_seed(self.doc_number, self.dob, e) for e in expiries]


def _candidate_expiries(dob: str) -> list[str]:
    born = int(dob[:2])
    century = 1900 if born > dt.date.today().year % 100 else 2000
    out = []
    for age in _MILESTONES:
        year = (century + born + age) % 100
        out.append(f"{year:02d}{dob[2:]}")
    return out


@dataclasses.dataclass(frozen=True)
class ChipDocument:
    """Everything read from the chip, parsed, with the verification results."""

    access: str  # "PACE" or "BAC"
    com: com.Com
    raw: dict[int, bytes]  # DG number -> file bytes as read
    sod: bytes
    dg1: dg1.Dg1
    dg13: dg13.Dg13Fields | None
    portrait: dg2.FaceImage | None
    passive: passive.PassiveReport
    active: active.AaResult | None  # None: the chip has no DG15 (no active authentication)
    not_read: tuple[int, ...]  # listed in EF.COM or the SOD but not read (DG3, DG4)
    read_ms: float

    def __repr__(self) -> str:
        size = "none" if self.portrait is None else f"{len(self.portrait.data)} bytes"
        return (f"ChipDocument(access={self.access}, dgs={sorted(self.raw)}, portrait={size}, "
                f"passive_ok={self.passive.ok}, read_ms={self.read_ms:.0f})")

    @property
    def verified(self) -> bool:
        """Passive authentication passed and active authentication did not fail."""
        aa_ok = self.active is None or self.active.status is not passive.Status.FAILED
        return self.passive.ok and aa_ok


class _Channel:
    """One transport, one deadline, and the secure channel once there is one."""

    def __init__(self, transport: Transport, deadline: float, clock: Callable[[], float],
                 apdu_timeout: float, extended: bool = False) -> None:
        self.transport, self.deadline, self.clock = transport, deadline, clock
        self.apdu_timeout = apdu_timeout
        self.extended = extended
        self.rng: Callable[[int], bytes] = os.urandom
        self.sm: SecureMessaging | None = None
        self.short_file_ids = True

    def raw(self, apdu: bytes) -> bytes:
        left = self.deadline - self.clock()
        if left <= 0:
            raise errors.CardTimeout()
        return self.transport.transmit(apdu, timeout=min(self.apdu_timeout, left))

    def send(self, cmd: CommandApdu) -> ResponseApdu:
        sm = self.sm
        if sm is not None:
            cmd = sm.protect(cmd)
        raw = self.raw(cmd.to_bytes(self.extended and not cmd.fits_short()))
        if sm is None:
            return ResponseApdu.parse(raw)
        try:
            return sm.unprotect(raw)
        except errors.SecureMessagingError:
            self.sm = None  # the channel is gone (the chip ended it, or the answer was forged)
            raise


def _select(ch: _Channel, fid: int) -> int:
    return ch.send(CommandApdu(0x00, 0xA4, 0x02, 0x0C, fid.to_bytes(2, "big"))).sw


def _read_chunk(ch: _Channel, offset: int, size: int) -> ResponseApdu:
    if offset <= 0x7FFF:
        return ch.send(CommandApdu(0x00, 0xB0, offset >> 8, offset & 0xFF, le=size))
    encoded = offset.to_bytes(3 if offset > 0xFFFF else 2, "big")
    resp = ch.send(CommandApdu(0x00, 0xB1, 0x00, 0x00, tlv.encode(0x54, encoded), le=size + 4))
    if not resp.data:
        return resp
    tag, value, _ = tlv.decode_one(resp.data)
    if tag != 0x53:
        raise errors.MalformedData("The card answered a long read in an unexpected format.")
    return ResponseApdu(value, resp.sw)


def _read_file(ch: _Channel, fid: int, block: int,
               progress: Callable[[ReadProgress], object] | None) -> bytes | None:
    """The whole file, or None if the chip refuses it (6982) or it does not exist (6A82)."""
    resp = _first_chunk(ch, fid, block)
    data, total, want = b"", None, block
    while resp is not None:
        if resp.sw == 0x6982 and not data:
            return None
        if resp.sw not in (0x9000, 0x6282) or len(resp.data) > want:
            raise errors.MalformedData(f"Reading {file_label(fid)} failed ({resp.sw:04X}).")
        data += resp.data
        if total is None:
            total = _tlv_size(data, fid)
        if progress is not None:
            progress(ReadProgress(file_label(fid), min(len(data), total), total))
        if resp.sw == 0x6282 or not resp.data or len(data) >= total:
            break
        want = min(block, total - len(data))
        resp = _read_chunk(ch, len(data), want)
    if resp is None:
        return None
    assert total is not None
    if len(data) < total:
        raise errors.MalformedData(f"{file_label(fid)} is shorter than it says.")
    return data[:total]


def _first_chunk(ch: _Channel, fid: int, block: int) -> ResponseApdu | None:
    """The file's first block: READ BINARY by short file identifier (one APDU instead of SELECT
    + READ; every LDS file has one), or SELECT then READ on a chip that refuses SFI reads."""
    if ch.short_file_ids and 0x0101 <= fid <= 0x011F:
        resp = ch.send(CommandApdu(0x00, 0xB0, 0x80 | (fid & 0x1F), 0x00, le=block))
        if resp.sw in (0x6A82, 0x6982):
            return None
        if resp.sw in (0x9000, 0x6282):
            return resp
        ch.short_file_ids = False  # this chip wants SELECT: use it for the rest of the read
    sw = _select(ch, fid)
    if sw in (0x6A82, 0x6982):
        return None
    if sw != 0x9000:
        raise errors.MalformedData(f"The card refused to open {file_label(fid)} ({sw:04X}).")
    return _read_chunk(ch, 0, block)


def _tlv_size(head: bytes, fid: int) -> int:
    try:
        _tag, tag_end = tlv.decode_tag(head, 0)
        length, value_start = tlv.decode_length(head, tag_end)
    except errors.MalformedData:
        raise errors.MalformedData(f"{file_label(fid)} does not start like a data file.") from None
    return value_start + length


def _open_channel(ch: _Channel, key: AccessKey, block: int) -> str:
    """PACE-CAN if the card offers it and we have a CAN, else BAC. Returns the method used."""
    raw = _read_file(ch, EF_CARD_ACCESS, block, None)  # free to read; absent on BAC-only cards
    info = supported_pace_info(parse_security_infos(raw)) if raw else None
    if info is not None and key.can:
        try:
            terminal = PaceTerminal(can_password(key.can), PASSWORD_CAN, info, ch.rng)
            _run(ch, terminal.start(), terminal.step)
            ch.sm = terminal.result
            if ch.send(CommandApdu(0x00, 0xA4, 0x04, 0x0C, EMRTD_AID)).sw != 0x9000:
                raise errors.UnsupportedOperation("This card is not a chip ID card (CCCD).")
            return "PACE"
        except errors.UnsupportedOperation:
            ch.sm = None  # BAC starts plain: never protect its commands with PACE's keys
            if not key.bac_seeds():
                raise
    return _bac(ch, key)


def _bac(ch: _Channel, key: AccessKey) -> str:
    seeds = key.bac_seeds()
    if not seeds:
        raise errors.AccessDenied(
            "This card needs the date of birth (and expiry) to be opened. Please enter them, or "
            "scan the QR code on the card.")
    select = CommandApdu(0x00, 0xA4, 0x04, 0x0C, EMRTD_AID)
    sw = ch.send(select).sw
    if sw == SW_SM_DATA_OBJECTS_MISSING:  # a PACE session was still open: the chip just ended it
        sw = ch.send(select).sw
    if sw != 0x9000:
        raise errors.UnsupportedOperation("This card is not a chip ID card (CCCD).")
    for index, seed in enumerate(seeds):
        terminal = BacTerminal(seed, ch.rng)
        try:
            _run(ch, terminal.start(), terminal.step)
        except errors.AccessDenied:
            if index == len(seeds) - 1:
                raise
            continue
        ch.sm = terminal.result
        return "BAC"
    raise AssertionError("unreachable")


def _run(ch: _Channel, cmd: CommandApdu | None,
         step: Callable[[bytes], CommandApdu | None]) -> None:
    while cmd is not None:
        cmd = step(ch.raw(cmd.to_bytes()))


def read_document(
    transport: Transport,
    key: AccessKey,
    *,
    csca: CscaStore | None = None,
    block_size: int = 0xDF,
    extended: bool = False,
    progress: Callable[[ReadProgress], object] | None = None,
    timeout: float = 30.0,
    apdu_timeout: float = 5.0,
    clock: Callable[[], float] = time.monotonic,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    rng: Callable[[int], bytes] = os.urandom,
) -> ChipDocument:
    """Open, read and verify the chip; ``extended`` allows blocks above 0xDF (if the reader can)."""
    if not 1 <= block_size <= (0xFFF0 if extended else 0xDF):
        raise ValueError("block_size must be 1..0xDF for short APDUs")
    started = clock()
    ch = _Channel(transport, started + timeout, clock, apdu_timeout, extended)
    ch.rng = rng
    method = _open_channel(ch, key, min(block_size, 0xDF))
    com_raw = _read_file(ch, EF_COM, block_size, progress)
    if com_raw is None:
        raise errors.MalformedData("The card has no readable list of data (EF.COM).")
    listing = com.parse(com_raw)
    dgs, refused = _read_dgs(ch, listing.data_groups, block_size, progress)
    sod_raw = _read_file(ch, EF_SOD, block_size, progress)
    if sod_raw is None:
        raise errors.MalformedData("The card's data is incomplete (no EF.SOD).")
    # EF.COM is not signed: a clone can leave a data group out of it. The SOD's hash list is.
    signed = _signed_dgs(sod_raw)
    more, more_refused = _read_dgs(ch, sorted(signed - set(listing.data_groups)), block_size,
                                   progress)
    dgs.update(more)
    refused = tuple(sorted(refused + more_refused))
    if 1 not in dgs:
        raise errors.MalformedData("The card's data is incomplete (no DG1).")
    report = passive.verify(sod_raw, dgs, csca or CscaStore(), now=now())
    aa = _active_auth(ch, dgs, refused)
    return _document(method, listing, dgs, sod_raw, report, aa, refused,
                     (clock() - started) * 1000.0)


def _signed_dgs(sod_raw: bytes) -> set[int]:
    """Data groups the SOD has a hash for (empty if it does not decode: passive auth says so)."""
    try:
        return {n for n in sod_mod.parse(sod_raw).dg_hashes if 1 <= n <= 16}
    except errors.MalformedData:
        return set()


def _read_dgs(ch: _Channel, numbers: Sequence[int], block: int,
              progress: Callable[[ReadProgress], object] | None
              ) -> tuple[dict[int, bytes], tuple[int, ...]]:
    dgs: dict[int, bytes] = {}
    refused = []
    for number in sorted(numbers):
        data = None if number in SKIPPED_DGS else _read_file(ch, dg_fid(number), block, progress)
        if data is None:
            refused.append(number)
        else:
            dgs[number] = data
    return dgs, tuple(refused)


def _active_auth(ch: _Channel, dgs: dict[int, bytes],
                 refused: tuple[int, ...]) -> active.AaResult | None:
    """AA with DG15's key; None only for a chip that lists no DG15 anywhere. A DG15 listed (in
    the signed SOD or in EF.COM) but refused is a failure: refusing it is how a clone would
    dodge the one check it cannot pass."""
    if 15 in refused:
        return active.AaResult(passive.Status.FAILED, _DG15_WITHHELD)
    if 15 not in dgs:
        return None
    nonce = active.challenge(ch.rng)
    resp = ch.send(CommandApdu(0x00, 0x88, 0x00, 0x00, nonce, le=256))
    if resp.sw != 0x9000:
        return active.AaResult(passive.Status.FAILED,
                               f"The chip refused active authentication ({resp.sw:04X}).")
    info = dg14.parse(dgs[14]) if 14 in dgs else None
    return active.verify(dg15.parse(dgs[15]), nonce, resp.data, dg14=info)


def _document(method: str, listing: com.Com, dgs: dict[int, bytes], sod_raw: bytes,
              report: passive.PassiveReport, aa: active.AaResult | None,
              refused: tuple[int, ...], read_ms: float) -> ChipDocument:
    images = dg2.parse(dgs[2]).images if 2 in dgs else ()
    return ChipDocument(
        access=method, com=listing, raw=dgs, sod=sod_raw, dg1=dg1.parse(dgs[1]),
        dg13=dg13.parse(dgs[13]) if 13 in dgs else None,
        portrait=images[0] if images else None, passive=report, active=aa,
        not_read=refused, read_ms=read_ms,
    )


def to_card_read(doc: ChipDocument) -> CardRead:
    """What a reader hands the UI: identity (DG13, DG1 filling gaps), portrait, verification.

    The portrait is also decoded to PNG here, on the reading thread, so the GUI never decodes
    JPEG 2000; an undecodable portrait leaves ``portrait_png`` None (the read still counts).
    """
    identity = dg13.to_identity(doc.dg13 or dg13.Dg13Fields(), doc.dg1)
    png = None
    if doc.portrait is not None:
        try:
            png = dg2.to_png(doc.portrait)
        except errors.MalformedData:
            log.warning("The chip's portrait (%s) could not be decoded", doc.portrait.mime)
    return CardRead(
        identity=identity, portrait=None if doc.portrait is None else doc.portrait.data,
        read_ms=doc.read_ms, verification=ChipVerification.from_document(doc),
        portrait_mime=None if doc.portrait is None else doc.portrait.mime, portrait_png=png,
    )


def load_csca(path: str | Path | None) -> CscaStore:
    """Trust anchors from a folder of CSCA certificates (DER/PEM) or an ICAO master list file.

    None or "" gives an empty store: chips still read, but their issuer cannot be checked
    (``ds_certificate_chain`` NOT_DONE). A path that is not there is a configuration error
    (``FileNotFoundError``), never silently "trust nothing"."""
    if path is None or str(path) == "":
        return CscaStore()
    path = Path(path)
    if path.is_dir():
        return CscaStore.from_folder(path)
    if path.is_file():
        return CscaStore.from_master_list(path.read_bytes())
    raise FileNotFoundError(f"CSCA store not found: {path}")


def trust_store(path: str | Path | None) -> CscaStore:
    """``load_csca`` for a reader: an unreadable configured store is a ``CardError`` for IT."""
    try:
        return load_csca(path)
    except (OSError, errors.MalformedData) as exc:
        raise errors.CardError(
            "The kiosk's list of trusted card issuers (CSCA store) cannot be read. Staff: ask "
            "IT to check devices.csca_dir in the kiosk configuration.",
            detail=type(exc).__name__) from None
