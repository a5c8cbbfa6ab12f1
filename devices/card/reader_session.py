"""Read a CCCD chip over any ``Transport``: access control, the files, and both authentications.

    EF.CardAccess -> PACE-CAN (else BAC) -> SELECT eMRTD -> EF.COM -> the DGs it lists (not DG3/4)
    -> EF.SOD -> any DG the SOD hashes that EF.COM left out -> passive authentication
    -> active authentication (DG15 listed but withheld: failed, a clone suspect)  => ChipDocument

Access control and the file reads themselves run on a ``channel.Channel`` (PACE before SELECT,
BAC after it; short-file-identifier reads); this module chooses the files and verifies them.
Reads use short APDUs of ``block_size`` bytes (0xDF keeps a protected answer under 256 bytes:
some readers refuse extended length). One deadline covers the whole read; each APDU gets what is
left of it. Errors are the card error tree; nothing personal reaches them.
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
from devices.card.channel import Channel, open_channel, read_file
from devices.card.chip.files import EF_COM, EF_SOD, dg_fid
from devices.card.icao.apdu import CommandApdu
from devices.card.icao.bac import mrz_key_seed
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
    ch = Channel(transport, started + timeout, clock, apdu_timeout, extended)
    ch.rng = rng
    method = open_channel(ch, key, min(block_size, 0xDF))
    listing, dgs, refused, sod_raw = _read_files(ch, block_size, progress)
    report = passive.verify(sod_raw, dgs, csca or CscaStore(), now=now())
    aa = _active_auth(ch, dgs, refused)
    return _document(method, listing, dgs, sod_raw, report, aa, refused,
                     (clock() - started) * 1000.0)


def _read_files(ch: Channel, block: int, progress: Callable[[ReadProgress], object] | None
                ) -> tuple[com.Com, dict[int, bytes], tuple[int, ...], bytes]:
    """EF.COM, the data groups it lists, EF.SOD, then any DG the SOD hashes that EF.COM left out.

    Returns the listing, the DGs read, the DGs refused (sorted) and the SOD's bytes."""
    com_raw = read_file(ch, EF_COM, block, progress)
    if com_raw is None:
        raise errors.MalformedData("The card has no readable list of data (EF.COM).")
    listing = com.parse(com_raw)
    dgs, refused = _read_dgs(ch, listing.data_groups, block, progress)
    sod_raw = read_file(ch, EF_SOD, block, progress)
    if sod_raw is None:
        raise errors.MalformedData("The card's data is incomplete (no EF.SOD).")
    # EF.COM is not signed: a clone can leave a data group out of it. The SOD's hash list is.
    signed = _signed_dgs(sod_raw)
    more, more_refused = _read_dgs(ch, sorted(signed - set(listing.data_groups)), block, progress)
    dgs.update(more)
    if 1 not in dgs:
        raise errors.MalformedData("The card's data is incomplete (no DG1).")
    return listing, dgs, tuple(sorted(refused + more_refused)), sod_raw


def _signed_dgs(sod_raw: bytes) -> set[int]:
    """Data groups the SOD has a hash for (empty if it does not decode: passive auth says so)."""
    try:
        return {n for n in sod_mod.parse(sod_raw).dg_hashes if 1 <= n <= 16}
    except errors.MalformedData:
        return set()


def _read_dgs(ch: Channel, numbers: Sequence[int], block: int,
              progress: Callable[[ReadProgress], object] | None
              ) -> tuple[dict[int, bytes], tuple[int, ...]]:
    dgs: dict[int, bytes] = {}
    refused = []
    for number in sorted(numbers):
        data = None if number in SKIPPED_DGS else read_file(ch, dg_fid(number), block, progress)
        if data is None:
            refused.append(number)
        else:
            dgs[number] = data
    return dgs, tuple(refused)


def _active_auth(ch: Channel, dgs: dict[int, bytes],
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
