"""Secure messaging, ICAO Doc 9303 Part 11 §9.8, for both ends of the channel.

The terminal calls ``protect`` before sending and ``unprotect`` on the answer; the (virtual) card
calls ``unprotect_command`` on what it receives and ``protect_response`` on what it sends. Each of
the four calls increments the send sequence counter (SSC) first, so a terminal and a card built
with the same keys and SSC stay in step for as long as every APDU gets an answer.

Layout: DO'87' (01 || cryptogram; DO'85' without the 01 for odd INS), DO'97' (Le), DO'99'
(status word), DO'8E' (MAC over SSC, the padded header for commands, and every DO before it).
3DES uses zero IVs and the ISO 9797-1 retail MAC; AES uses IV = AES-ECB(K_enc, SSC) and CMAC
truncated to 8 bytes. Both pad the MAC input with method 2.
"""

from __future__ import annotations

import abc
import hmac

from devices.card.errors import CardError, SecureMessagingError
from devices.card.icao import _crypto, tlv
from devices.card.icao._crypto import CipherName, derive_key
from devices.card.icao.apdu import CommandApdu, ResponseApdu

__all__ = [
    "AesSM",
    "CipherName",
    "SW_SM_DATA_OBJECTS_INCORRECT",
    "SW_SM_DATA_OBJECTS_MISSING",
    "SecureMessaging",
    "TripleDesSM",
    "derive_key",
    "is_error_status",
    "make_sm",
]

SW_SM_DATA_OBJECTS_MISSING = 0x6987
SW_SM_DATA_OBJECTS_INCORRECT = 0x6988
_SM_CLA_BITS = 0x0C
_MAC_LEN = 8


def _sm_error(what: str) -> SecureMessagingError:
    err = SecureMessagingError()
    err.detail = what  # for IT logs; the message stays the citizen's sentence
    return err


