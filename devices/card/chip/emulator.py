"""The card side of a CCCD chip: an APDU dispatcher over files, access control and secure messaging.

It answers like the real cards (cccd.md section 4) so the reader is tested against the behaviour
it will meet: SELECT of the master file gives 6D00, EF.CardAccess is free, every other file needs
PACE-CAN or BAC, DG3 stays closed, and once a secure channel exists every command must use it: a
plain command or a bad MAC ends the session (6987 / 6988), exactly as a chip does, so the reader
has to start over. Protocol maths (SM, BAC, PACE, AA signatures) lives in ``devices.card.icao``
and ``devices.card.lds``; this module only decides what to answer.

The chip is single-threaded by design: ``process`` is called by one transport at a time.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from devices.card import errors
from devices.card.chip import files as fs
from devices.card.chip.files import EMRTD_AID
from devices.card.chip.hostile import ChipRemoved, Hostile
from devices.card.chip.quirks import Quirks
from devices.card.icao.apdu import CommandApdu, ResponseApdu
from devices.card.icao import tlv
from devices.card.icao.bac import BacCard
from devices.card.icao.card_access import pace_infos, parse_security_infos
from devices.card.icao.pace import PASSWORD_CAN, PASSWORD_MRZ, PaceCard, can_password
from devices.card.icao.sm import SecureMessaging, is_error_status
from devices.card.lds.active import sign
from devices.card.transport import DEFAULT_TIMEOUT_S, Transport

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    from devices.card.icao.ca import CaCard
    from devices.card.icao.ca_keys import EphemeralKey

__all__ = ["EMRTD_AID", "EXTENDED_HISTORICAL", "ChipKeys", "InProcessTransport", "VirtualChip",
           "atr_info", "make_atr"]

_SM_BITS = 0x0C
_CHAINING = 0x10
SW_OK = 0x9000
SW_AUTH_FAILED = 0x6300
SW_WRONG_LENGTH = 0x6700
SW_SM_MISSING = 0x6987
SW_SM_INCORRECT = 0x6988
SW_SECURITY = 0x6982
SW_CONDITIONS = 0x6985
SW_WRONG_DATA = 0x6A80
SW_NOT_FOUND = 0x6A82
SW_WRONG_P1P2 = 0x6A86
SW_INS_UNSUPPORTED = 0x6D00
SW_CLA_UNSUPPORTED = 0x6E00


#: Historical bytes of a chip that takes extended-length APDUs: category 80, card capabilities
#: 73 with command chaining and extended Lc/Le (third software function byte C0).
EXTENDED_HISTORICAL = bytes.fromhex("80730021C0")


def atr_info(max_command: int, max_response: int) -> bytes:
    """EF.ATR/INFO announcing extended length: 7F66 { INTEGER max command, INTEGER max response }
    and the card capabilities 47 (ISO/IEC 7816-4 §12.7.1)."""
    lengths = tlv.encode(0x02, max_command.to_bytes(2, "big")) + tlv.encode(
        0x02, max_response.to_bytes(2, "big"))
    return tlv.encode(0x47, bytes.fromhex("0080C0")) + tlv.encode(0x7F66, lengths)


def make_atr(historical: bytes = b"\x80\x01\x80\x00\x00\x00\x00\x00") -> bytes:
    """A contactless-card ATR as PC/SC part 3 builds it (3B 8n 80 01 + historical bytes + TCK)."""
    body = bytes([0x80 | len(historical), 0x80, 0x01]) + historical
    tck = 0
    for byte in body:
        tck ^= byte
    return b"\x3b" + body + bytes([tck])


@dataclasses.dataclass(frozen=True)
class ChipKeys:
    """The chip's secrets. ``can``: PACE-CAN (last 6 digits of the ID); ``bac_seed``: K_seed from
    the MRZ (None: BAC refused); ``aa_key``: the private key matching DG15 (None: no AA)."""

    can: str | None = None
    bac_seed: bytes | None = None
    aa_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = None
    pace_tries: int = 3  # wrong CANs allowed before PACE is blocked (answers 6982)
    ca_key: EphemeralKey | None = None  # chip authentication (None: no CA)
    ca_oid: str = ""

    def __repr__(self) -> str:  # secrets never printed
        return (f"ChipKeys(can={'set' if self.can else 'none'}, "
                f"bac={'set' if self.bac_seed else 'none'}, aa={'set' if self.aa_key else 'none'}, "
                f"ca={'set' if self.ca_key else 'none'})")


class VirtualChip:
    """``files``: content by file id; ``rng(n)`` gives n random bytes (inject for repeatable tests)."""

    def __init__(
        self,
        files: fs.ChipFiles,
        keys: ChipKeys,
        *,
        hostile: Hostile | None = None,
        quirks: Quirks | None = None,
        extended_length: bool = False,
        rng: Callable[[int], bytes] = os.urandom,
        atr: bytes | None = None,
    ) -> None:
        self.files = dict(files)
        self.keys = keys
        self.hostile = hostile
        self.quirks = quirks or Quirks()
        self.extended_length = extended_length
        self.rng = rng
        self.atr = atr or make_atr(EXTENDED_HISTORICAL if extended_length else
                                   b"\x80\x01\x80\x00\x00\x00\x00\x00")
        if extended_length and fs.EF_ATR_INFO not in self.files:
            self.files[fs.EF_ATR_INFO] = atr_info(self.quirks.max_response,
                                                  self.quirks.max_response)
        self.pace_tries_left = keys.pace_tries
        self.apdu_count = 0
        self.reset()

    # -- life cycle -------------------------------------------------------------------------------
    def reset(self) -> bytes:
        """Power cycle: nothing selected, no session. Returns the ATR."""
        self._applet = False
        self._current: int | None = None
        self._sm: SecureMessaging | None = None  # once PACE or BAC succeeded
        self.auth_method: str | None = None
        self._bac: BacCard | None = None
        self._pace: PaceCard | None = None
        self._ca: CaCard | None = None  # while chip authentication runs
        return self.atr

    @property
    def authenticated(self) -> bool:
        return self._sm is not None

    def _drop_session(self) -> None:
        self._sm = None
        self.auth_method = None

    # -- the APDU loop ------------------------------------------------------------------------------
    def process(self, apdu: bytes) -> bytes:
        """Answer one command APDU (raw bytes in, data + SW out); ``ChipRemoved`` if the card left."""
        self.apdu_count += 1
        if self.hostile is not None:
            self.hostile.before_command()
        secured = self._sm is not None
        response = self._answer(bytes(apdu))
        if self.hostile is not None:
            response = self.hostile.mangle(response, secured=secured)
        return response

    def _answer(self, raw: bytes) -> bytes:
        try:
            cmd = CommandApdu.parse(raw)
        except errors.MalformedData:
            return SW_WRONG_LENGTH.to_bytes(2, "big")
        if len(raw) >= 7 and raw[4] == 0 and not self.extended_length:
            return SW_WRONG_LENGTH.to_bytes(2, "big")  # reader sent extended, chip refuses
        protected = cmd.cla & _SM_BITS == _SM_BITS
        if self._sm is None:
            if protected:
                return SW_SM_MISSING.to_bytes(2, "big")
            return self._status(self._dispatch(cmd)).to_bytes()
        if not protected:
            self._drop_session()  # a plain command inside a session ends it, like a real chip
            return SW_SM_MISSING.to_bytes(2, "big")
        sm = self._sm
        try:
            inner = sm.unprotect_command(cmd)
        except errors.SecureMessagingError:
            self._drop_session()
            return SW_SM_INCORRECT.to_bytes(2, "big")
        answer = self._status(self._dispatch(inner))
        if self.quirks.plain_errors and is_error_status(answer.sw):
            return answer.sw.to_bytes(2, "big")  # unprotected, and not counted
        wrapped = sm.protect_response(answer, with_status=not self.quirks.no_do99)
        if self._ca is not None and self._ca.pending is not None:
            # chip authentication done: this answer went out under the old keys, the next
            # command must come under the new ones (a clone's keys are not the kiosk's)
            self._sm, self._ca = self._ca.pending, None
        return wrapped

    def _status(self, response: ResponseApdu) -> ResponseApdu:
        """A hostile ``wrong-sw`` chip gets its status wrong before it is protected."""
        if self.hostile is None:
            return response
        return ResponseApdu(response.data, self.hostile.status_word(response.sw))

    def _dispatch(self, cmd: CommandApdu) -> ResponseApdu:
        handlers = {
            0xA4: self._select, 0xB0: self._read_binary, 0xB1: self._read_binary_odd,
            0x84: self._get_challenge, 0x82: self._external_authenticate,
            0x22: self._mse, 0x86: self._general_authenticate,
            0x88: self._internal_authenticate,
        }
        if cmd.cla & ~(_CHAINING | _SM_BITS) & 0xFF:
            return _sw(SW_CLA_UNSUPPORTED)
        handler = handlers.get(cmd.ins)
        if handler is None:
            return _sw(SW_INS_UNSUPPORTED)
        return handler(cmd)

    # -- files ----------------------------------------------------------------------------------
    def _select(self, cmd: CommandApdu) -> ResponseApdu:
        if cmd.p1 == 0x04:
            if cmd.data != EMRTD_AID:
                return _sw(SW_NOT_FOUND)
            self._applet, self._current = True, None
            return _sw(SW_OK)
        if cmd.p1 in (0x00, 0x01, 0x03):
            return _sw(SW_INS_UNSUPPORTED)  # the CCCD answers 6D00 to SELECT MF (3F00)
        if cmd.p1 != 0x02 or len(cmd.data) != 2:
            return _sw(SW_WRONG_P1P2)
        fid = int.from_bytes(cmd.data, "big")
        if fid not in self.files or (fs.in_applet(fid) and not self._applet):
            return _sw(SW_NOT_FOUND)
        self._current = fid
        return _sw(SW_OK)

    def _read_binary(self, cmd: CommandApdu) -> ResponseApdu:
        if cmd.p1 & 0x80:  # short file identifier in P1, offset in P2
            if self.quirks.sfi_status is not None:
                return _sw(self.quirks.sfi_status)
            fid: int | None = fs.fid_for_sfi(cmd.p1 & 0x1F)
            offset = cmd.p2
            if fid not in self.files or (fs.in_applet(fid) and not self._applet):
                return _sw(SW_NOT_FOUND)
            self._current = fid
        else:
            fid, offset = self._current, (cmd.p1 << 8) | cmd.p2
        return self._read(fid, offset, cmd.le)

    def _read_binary_odd(self, cmd: CommandApdu) -> ResponseApdu:
        """READ BINARY B1: offset in DO'54' (for files above 32767 bytes), data in DO'53'."""
        try:
            tag, value, _end = tlv.decode_one(cmd.data)
        except errors.MalformedData:
            return _sw(SW_WRONG_DATA)
        if tag != 0x54 or not 1 <= len(value) <= 3:
            return _sw(SW_WRONG_DATA)
        inner = self._read(self._current, int.from_bytes(value, "big"), (cmd.le or 256) - 4)
        data = tlv.encode(0x53, inner.data) if inner.data else b""
        return ResponseApdu(data, inner.sw)

    def _read(self, fid: int | None, offset: int, le: int | None) -> ResponseApdu:
        if fid is None:
            return _sw(SW_CONDITIONS)  # no file selected
        status = fs.access_status(fid, authenticated=self.authenticated)
        if status != SW_OK:
            return _sw(status)
        if (le or 0) + 40 > self.quirks.max_response and (le or 0) > 256:
            return _sw(SW_WRONG_LENGTH)  # more than the chip's buffer holds
        data, status = fs.read_range(self.files[fid], offset, le or 0)
        return ResponseApdu(data, status)

    # -- BAC -------------------------------------------------------------------------------------
    def _get_challenge(self, cmd: CommandApdu) -> ResponseApdu:
        if self._sm is not None:  # inside a session: a plain challenge (e.g. for TA)
            if cmd.le != 8:
                return _sw(SW_WRONG_LENGTH)
            return ResponseApdu(self.rng(8), SW_OK)
        if self.keys.bac_seed is None:
            return _sw(SW_CONDITIONS)
        bac = self._bac = BacCard(self.keys.bac_seed, self.rng)
        return bac.process(cmd)

    def _external_authenticate(self, cmd: CommandApdu) -> ResponseApdu:
        bac, self._bac = self._bac, None  # one attempt per challenge, like the card
        if bac is None or self._sm is not None:
            return _sw(SW_CONDITIONS)
        answer = bac.process(cmd)
        if answer.ok and bac.result is not None:
            self._sm, self.auth_method = bac.result, "BAC"
        elif answer.sw == SW_AUTH_FAILED:
            return _sw(self.quirks.wrong_key(self.keys.pace_tries))
        return answer

    # -- PACE ------------------------------------------------------------------------------------
    def _mse(self, cmd: CommandApdu) -> ResponseApdu:
        if (cmd.p1, cmd.p2) in ((0x41, 0xA4), (0x41, 0xA6)):
            return self._chip_authentication(cmd)
        if (cmd.p1, cmd.p2) != (0xC1, 0xA4):
            return _sw(SW_WRONG_P1P2)
        if self.keys.can is None or self._sm is not None:
            return _sw(SW_CONDITIONS)
        if self.pace_tries_left <= 0:
            return _sw(SW_SECURITY)  # blocked after too many wrong CANs
        try:
            reference = tlv.find(cmd.data, 0x83)
            infos = pace_infos(parse_security_infos(self.files.get(fs.EF_CARD_ACCESS, b"")))
        except errors.MalformedData:
            return _sw(SW_WRONG_DATA)
        if reference == bytes([PASSWORD_MRZ]):
            return _sw(SW_SECURITY)  # CCCDs reportedly refuse PACE-MRZ; BAC works (cccd.md s4)
        pace = self._pace = PaceCard({PASSWORD_CAN: can_password(self.keys.can)}, infos, self.rng)
        answer = pace.process(cmd)
        if not answer.ok:
            self._pace = None
        return answer

    def _general_authenticate(self, cmd: CommandApdu) -> ResponseApdu:
        if self._ca is not None:
            return self._chip_authentication(cmd)
        pace = self._pace
        if pace is None or self._sm is not None:
            return _sw(SW_CONDITIONS)
        answer = pace.process(cmd)
        if answer.sw == SW_AUTH_FAILED:  # the terminal's token was made with another CAN
            self._pace = None
            self.pace_tries_left -= 1
            return _sw(self.quirks.wrong_key(self.pace_tries_left))
        elif not answer.ok:
            self._pace = None
        elif pace.result is not None:
            self._pace, self._sm, self.auth_method = None, pace.result, "PACE"
            self.pace_tries_left = self.keys.pace_tries
        return answer

    # -- Chip Authentication ----------------------------------------------------------------------
    def _chip_authentication(self, cmd: CommandApdu) -> ResponseApdu:
        from devices.card.icao.ca import CaCard

        if self._sm is None:
            return _sw(SW_SECURITY)
        if self.keys.ca_key is None:
            return _sw(SW_INS_UNSUPPORTED if cmd.ins == 0x86 else SW_WRONG_P1P2)
        if cmd.ins == 0x22:
            self._ca = CaCard(self.keys.ca_key, self.keys.ca_oid)
        if self._ca is None:
            return _sw(SW_CONDITIONS)
        answer = self._ca.process(cmd)
        if not answer.ok:
            self._ca = None
        return answer

    # -- Active Authentication --------------------------------------------------------------------
    def _internal_authenticate(self, cmd: CommandApdu) -> ResponseApdu:
        if self._sm is None:
            return _sw(SW_SECURITY)
        if self.keys.aa_key is None:
            return _sw(SW_INS_UNSUPPORTED)
        if len(cmd.data) != 8:
            return _sw(SW_WRONG_DATA)
        return ResponseApdu(sign(self.keys.aa_key, cmd.data), SW_OK)


def _sw(status: int) -> ResponseApdu:
    return ResponseApdu(b"", status)


class InProcessTransport(Transport):
    """Talks to a ``VirtualChip`` directly: the quickest real path for tests and demos.

    Hostile ``slow`` answers are judged against ``timeout`` without really waiting (virtual time):
    a slower answer than allowed raises ``CardTimeout`` as a real transport would.
    """

    def __init__(self, chip: VirtualChip) -> None:
        self.chip = chip
        self.extended_length = chip.extended_length  # no reader in between to refuse it
        self.atr = chip.atr
        self._closed = False

    def transmit(self, apdu: bytes, timeout: float = DEFAULT_TIMEOUT_S) -> bytes:
        if self._closed:
            raise errors.CardRemoved()
        try:
            response = self.chip.process(apdu)
        except ChipRemoved:
            self._closed = True
            raise errors.CardRemoved() from None
        hostile = self.chip.hostile
        if hostile is not None and hostile.delay() > timeout:
            raise errors.CardTimeout()
        return self.check_response(response)

    def close(self) -> None:
        self._closed = True
