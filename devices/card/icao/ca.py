"""Chip Authentication (ICAO Doc 9303-11 §6.2, BSI TR-03110-3), both sides.

A clone can copy every file of a chip, DG14 included (so passive authentication still passes),
but not the private key behind DG14's public key. Chip Authentication makes the chip use that
key: the kiosk sends an ephemeral public key on the same domain, both sides compute the shared
secret K, and secure messaging restarts with KS_enc = KDF(K, 1), KS_mac = KDF(K, 2) and a counter
of 0. A chip without the key cannot compute K, so its next answer fails the MAC: that is how a
clone shows itself (there is no separate "yes" from the chip).

Which variant runs comes from DG14: a ChipAuthenticationInfo (protocol OID, version, keyId)
matched by keyId to a ChipAuthenticationPublicKeyInfo. 3DES variants use MSE:Set KAT
(``00 22 41 A6``, data 91 key [84 keyId]); AES variants use MSE:Set AT (``00 22 41 A4``,
data 80 OID [84 keyId]) then GENERAL AUTHENTICATE ``7C{80 key}``. A DG14 with a public key but no
ChipAuthenticationInfo gets the 3DES variant of its key type, as older documents expect.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from devices.card.errors import MalformedData, UnsupportedOperation
from devices.card.icao import tlv
from devices.card.icao._crypto import CipherName
from devices.card.icao.apdu import CommandApdu, ResponseApdu
from devices.card.icao.ca_keys import EphemeralKey, PublicKey, load_public_key
from devices.card.icao.card_access import encode_oid
from devices.card.icao.sm import SecureMessaging, make_sm

__all__ = ["CA_OIDS", "CaCard", "CaChoice", "CaTerminal", "choose"]

ID_CA = "0.4.0.127.0.7.2.2.3"
ID_PK_DH, ID_PK_ECDH = "0.4.0.127.0.7.2.2.1.1", "0.4.0.127.0.7.2.2.1.2"
_CIPHERS: dict[str, CipherName] = {"1": "3des", "2": "aes128", "3": "aes192", "4": "aes256"}
_AGREEMENTS = {"1": "DH", "2": "ECDH"}
#: id-CA-{DH,ECDH}-{3DES-CBC-CBC, AES-CBC-CMAC-128/192/256} -> (agreement, cipher)
CA_OIDS: dict[str, tuple[str, CipherName]] = {
    f"{ID_CA}.{a}.{c}": (agreement, cipher)
    for a, agreement in _AGREEMENTS.items() for c, cipher in _CIPHERS.items()
}
_PREFERENCE = ("aes128", "aes256", "aes192", "3des")


@dataclasses.dataclass(frozen=True)
class CaChoice:
    """The variant to run: protocol OID, its cipher, the chip's key and its keyId."""

    oid: str
    cipher: CipherName
    key: PublicKey
    key_id: int | None

    @property
    def label(self) -> str:
        return f"{self.key.agreement}-{self.cipher.upper()}"


def _integer(der: bytes | None) -> int | None:
    if der is None:
        return None
    tag, value, _ = tlv.decode_one(der)
    if tag != 0x02 or not value:
        raise MalformedData("DG14: a chip authentication key ID is not an INTEGER")
    return int.from_bytes(value, "big")


def choose(infos: Sequence[object]) -> CaChoice | None:
    """The best Chip Authentication this kiosk can run with DG14's ``SecurityInfo`` list
    (``devices.card.lds.dg14.SecurityInfo``); None when DG14 has no chip authentication key.
    ``UnsupportedOperation`` when its keys are on domains this kiosk cannot compute on,
    ``MalformedData`` when they are bad."""
    keys: dict[int | None, tuple[str, bytes]] = {}
    protocols: list[tuple[str, int | None]] = []
    for info in infos:
        oid, required, optional = info.oid, info.required, info.optional  # type: ignore[attr-defined]
        if oid in (ID_PK_DH, ID_PK_ECDH):
            keys[_integer(optional)] = (oid, required)
        elif oid in CA_OIDS:
            protocols.append((oid, _integer(optional)))
    if not keys:
        return None
    if not protocols:  # older documents: a key without ChipAuthenticationInfo means 3DES
        protocols = [(f"{ID_CA}.{'1' if oid == ID_PK_DH else '2'}.1", key_id)
                     for key_id, (oid, _) in keys.items()]
    problems = []
    for oid, key_id in sorted(protocols, key=lambda p: _PREFERENCE.index(CA_OIDS[p[0]][1])):
        agreement, cipher = CA_OIDS[oid]
        entry = keys.get(key_id)
        if entry is None and len(keys) == 1:
            (key_id, entry), = keys.items()
        if entry is None:
            problems.append(f"no key {key_id} for {oid}")
            continue
        try:
            key = load_public_key(entry[1])
        except UnsupportedOperation as exc:
            problems.append(exc.detail)
            continue
        if key.agreement != agreement:
            problems.append(f"{oid} with a {key.agreement} key")
            continue
        return CaChoice(oid, cipher, key, key_id)
    raise UnsupportedOperation(detail="; ".join(problems) or "no usable chip authentication")


