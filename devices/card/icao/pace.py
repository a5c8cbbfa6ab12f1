"""PACE with ECDH generic mapping (ICAO Doc 9303 Part 11 §4.4 and §9.2), both sides.

Terminal::

    term = PaceTerminal(can_password("123456"), PASSWORD_CAN, pace_info)
    cmd = term.start()                      # MSE:Set AT
    while cmd is not None:                  # GENERAL AUTHENTICATE x4, chained (CLA 10) but the last
        cmd = term.step(transport.transmit(cmd.to_bytes()))
    sm = term.result                        # AesSM (or TripleDesSM) with SSC 0

Card (the emulator): ``PaceCard({PASSWORD_CAN: b"123456"}, [pace_info]).process(cmd)`` answers
MSE:Set AT and the four GENERAL AUTHENTICATE steps; ``card.result`` holds its channel afterwards.

Steps: the card sends z = E(K_pi, s); both exchange mapping keys (81/82) and compute
G~ = s*G + H; both exchange ephemeral keys on G~ (83/84); K = x(shared point) gives KS_enc and
KS_mac; tokens (85/86) are MACs over the other side's key in a 7F49 object. A wrong password
leads to different nonces, the card rejects the terminal's token (6300), and the terminal raises
``AccessDenied``. A refused MSE:Set AT raises ``UnsupportedOperation`` so the reader can fall back
to BAC. Supported: id-PACE-ECDH-GM-{3DES, AES-128/192/256}, parameter ids 8-18.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence

from ecdsa.ellipticcurve import PointJacobi

from devices.card.errors import MalformedData, SecureMessagingError, UnsupportedOperation
from devices.card.icao import _crypto, tlv
from devices.card.icao._ec import Curve, curve_for_parameter_id
from devices.card.icao._steps import DEFAULT_RNG, Rng, as_response, denied, refused, sw_error
from devices.card.icao._steps import unsupported
from devices.card.icao.apdu import CLA_CHAINING, CommandApdu, ResponseApdu
from devices.card.icao.bac import mrz_information
from devices.card.icao.card_access import PaceInfo, encode_oid
from devices.card.icao.sm import AesSM, SecureMessaging, TripleDesSM

__all__ = [
    "PASSWORD_CAN",
    "PASSWORD_MRZ",
    "PaceCard",
    "PaceTerminal",
    "auth_token",
    "can_password",
    "mrz_password",
    "password_key",
    "supported_pace_info",
]

PASSWORD_MRZ = 1
PASSWORD_CAN = 2

INS_MSE, INS_GENERAL_AUTHENTICATE = 0x22, 0x86
_WRONG_CAN = (
    "The card refused the access number. Please check the ID number you typed, or scan the QR "
    "code on the card."
)
_WRONG_MRZ = (
    "The card refused the key made from the card's number and dates. Please check them, or ask a "
    "staff member for help."
)


def can_password(can: str) -> bytes:
    """The CAN as PACE uses it: its ASCII digits."""
    if not can.isdigit() or not can.isascii():
        raise ValueError("the CAN is made of digits")
    return can.encode("ascii")


def mrz_password(doc_number: str, dob_yymmdd: str, expiry_yymmdd: str) -> bytes:
    """The MRZ password for PACE: the full SHA-1 of the MRZ information (§9.7.3)."""
    return hashlib.sha1(mrz_information(doc_number, dob_yymmdd, expiry_yymmdd).encode()).digest()


def supported_pace_info(infos: Sequence[object]) -> PaceInfo | None:
    """The first PaceInfo (EF.CardAccess order) this module can run, or None (use BAC)."""
    for info in infos:
        if isinstance(info, PaceInfo):
            try:
                _Suite(info)
            except UnsupportedOperation:
                continue
            return info
    return None


def password_key(password: bytes, cipher: _crypto.CipherName) -> bytes:
    """K_pi = KDF(password, 3)."""
    return _crypto.derive_key(password, _crypto.KDF_PACE, cipher)


class _Suite:
    """The cipher and curve one PaceInfo selects; UnsupportedOperation if this code lacks it."""

    def __init__(self, info: PaceInfo) -> None:
        if info.agreement != "ECDH" or info.mapping != "GM" or info.cipher is None:
            raise UnsupportedOperation()
        self.info = info
        self.cipher: _crypto.CipherName = info.cipher  # type: ignore[assignment]
        self.curve: Curve = curve_for_parameter_id(info.parameter_id)
        self.oid = encode_oid(info.oid)
        self.block = 8 if self.cipher == "3des" else 16

    def nonce_crypt(self, key: bytes, data: bytes, encrypt: bool) -> bytes:
        if self.cipher == "3des":
            op = _crypto.tdes_cbc_encrypt if encrypt else _crypto.tdes_cbc_decrypt
        else:
            op = _crypto.aes_cbc_encrypt if encrypt else _crypto.aes_cbc_decrypt
        return op(key, data)

    def session(self, shared: bytes) -> tuple[bytes, bytes]:
        return (_crypto.derive_key(shared, _crypto.KDF_ENC, self.cipher),
                _crypto.derive_key(shared, _crypto.KDF_MAC, self.cipher))

    def channel(self, keys: tuple[bytes, bytes]) -> SecureMessaging:
        return TripleDesSM(*keys, 0) if self.cipher == "3des" else AesSM(*keys, 0)


def auth_token(cipher: _crypto.CipherName, ks_mac: bytes, oid: str, public_key: bytes) -> bytes:
    """T = MAC(KS_mac, 7F49{06 OID, 86 public key}), 8 bytes (§4.4.3.4)."""
    data = tlv.encode(0x7F49, tlv.encode(0x06, encode_oid(oid)) + tlv.encode(0x86, public_key))
    if cipher == "3des":
        return _crypto.retail_mac(ks_mac, _crypto.pad(data, 8))
    return _crypto.aes_cmac(ks_mac, data)[:8]


def _dynamic_data(data: bytes) -> dict[int, bytes]:
    """The objects inside the single 7C template; raises ``MalformedData``."""
    objects = tlv.decode_all(data)
    if len(objects) != 1 or objects[0][0] != 0x7C:
        raise MalformedData("The card's authentication data is not a 7C template.")
    return dict(tlv.decode_all(objects[0][1]))


def _ga(last: bool, inner: bytes) -> CommandApdu:
    cla = 0x00 if last else CLA_CHAINING
    return CommandApdu(cla, INS_GENERAL_AUTHENTICATE, 0x00, 0x00, tlv.encode(0x7C, inner), 256)


class PaceTerminal:
    """The kiosk's side of PACE; feed each answer to ``step`` until it returns None."""

    def __init__(self, password: bytes, password_ref: int, info: PaceInfo,
                 rng: Rng = DEFAULT_RNG) -> None:
        self._suite = _Suite(info)
        self._k_pi = password_key(password, self._suite.cipher)
        self._ref = password_ref
        self._rng = rng
        self._state = "new"
        self._nonce = self._sk = 0
        self._mapped: PointJacobi | None = None
        self._own_key = b""
        self._keys = (b"", b"")
        self._result: SecureMessaging | None = None

    def __repr__(self) -> str:
        return f"PaceTerminal(state={self._state})"

    @property
    def result(self) -> SecureMessaging:
        if self._result is None:
            raise RuntimeError("PACE has not finished")
        return self._result

    def start(self) -> CommandApdu:
        self._state = "mse"
        data = tlv.encode(0x80, self._suite.oid) + tlv.encode(0x83, bytes([self._ref]))
        return CommandApdu(0x00, INS_MSE, 0xC1, 0xA4, data)

    def step(self, raw: bytes | ResponseApdu) -> CommandApdu | None:
        """Feed the card's answer to the last command; returns the next command or None."""
        resp = as_response(raw)
        state, self._state = self._state, "failed"
        handler = {"mse": self._after_mse, "nonce": self._after_nonce, "map": self._after_map,
                   "agree": self._after_agree, "token": self._after_token}.get(state)
        if handler is None:
            raise RuntimeError(f"PACE step called in state {state}")
        if state == "mse":
            if not resp.ok:
                raise unsupported(resp.sw, "MSE:Set AT")
            return handler({})
        self._check(resp, state)
        return handler(_dynamic_data(resp.data))

    def _check(self, resp: ResponseApdu, state: str) -> None:
        if refused(resp.sw, final=state == "token"):
            message = _WRONG_CAN if self._ref == PASSWORD_CAN else _WRONG_MRZ
            raise denied(message, resp.sw, f"GENERAL AUTHENTICATE ({state})")
        if not resp.ok:
            raise unsupported(resp.sw, f"GENERAL AUTHENTICATE ({state})")

    def _after_mse(self, _: dict[int, bytes]) -> CommandApdu:
        self._state = "nonce"
        return _ga(False, b"")

    def _after_nonce(self, objects: dict[int, bytes]) -> CommandApdu:
        z = objects.get(0x80, b"")
        if not z or len(z) % self._suite.block:
            raise MalformedData("The card's encrypted nonce has the wrong length.")
        self._nonce = int.from_bytes(self._suite.nonce_crypt(self._k_pi, z, False), "big")
        curve = self._suite.curve
        self._sk = curve.random_scalar(self._rng)
        self._state = "map"
        return _ga(False, tlv.encode(0x81, curve.encode(curve.generator * self._sk)))

    def _after_map(self, objects: dict[int, bytes]) -> CommandApdu:
        curve = self._suite.curve
        card_map = curve.decode(objects.get(0x82, b""))
        self._mapped = curve.mapped_generator(self._nonce, self._sk, card_map)
        self._sk = curve.random_scalar(self._rng)
        self._own_key = curve.encode(curve.multiply(self._mapped, self._sk))
        self._state = "agree"
        return _ga(False, tlv.encode(0x83, self._own_key))

    def _after_agree(self, objects: dict[int, bytes]) -> CommandApdu:
        curve = self._suite.curve
        card_key_raw = objects.get(0x84, b"")
        card_key = curve.decode(card_key_raw)
        if card_key_raw == self._own_key:
            raise MalformedData("The card echoed the kiosk's key.")
        self._keys = self._suite.session(curve.shared_x(card_key, self._sk))
        token = auth_token(self._suite.cipher, self._keys[1], self._suite.info.oid, card_key_raw)
        self._state = "token"
        return _ga(True, tlv.encode(0x85, token))

    def _after_token(self, objects: dict[int, bytes]) -> None:
        expected = auth_token(self._suite.cipher, self._keys[1], self._suite.info.oid,
                              self._own_key)
        if not hmac.compare_digest(expected, objects.get(0x86, b"")):
            raise sw_error(SecureMessagingError(), 0x9000, "PACE card token did not verify")
        self._result = self._suite.channel(self._keys)
        self._state = "done"
        return None


