"""The APDU channel a chip read runs on: one deadline, access control, and reading whole files.

    EF.CardAccess -> PACE-CAN (else BAC) -> SELECT eMRTD        (``open_channel``)
    READ BINARY by short file identifier, else SELECT + READ    (``read_file``)

``reader_session`` decides which files to read and verifies them; this module only moves bytes.
PACE runs in the master file and the application is selected under its secure channel; BAC
selects the application first, as ICAO 9303-11 orders them. Reads use short APDUs of the
caller's block size, the odd READ BINARY (B1) above offset 32767. Every APDU gets what is left
of the one deadline (``CardTimeout`` once it has passed). Errors are the card error tree.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from devices.card import errors
from devices.card.base import ReadProgress
from devices.card.chip.files import EF_CARD_ACCESS, EMRTD_AID, file_label
from devices.card.icao import tlv
from devices.card.icao.apdu import CommandApdu, ResponseApdu
from devices.card.icao.bac import BacTerminal
from devices.card.icao.card_access import PaceInfo, parse_security_infos
from devices.card.icao.pace import PASSWORD_CAN, PaceTerminal, can_password, supported_pace_info
from devices.card.icao.sm import SW_SM_DATA_OBJECTS_MISSING, SecureMessaging
from devices.card.transport import Transport

if TYPE_CHECKING:
    from devices.card.reader_session import AccessKey

__all__ = ["Channel", "SFI_REFUSALS", "open_channel", "read_file"]

log = logging.getLogger(__name__)


class Channel:
    """One transport, one deadline, and the secure channel once there is one."""

    def __init__(self, transport: Transport, deadline: float, clock: Callable[[], float],
                 apdu_timeout: float, extended: bool = False) -> None:
        self.transport, self.deadline, self.clock = transport, deadline, clock
        self.apdu_timeout = apdu_timeout
        self.extended = extended
        self.rng: Callable[[int], bytes] = os.urandom
        self.sm: SecureMessaging | None = None
        self.short_file_ids = True
        self.step = "start"  # what the read is doing, for errors (``CardError.step``)
        #: chip authentication changed the keys and no answer has verified under them yet
        self.ca_pending = False
        self.ca_variant = ""
        self.apdus = 0
        #: the largest block still to use: lowered to short APDUs when a chip that announced
        #: extended length answers an extended read with 6700 (wrong length)
        self.max_block = 0xFFFF
        #: the key the channel was opened with and how ("PACE" or "BAC"), to open it again
        self.key: AccessKey | None = None
        self.method = ""

    def raw(self, apdu: bytes) -> bytes:
        left = self.deadline - self.clock()
        if left <= 0:
            raise errors.CardTimeout()
        self.apdus += 1
        return self.transport.transmit(apdu, timeout=min(self.apdu_timeout, left))

    def send(self, cmd: CommandApdu) -> ResponseApdu:
        sm = self.sm
        if sm is not None:
            cmd = sm.protect(cmd)
        raw = self.raw(cmd.to_bytes(self.extended and not cmd.fits_short()))
        if sm is None:
            return ResponseApdu.parse(raw)
        try:
            resp = sm.unprotect(raw)
        except errors.SecureMessagingError:
            self.sm = None  # the channel is gone (the chip ended it, or the answer was forged)
            raise
        if sm.last_authenticated:
            self.ca_pending = False  # the chip proved it holds the chip-authentication key
        return resp


def _select(ch: Channel, fid: int) -> int:
    return ch.send(CommandApdu(0x00, 0xA4, 0x02, 0x0C, fid.to_bytes(2, "big"))).sw


def _read_chunk(ch: Channel, offset: int, size: int) -> ResponseApdu:
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


def read_file(ch: Channel, fid: int, block: int,
               progress: Callable[[ReadProgress], object] | None, *,
               one_object: bool = True) -> bytes | None:
    """The whole file, or None if the chip refuses it (6982) or it does not exist (6A82).

    LDS files are one BER-TLV object whose length says where the file ends; ``one_object=False``
    reads a file of several objects (EF.ATR/INFO) up to the chip's end of file. A chip that
    announced extended length but answers an extended read with 6700 is read with short APDUs
    from then on (its buffer is smaller than it said)."""
    block = min(block, ch.max_block)
    try:
        return _read_file(ch, fid, block, progress, one_object)
    except errors.MalformedData as exc:
        if exc.sw != 0x6700 or block <= 0xDF:
            raise
    log.info("The chip refused an extended-length read (6700); reading with short APDUs")
    ch.max_block, ch.extended = 0xDF, False
    return _read_file(ch, fid, 0xDF, progress, one_object)


def _read_file(ch: Channel, fid: int, block: int,
               progress: Callable[[ReadProgress], object] | None,
               one_object: bool) -> bytes | None:
    ch.step = f"read {file_label(fid)}"
    resp = _first_chunk(ch, fid, block)
    data, total, want = b"", None, block
    while resp is not None:
        if resp.sw == 0x6982 and not data:
            return None
        if not one_object and data and resp.sw == 0x6B00:  # the last read ended on the file's end
            return data
        if resp.sw not in (0x9000, 0x6282) or len(resp.data) > want:
            raise errors.MalformedData(f"Reading {file_label(fid)} failed ({resp.sw:04X}).",
                                       sw=resp.sw, detail=f"READ BINARY at offset {len(data)}")
        data += resp.data
        if total is None:
            total = _tlv_size(data, fid) if one_object else 0x7FFF
        if progress is not None:
            progress(ReadProgress(file_label(fid), min(len(data), total), total))
        if resp.sw == 0x6282 or not resp.data or len(data) >= total:
            break
        want = min(block, total - len(data))
        resp = _read_chunk(ch, len(data), want)
    if resp is None:
        return None
    assert total is not None
    if not one_object:
        return data
    if len(data) < total:
        raise errors.MalformedData(f"{file_label(fid)} is shorter than it says.")
    return data[:total]


#: Statuses with which chips without short file identifiers answer a READ BINARY by SFI
#: (or that could mean the file is not there at all: SELECT then tells the two apart).
SFI_REFUSALS = frozenset({0x6A82, 0x6A86, 0x6D00, 0x6986, 0x6982, 0x6A81, 0x6B00, 0x6E00})


def _first_chunk(ch: Channel, fid: int, block: int) -> ResponseApdu | None:
    """The file's first block: READ BINARY by short file identifier (one APDU instead of SELECT
    + READ; every LDS file has one), else SELECT by file ID then READ at offset 0.

    A chip that answers an SFI read with an error but lets the file be SELECTed has no short file
    identifiers: SELECT is used for every later file of the session. A file that SELECT cannot
    find either (6A82) or refuses (6982) is absent or withheld: None."""
    by_sfi = ch.short_file_ids and 0x0101 <= fid <= 0x011F
    if by_sfi:
        resp = ch.send(CommandApdu(0x00, 0xB0, 0x80 | (fid & 0x1F), 0x00, le=block))
        if resp.sw in (0x9000, 0x6282):
            return resp
        if resp.sw not in SFI_REFUSALS:
            raise errors.MalformedData(f"Reading {file_label(fid)} failed ({resp.sw:04X}).",
                                       sw=resp.sw, detail="READ BINARY by short file identifier")
    sw = _select(ch, fid)
    if sw in (0x6A82, 0x6982):
        return None
    if sw != 0x9000:
        raise errors.MalformedData(f"The card refused to open {file_label(fid)} ({sw:04X}).",
                                   sw=sw, detail="SELECT by file identifier")
    resp = _read_chunk(ch, 0, block)
    if by_sfi and resp.sw in (0x9000, 0x6282):
        ch.short_file_ids = False  # this chip wants SELECT: use it for the rest of the read
    return resp


def _tlv_size(head: bytes, fid: int) -> int:
    try:
        _tag, tag_end = tlv.decode_tag(head, 0)
        length, value_start = tlv.decode_length(head, tag_end)
    except errors.MalformedData:
        raise errors.MalformedData(f"{file_label(fid)} does not start like a data file.") from None
    return value_start + length


def open_channel(ch: Channel, key: AccessKey, block: int) -> str:
    """PACE-CAN if the card offers it and we have a CAN, else BAC. Returns the method used."""
    raw = read_file(ch, EF_CARD_ACCESS, block, None)  # free to read; absent on BAC-only cards
    info = _pace_info(raw)
    if info is not None and key.can:
        ch.step = "PACE"
        try:
            terminal = PaceTerminal(can_password(key.can), PASSWORD_CAN, info, ch.rng)
            _run(ch, terminal.start(), terminal.step)
            ch.sm = terminal.result
            sw = ch.send(CommandApdu(0x00, 0xA4, 0x04, 0x0C, EMRTD_AID)).sw
            if sw != 0x9000:
                raise errors.UnsupportedOperation("This card is not a chip ID card (CCCD).",
                                                  sw=sw, detail="SELECT of the eMRTD application")
            return "PACE"
        except errors.UnsupportedOperation:
            ch.sm = None  # BAC starts plain: never protect its commands with PACE's keys
            if key.doc_number is None:
                raise
    ch.step = "BAC"
    return _bac(ch, key)


def _pace_info(raw: bytes | None) -> PaceInfo | None:
    """The PACE variant EF.CardAccess offers that this kiosk runs; None: use BAC."""
    if not raw:
        return None
    try:
        return supported_pace_info(parse_security_infos(raw))
    except errors.MalformedData:
        log.warning("EF.CardAccess does not decode; trying BAC")
        return None


_BAC_REFUSED_EXPIRY = (
    "The card refused the ID number, date of birth and expiry date. Please check all three "
    "against the card, or ask a staff member for help.")
_BAC_REFUSED = (
    "The card refused the ID number and date of birth (every expiry date the card could have "
    "was tried). Please check the date of birth, or enter the expiry date printed on the card.")


def _bac(ch: Channel, key: AccessKey) -> str:
    """BAC with each candidate key seed; a wrong key is tried once per seed, never re-sent."""
    seeds = key.bac_seeds()
    if not seeds:
        if key.doc_number is not None:
            raise errors.BirthDateRequired(detail="no PACE; BAC needs the date of birth")
        raise errors.AccessDenied(
            "This card needs the date of birth (and expiry) to be opened. Please enter them, or "
            "scan the QR code on the card.")
    select = CommandApdu(0x00, 0xA4, 0x04, 0x0C, EMRTD_AID)
    sw = ch.send(select).sw
    if sw == SW_SM_DATA_OBJECTS_MISSING:  # a PACE session was still open: the chip just ended it
        sw = ch.send(select).sw
    if sw != 0x9000:
        raise errors.UnsupportedOperation("This card is not a chip ID card (CCCD).", sw=sw,
                                          detail="SELECT of the eMRTD application")
    last: errors.CardError | None = None
    for seed in seeds:
        terminal = BacTerminal(seed, ch.rng)
        try:
            _run(ch, terminal.start(), terminal.step)
        except errors.AccessDenied as exc:
            last = exc
            continue
        ch.sm = terminal.result
        return "BAC"
    assert last is not None
    message = _BAC_REFUSED_EXPIRY if key.expiry else _BAC_REFUSED
    raise errors.AccessDenied(message, sw=last.sw,
                              detail=f"{len(seeds)} BAC key(s) refused; last: {last.detail}")


def _run(ch: Channel, cmd: CommandApdu | None,
         step: Callable[[bytes], CommandApdu | None]) -> None:
    while cmd is not None:
        cmd = step(ch.raw(cmd.to_bytes()))