class SecureMessaging(abc.ABC):
    """One end of an established secure channel; not thread-safe (one APDU at a time)."""

    block_size: int
    ssc_bytes: int
    cipher: CipherName

    def __init__(self, k_enc: bytes, k_mac: bytes, ssc: int = 0) -> None:
        self._k_enc = bytes(k_enc)
        self._k_mac = bytes(k_mac)
        self._ssc = ssc % (1 << (8 * self.ssc_bytes))
        self._odd_ins = False
        #: whether the last ``unprotect`` checked a MAC (False for a plain error status)
        self.last_authenticated = False

    def __repr__(self) -> str:  # never show keys
        return f"{type(self).__name__}(ssc={self._ssc:#x})"

    @property
    def ssc(self) -> int:
        return self._ssc

    @abc.abstractmethod
    def _encrypt(self, ssc: bytes, padded: bytes) -> bytes: ...

    @abc.abstractmethod
    def _decrypt(self, ssc: bytes, cryptogram: bytes) -> bytes: ...

    @abc.abstractmethod
    def _mac_padded(self, data: bytes) -> bytes: ...

    def mac(self, ssc: bytes, data: bytes) -> bytes:
        """The 8-byte MAC of ``pad(ssc || data)`` under K_mac."""
        return self._mac_padded(_crypto.pad(ssc + data, self.block_size))

    def _next_ssc(self) -> bytes:
        self._ssc = (self._ssc + 1) % (1 << (8 * self.ssc_bytes))
        return self._ssc.to_bytes(self.ssc_bytes, "big")

    def _data_do(self, ssc: bytes, data: bytes, odd_ins: bool) -> bytes:
        cryptogram = self._encrypt(ssc, _crypto.pad(data, self.block_size))
        if odd_ins:
            return tlv.encode(0x85, cryptogram)
        return tlv.encode(0x87, b"\x01" + cryptogram)

    def _open_data_do(self, ssc: bytes, tag: int, value: bytes) -> bytes:
        if tag == 0x87:
            if not value or value[0] != 0x01:
                raise _sm_error("DO'87' without padding indicator 01")
            value = value[1:]
        if not value or len(value) % self.block_size:
            raise _sm_error("cryptogram is not whole blocks")
        plain = _crypto.unpad(self._decrypt(ssc, value))
        if plain is None:
            raise _sm_error("cryptogram padding is wrong")
        return plain

    def _verify(
        self, ssc: bytes, prefix: bytes, body: bytes, allowed: set[int]
    ) -> dict[int, bytes]:
        """Check DO'8E' (last) over ``prefix || DOs before it``; return the DOs by tag."""
        try:
            objects, mac_at = _split_objects(body)
        except CardError as exc:
            raise _sm_error("secure messaging data objects do not decode") from exc
        if 0x8E not in objects or mac_at is None:
            raise _sm_error("DO'8E' (MAC) is missing")
        if set(objects) - allowed - {0x8E}:
            raise _sm_error("unexpected secure messaging data object")
        expected = self.mac(ssc, prefix + body[:mac_at])
        if not hmac.compare_digest(expected, objects[0x8E]):
            raise _sm_error("MAC does not verify")
        return objects

    # ----- terminal side -------------------------------------------------------------------

    def protect(self, cmd: CommandApdu) -> CommandApdu:
        """Wrap a plain command; the result's Le is 256 (65536 when extended length is needed)."""
        ssc = self._next_ssc()
        cla = cmd.cla | _SM_CLA_BITS
        header = bytes([cla, cmd.ins, cmd.p1, cmd.p2])
        body = self._data_do(ssc, cmd.data, bool(cmd.ins & 1)) if cmd.data else b""
        if cmd.le is not None:
            body += tlv.encode(0x97, _encode_le(cmd.le))
        body += tlv.encode(0x8E, self.mac(ssc, _crypto.pad(header, self.block_size) + body))
        extended = len(body) > 255 or (cmd.le or 0) > 256
        return CommandApdu(cla, cmd.ins, cmd.p1, cmd.p2, body, 65536 if extended else 256)

    def unprotect(self, raw: bytes | ResponseApdu) -> ResponseApdu:
        """Check and open the card's answer; SM errors and a bad MAC raise SecureMessagingError.

        What real chips send, and what is accepted (docs/chip-design.md, "Secure messaging"):

        - a protected answer whose MAC verifies: its status from DO'99', or, when a chip leaves
          DO'99' out, from the trailer (as JMRTD does; the data stays under the MAC);
        - a plain error status (6A82, 6982, 6D00...: some chips never protect errors): returned
          as it is, without advancing the counter, because the chip did not advance its own.
          It is not authenticated, so it can only ever stop something, never report data or
          success: a plain 9000 or 62xx inside the channel is refused;
        - 6987/6988 (the chip ended the channel) and a MAC that fails: SecureMessagingError.
        """
        resp = raw if isinstance(raw, ResponseApdu) else ResponseApdu.parse(raw)
        self.last_authenticated = False
        if resp.sw in (SW_SM_DATA_OBJECTS_MISSING, SW_SM_DATA_OBJECTS_INCORRECT):
            self._next_ssc()
            raise _sm_error(f"card reported a secure messaging error {resp.sw:04X}")
        if not resp.data:
            if is_error_status(resp.sw):
                return resp
            raise _sm_error(f"unprotected status {resp.sw:04X} inside the secure channel")
        ssc = self._next_ssc()
        objects = self._verify(ssc, b"", resp.data, {0x85, 0x87, 0x99})
        sw = resp.sw
        if 0x99 in objects:
            if len(objects[0x99]) != 2:
                raise _sm_error("DO'99' is not two bytes")
            sw = int.from_bytes(objects[0x99], "big")
        data = b""
        for tag in (0x87, 0x85):
            if tag in objects:
                data = self._open_data_do(ssc, tag, objects[tag])
        self.last_authenticated = True
        return ResponseApdu(data, sw)

    # ----- card side -----------------------------------------------------------------------

    def unprotect_command(self, cmd: CommandApdu) -> CommandApdu:
        """Check and open a protected command; the card answers 6987/6988 when this raises."""
        ssc = self._next_ssc()
        self._odd_ins = bool(cmd.ins & 1)
        if cmd.cla & _SM_CLA_BITS != _SM_CLA_BITS:
            raise _sm_error("command is not protected")
        header = _crypto.pad(cmd.header, self.block_size)
        objects = self._verify(ssc, header, cmd.data, {0x85, 0x87, 0x97})
        data = b""
        for tag in (0x87, 0x85):
            if tag in objects:
                data = self._open_data_do(ssc, tag, objects[tag])
        le = _decode_le(objects[0x97]) if 0x97 in objects else None
        return CommandApdu(cmd.cla & ~_SM_CLA_BITS & 0xFF, cmd.ins, cmd.p1, cmd.p2, data, le)

    def protect_response(self, resp: ResponseApdu, *, with_status: bool = True) -> bytes:
        """Wrap the card's answer; SM errors (6987/6988) go out plain, as ICAO requires.

        ``with_status=False`` leaves DO'99' out, as some issued chips do."""
        if resp.sw in (SW_SM_DATA_OBJECTS_MISSING, SW_SM_DATA_OBJECTS_INCORRECT):
            return resp.sw.to_bytes(2, "big")
        ssc = self._next_ssc()
        body = self._data_do(ssc, resp.data, self._odd_ins) if resp.data else b""
        if with_status:
            body += tlv.encode(0x99, resp.sw.to_bytes(2, "big"))
        body += tlv.encode(0x8E, self.mac(ssc, body))
        return body + resp.sw.to_bytes(2, "big")