def _key_ref(key_id: int | None) -> bytes:
    if key_id is None:
        return b""
    return tlv.encode(0x84, key_id.to_bytes(max(1, (key_id.bit_length() + 7) // 8), "big"))


class CaTerminal:
    """The kiosk's side: ``commands()`` to send under the current channel, then ``finish()``
    with the last answer gives the new channel (which the chip's next answer must verify)."""

    def __init__(self, choice: CaChoice, rng: Callable[[int], bytes]) -> None:
        self.choice = choice
        self._ephemeral = choice.key.ephemeral(rng)

    def __repr__(self) -> str:
        return f"CaTerminal({self.choice.label})"

    def commands(self) -> list[CommandApdu]:
        public = self._ephemeral.public
        ref = _key_ref(self.choice.key_id)
        if self.choice.cipher == "3des":
            return [CommandApdu(0x00, 0x22, 0x41, 0xA6, tlv.encode(0x91, public) + ref)]
        mse = CommandApdu(0x00, 0x22, 0x41, 0xA4,
                          tlv.encode(0x80, encode_oid(self.choice.oid)) + ref)
        ga = CommandApdu(0x00, 0x86, 0x00, 0x00, tlv.encode(0x7C, tlv.encode(0x80, public)), 256)
        return [mse, ga]

    def finish(self) -> SecureMessaging:
        chip_point = self.choice.key.point
        if self.choice.key.agreement == "DH":
            dh = self.choice.key.dh
            assert dh is not None
            chip_point = self.choice.key.y.to_bytes(dh.size, "big")
        return make_sm(self.choice.cipher, self._ephemeral.shared_secret(chip_point))


class CaCard:
    """The chip's side, for the virtual chip. ``process`` answers MSE and GENERAL AUTHENTICATE;
    after the answer that completes CA, ``pending`` holds the channel to switch to."""

    def __init__(self, private: EphemeralKey, oid: str, key_id: int | None = None) -> None:
        self._private = private
        self._oid = oid
        self._key_id = key_id
        self._at_set = False
        self.pending: SecureMessaging | None = None

    def process(self, cmd: CommandApdu) -> ResponseApdu:
        try:
            objects = dict(tlv.decode_all(cmd.data))
        except MalformedData:
            return ResponseApdu(b"", 0x6A80)
        if cmd.ins == 0x22 and (cmd.p1, cmd.p2) == (0x41, 0xA6):
            return self._agree(objects.get(0x91, b""), "3des", objects.get(0x84))
        if cmd.ins == 0x22 and (cmd.p1, cmd.p2) == (0x41, 0xA4):
            if objects.get(0x80) != encode_oid(self._oid) or not self._key_matches(
                    objects.get(0x84)):
                return ResponseApdu(b"", 0x6A80)
            self._at_set = True
            return ResponseApdu(b"", 0x9000)
        if cmd.ins == 0x86 and self._at_set:
            self._at_set = False
            inner = dict(tlv.decode_all(objects.get(0x7C, b"")))
            answer = self._agree(inner.get(0x80, b""), CA_OIDS[self._oid][1], None)
            return ResponseApdu(tlv.encode(0x7C, b""), answer.sw) if answer.ok else answer
        return ResponseApdu(b"", 0x6985)

    def _key_matches(self, ref: bytes | None) -> bool:
        return ref is None or self._key_id is None or int.from_bytes(ref, "big") == self._key_id

    def _agree(self, public: bytes, cipher: CipherName, ref: bytes | None) -> ResponseApdu:
        if not public or not self._key_matches(ref):
            return ResponseApdu(b"", 0x6A80)
        try:
            shared = self._private.shared_secret(public)
        except MalformedData:
            return ResponseApdu(b"", 0x6A80)
        self.pending = make_sm(cipher, shared)
        return ResponseApdu(b"", 0x9000)
