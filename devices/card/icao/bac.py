"""Basic Access Control, ICAO Doc 9303 Part 11 §4.3 and Appendix D, both sides.

Terminal::

    term = BacTerminal(mrz_key_seed(doc, dob, expiry))
    cmd = term.start()                      # GET CHALLENGE
    while cmd is not None:
        cmd = term.step(transport.transmit(cmd.to_bytes()))
    sm = term.result                        # TripleDesSM with SSC = RND.IC[4:] || RND.IFD[4:]

Card (the emulator): ``BacCard(seed).process(cmd)`` answers GET CHALLENGE and EXTERNAL
AUTHENTICATE; after a successful authentication ``card.result`` holds the card's ``TripleDesSM``.
A wrong key makes the card answer 6300 and the terminal raise ``AccessDenied``.
"""

from __future__ import annotations

import hashlib
import hmac

from devices.card.errors import MalformedData, SecureMessagingError
from devices.card.icao import _crypto
from devices.card.icao._steps import DEFAULT_RNG, Rng, as_response, denied, refused, sw_error
from devices.card.icao._steps import unsupported
from devices.card.icao.apdu import CommandApdu, ResponseApdu
from devices.card.icao.sm import TripleDesSM
from devices.card.mrz import check_digit

__all__ = [
    "BacCard",
    "BacTerminal",
    "INS_EXTERNAL_AUTHENTICATE",
    "INS_GET_CHALLENGE",
    "mrz_information",
    "mrz_key_seed",
]

INS_GET_CHALLENGE = 0x84
INS_EXTERNAL_AUTHENTICATE = 0x82

_WRONG_KEY = (
    "The card refused the key made from the card's number and dates. Please check the ID number "
    "and date of birth, or ask a staff member for help."
)
_SW_OK, _SW_WRONG_LENGTH, _SW_CONDITIONS, _SW_REFUSED = 0x9000, 0x6700, 0x6985, 0x6300


def mrz_information(doc_number: str, dob_yymmdd: str, expiry_yymmdd: str) -> str:
    """Document number (padded with '<' to 9) + cd, DOB + cd, expiry + cd (§9.7.2).

    A card that does not expire has fillers ``<<<<<<`` in the expiry field (check digit 0)."""
    for date in (dob_yymmdd, expiry_yymmdd):
        if len(date) != 6 or not (date.isascii() and date.isdigit()) and date != "<<<<<<":
            raise ValueError("MRZ dates must be six digits YYMMDD")
    number = doc_number.upper().ljust(9, "<")
    return "".join(field + check_digit(field) for field in (number, dob_yymmdd, expiry_yymmdd))


def mrz_key_seed(doc_number: str, dob_yymmdd: str, expiry_yymmdd: str) -> bytes:
    """K_seed: the first 16 bytes of SHA-1 over the MRZ information."""
    info = mrz_information(doc_number, dob_yymmdd, expiry_yymmdd).encode("ascii")
    return hashlib.sha1(info).digest()[:16]


def _keys(seed: bytes) -> tuple[bytes, bytes]:
    return (_crypto.derive_key(seed, _crypto.KDF_ENC, "3des"),
            _crypto.derive_key(seed, _crypto.KDF_MAC, "3des"))


def _cryptogram(k_enc: bytes, k_mac: bytes, plain: bytes) -> bytes:
    encrypted = _crypto.tdes_cbc_encrypt(k_enc, plain)
    return encrypted + _crypto.retail_mac(k_mac, _crypto.pad(encrypted, 8))


def _open(k_enc: bytes, k_mac: bytes, data: bytes) -> bytes | None:
    """Decrypt E || M (32 + 8 bytes) after checking M; None if the MAC is wrong."""
    encrypted, mac = data[:32], data[32:]
    if not hmac.compare_digest(_crypto.retail_mac(k_mac, _crypto.pad(encrypted, 8)), mac):
        return None
    return _crypto.tdes_cbc_decrypt(k_enc, encrypted)


def _session(k_seed_ifd: bytes, k_seed_ic: bytes, rnd_ic: bytes, rnd_ifd: bytes) -> TripleDesSM:
    seed = bytes(a ^ b for a, b in zip(k_seed_ifd, k_seed_ic))
    ks_enc, ks_mac = _keys(seed)
    return TripleDesSM(ks_enc, ks_mac, int.from_bytes(rnd_ic[4:] + rnd_ifd[4:], "big"))