_SW_OK, _SW_WRONG_DATA, _SW_CONDITIONS = 0x9000, 0x6A80, 0x6985
_SW_NOT_FOUND, _SW_REFUSED = 0x6A88, 0x6300


class PaceCard:
    """The chip's side, for the virtual card; ``process`` answers status words, never raises."""

    def __init__(self, passwords: Mapping[int, bytes], infos: Sequence[PaceInfo],
                 rng: Rng = DEFAULT_RNG) -> None:
        self._passwords = dict(passwords)
        self._infos = list(infos)
        self._rng = rng
        self._suite: _Suite | None = None
        self._k_pi = b""
        self._step = 0
        self._nonce_value = 0
        self._mapped: PointJacobi | None = None
        self._own_key = self._terminal_key = b""
        self._keys = (b"", b"")
        self.result: SecureMessaging | None = None

    def __repr__(self) -> str:
        return f"PaceCard(step={self._step}, authenticated={self.result is not None})"

    def process(self, cmd: CommandApdu) -> ResponseApdu:
        if cmd.ins == INS_MSE and (cmd.p1, cmd.p2) == (0xC1, 0xA4):
            return self._set_at(cmd)
        if cmd.ins == INS_GENERAL_AUTHENTICATE:
            try:
                return self._general_authenticate(cmd)
            except MalformedData:
                self._step = 0
                return ResponseApdu(b"", _SW_WRONG_DATA)
        return ResponseApdu(b"", 0x6D00)

    def _set_at(self, cmd: CommandApdu) -> ResponseApdu:
        self._step, self._suite, self.result = 0, None, None
        try:
            objects = dict(tlv.decode_all(cmd.data))
        except MalformedData:
            return ResponseApdu(b"", _SW_WRONG_DATA)
        ref = objects.get(0x83, b"")
        wanted_id = objects.get(0x84)
        for info in self._infos:
            if encode_oid(info.oid) != objects.get(0x80) or (
                wanted_id is not None and int.from_bytes(wanted_id, "big") != info.parameter_id
            ):
                continue
            if len(ref) != 1 or ref[0] not in self._passwords:
                return ResponseApdu(b"", _SW_NOT_FOUND)
            try:
                self._suite = _Suite(info)
            except UnsupportedOperation:
                return ResponseApdu(b"", _SW_WRONG_DATA)
            self._k_pi = password_key(self._passwords[ref[0]], self._suite.cipher)
            self._step = 1
            return ResponseApdu(b"", _SW_OK)
        return ResponseApdu(b"", _SW_WRONG_DATA)

    def _general_authenticate(self, cmd: CommandApdu) -> ResponseApdu:
        step, self._step = self._step, 0
        chained = bool(cmd.cla & CLA_CHAINING)
        if self._suite is None or not 1 <= step <= 4 or chained != (step < 4):
            return ResponseApdu(b"", _SW_CONDITIONS)
        objects = _dynamic_data(cmd.data)
        inner = (self._nonce, self._map, self._agree, self._token)[step - 1](objects)
        if inner is None:
            return ResponseApdu(b"", _SW_REFUSED)
        self._step = step + 1 if step < 4 else 0
        return ResponseApdu(tlv.encode(0x7C, inner), _SW_OK)

    def _nonce(self, objects: dict[int, bytes]) -> bytes:
        assert self._suite is not None
        if objects:
            raise MalformedData("step 1 carries no data")
        nonce = self._rng(16 if self._suite.block == 16 else 8)
        self._nonce_value = int.from_bytes(nonce, "big")
        return tlv.encode(0x80, self._suite.nonce_crypt(self._k_pi, nonce, True))

    def _map(self, objects: dict[int, bytes]) -> bytes:
        assert self._suite is not None
        curve = self._suite.curve
        terminal_map = curve.decode(objects.get(0x81, b""))
        sk = curve.random_scalar(self._rng)
        self._mapped = curve.mapped_generator(self._nonce_value, sk, terminal_map)
        return tlv.encode(0x82, curve.encode(curve.generator * sk))

    def _agree(self, objects: dict[int, bytes]) -> bytes:
        assert self._suite is not None
        curve = self._suite.curve
        terminal_raw = objects.get(0x83, b"")
        terminal_key = curve.decode(terminal_raw)
        sk = curve.random_scalar(self._rng)
        assert self._mapped is not None
        self._own_key = curve.encode(curve.multiply(self._mapped, sk))
        if self._own_key == terminal_raw:
            raise MalformedData("terminal echoed the card's key")
        self._terminal_key = terminal_raw
        self._keys = self._suite.session(curve.shared_x(terminal_key, sk))
        return tlv.encode(0x84, self._own_key)

    def _token(self, objects: dict[int, bytes]) -> bytes | None:
        assert self._suite is not None
        oid, cipher = self._suite.info.oid, self._suite.cipher
        expected = auth_token(cipher, self._keys[1], oid, self._own_key)
        if not hmac.compare_digest(expected, objects.get(0x85, b"")):
            return None
        self.result = self._suite.channel(self._keys)
        return tlv.encode(0x86, auth_token(cipher, self._keys[1], oid, self._terminal_key))