def is_error_status(sw: int) -> bool:
    """A status that reports a failure (ISO 7816-4: 63xx-6Fxx), not success or data."""
    return 0x6300 <= sw <= 0x6FFF


def _split_objects(body: bytes) -> tuple[dict[int, bytes], int | None]:
    """Top-level DOs by tag, and the offset of DO'8E', which must come last and only once."""
    objects: dict[int, bytes] = {}
    offset, mac_at = 0, None
    while offset < len(body):
        tag, value, end = tlv.decode_one(body, offset)
        if tag in objects or mac_at is not None:
            raise _sm_error("repeated data object or data after the MAC")
        if tag == 0x8E:
            if len(value) != _MAC_LEN:
                raise _sm_error("DO'8E' is not 8 bytes")
            mac_at = offset
        objects[tag] = value
        offset = end
    return objects, mac_at


def _encode_le(le: int) -> bytes:
    return bytes([le & 0xFF]) if le <= 256 else (le & 0xFFFF).to_bytes(2, "big")


def _decode_le(raw: bytes) -> int:
    if len(raw) == 1:
        return raw[0] or 256
    if len(raw) == 2:
        return int.from_bytes(raw, "big") or 65536
    raise _sm_error("DO'97' is not one or two bytes")


class TripleDesSM(SecureMessaging):
    """BAC's channel (and PACE with 3DES): 2-key 3DES-CBC, zero IV, retail MAC, 8-byte SSC."""

    block_size = 8
    ssc_bytes = 8
    cipher: CipherName = "3des"

    def _encrypt(self, ssc: bytes, padded: bytes) -> bytes:
        return _crypto.tdes_cbc_encrypt(self._k_enc, padded)

    def _decrypt(self, ssc: bytes, cryptogram: bytes) -> bytes:
        return _crypto.tdes_cbc_decrypt(self._k_enc, cryptogram)

    def _mac_padded(self, data: bytes) -> bytes:
        return _crypto.retail_mac(self._k_mac, data)


class AesSM(SecureMessaging):
    """PACE's AES channel: AES-CBC with IV = E(K_enc, SSC), CMAC truncated to 8, 16-byte SSC."""

    block_size = 16
    ssc_bytes = 16
    cipher: CipherName = "aes128"

    def __init__(self, k_enc: bytes, k_mac: bytes, ssc: int = 0) -> None:
        if len(k_enc) not in (16, 24, 32) or len(k_mac) != len(k_enc):
            raise ValueError("AES keys are 16, 24 or 32 bytes, both the same size")
        super().__init__(k_enc, k_mac, ssc)
        sizes: dict[int, CipherName] = {16: "aes128", 24: "aes192", 32: "aes256"}
        self.cipher = sizes[len(k_enc)]

    def _iv(self, ssc: bytes) -> bytes:
        return _crypto.aes_ecb_encrypt(self._k_enc, ssc)

    def _encrypt(self, ssc: bytes, padded: bytes) -> bytes:
        return _crypto.aes_cbc_encrypt(self._k_enc, padded, self._iv(ssc))

    def _decrypt(self, ssc: bytes, cryptogram: bytes) -> bytes:
        return _crypto.aes_cbc_decrypt(self._k_enc, cryptogram, self._iv(ssc))

    def _mac_padded(self, data: bytes) -> bytes:
        return _crypto.aes_cmac(self._k_mac, data)[:_MAC_LEN]


def make_sm(cipher: CipherName, shared: bytes, ssc: int = 0) -> SecureMessaging:
    """Session keys KDF(shared, 1) and KDF(shared, 2) and the matching channel."""
    k_enc = derive_key(shared, _crypto.KDF_ENC, cipher)
    k_mac = derive_key(shared, _crypto.KDF_MAC, cipher)
    if cipher == "3des":
        return TripleDesSM(k_enc, k_mac, ssc)
    return AesSM(k_enc, k_mac, ssc)