class BacTerminal:
    """The kiosk's side: GET CHALLENGE, then EXTERNAL AUTHENTICATE, then check the answer."""

    def __init__(self, seed: bytes, rng: Rng = DEFAULT_RNG) -> None:
        self._k_enc, self._k_mac = _keys(seed)
        self._rng = rng
        self._state = "new"
        self._rnd_ic = self._rnd_ifd = self._k_ifd = b""
        self._result: TripleDesSM | None = None

    def __repr__(self) -> str:
        return f"BacTerminal(state={self._state})"

    @property
    def result(self) -> TripleDesSM:
        if self._result is None:
            raise RuntimeError("BAC has not finished")
        return self._result

    def start(self) -> CommandApdu:
        self._state = "challenge"
        return CommandApdu(0x00, INS_GET_CHALLENGE, 0x00, 0x00, le=8)

    def step(self, raw: bytes | ResponseApdu) -> CommandApdu | None:
        """Feed the card's answer to the last command; returns the next command or None."""
        resp = as_response(raw)
        if self._state == "challenge":
            return self._external_authenticate(resp)
        if self._state == "authenticate":
            self._finish(resp)
            return None
        raise RuntimeError(f"BAC step called in state {self._state}")

    def _external_authenticate(self, resp: ResponseApdu) -> CommandApdu:
        if not resp.ok:
            raise unsupported(resp.sw, "GET CHALLENGE")
        if len(resp.data) != 8:
            raise MalformedData("The card's challenge has the wrong length.")
        self._rnd_ic = resp.data
        self._rnd_ifd, self._k_ifd = self._rng(8), self._rng(16)
        data = _cryptogram(self._k_enc, self._k_mac, self._rnd_ifd + self._rnd_ic + self._k_ifd)
        self._state = "authenticate"
        return CommandApdu(0x00, INS_EXTERNAL_AUTHENTICATE, 0x00, 0x00, data, le=40)

    def _finish(self, resp: ResponseApdu) -> None:
        self._state = "failed"
        if refused(resp.sw, final=True):
            raise denied(_WRONG_KEY, resp.sw, "EXTERNAL AUTHENTICATE")
        if not resp.ok:
            raise unsupported(resp.sw, "EXTERNAL AUTHENTICATE")
        if len(resp.data) != 40:
            raise MalformedData("The card's authentication answer has the wrong length.")
        plain = _open(self._k_enc, self._k_mac, resp.data)
        if plain is None or plain[:8] != self._rnd_ic or plain[8:16] != self._rnd_ifd:
            raise sw_error(SecureMessagingError(), resp.sw, "BAC answer did not verify")
        self._result = _session(self._k_ifd, plain[16:], self._rnd_ic, self._rnd_ifd)
        self._state = "done"


class BacCard:
    """The chip's side, for the virtual card; ``process`` never raises on bad input."""

    def __init__(self, seed: bytes, rng: Rng = DEFAULT_RNG) -> None:
        self._k_enc, self._k_mac = _keys(seed)
        self._rng = rng
        self._rnd_ic: bytes | None = None
        self.result: TripleDesSM | None = None

    def __repr__(self) -> str:
        return f"BacCard(authenticated={self.result is not None})"

    def process(self, cmd: CommandApdu) -> ResponseApdu:
        if cmd.ins == INS_GET_CHALLENGE:
            if cmd.data or cmd.le != 8:
                return ResponseApdu(b"", _SW_WRONG_LENGTH)
            self._rnd_ic = self._rng(8)
            self.result = None
            return ResponseApdu(self._rnd_ic, _SW_OK)
        if cmd.ins == INS_EXTERNAL_AUTHENTICATE:
            return self._authenticate(cmd)
        return ResponseApdu(b"", 0x6D00)

    def _authenticate(self, cmd: CommandApdu) -> ResponseApdu:
        rnd_ic, self._rnd_ic = self._rnd_ic, None  # one attempt per challenge
        if rnd_ic is None:
            return ResponseApdu(b"", _SW_CONDITIONS)
        if len(cmd.data) != 40:
            return ResponseApdu(b"", _SW_WRONG_LENGTH)
        plain = _open(self._k_enc, self._k_mac, cmd.data)
        if plain is None or plain[8:16] != rnd_ic:
            return ResponseApdu(b"", _SW_REFUSED)
        rnd_ifd, k_ifd = plain[:8], plain[16:]
        k_ic = self._rng(16)
        answer = _cryptogram(self._k_enc, self._k_mac, rnd_ic + rnd_ifd + k_ic)
        self.result = _session(k_ifd, k_ic, rnd_ic, rnd_ifd)
        return ResponseApdu(answer, _SW_OK)
