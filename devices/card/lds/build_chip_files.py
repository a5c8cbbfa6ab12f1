"""Profile -> the full set of chip files, signed by the TEST document signer (for the emulator).

The emulator serves these bytes; the reader then parses and verifies them exactly as it would a
real card's. Hostile variants model what the kiosk must catch:

- ``Forgery.TAMPERED_DG``: DG13 edited after signing (its SOD hash no longer matches);
- ``Forgery.BAD_SIGNATURE``: the SOD signature bytes are corrupt;
- ``Forgery.UNTRUSTED_SIGNER``: a rogue signer posing under the CSCA's name signed the SOD;
- ``clone=True``: the files are genuine but the chip answers AA with a different private key;
- ``ca_clone=True``: the files are genuine but the chip's chip-authentication key is not the one
  in DG14 (passive authentication passes, chip authentication fails).

``broken``: data groups the issuer wrote badly but signed anyway ("dg2": a portrait that is not
an image; "dg13": a residence field with a control character and an issue date that is not
UTF-8), so the reader has to keep the rest; passive authentication still passes.

``ca`` picks DG14's chip authentication: ``ecdh-aes128`` (the CCCD's), ``ecdh-3des``,
``dh-aes128``, ``dh-3des`` (RFC 5114 1024-bit group) or ``none``; ``ca_explicit`` writes the EC
key with explicit domain parameters, as many issuers do.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib

from cryptography.hazmat.primitives.asymmetric import ec, rsa

from devices.card.icao.ca_keys import (RFC5114_1024_160, EphemeralKey, load_public_key,
                                       private_key_for, spki_for)
from devices.card.lds import DG_FIDS, FID_COM, FID_SOD, com, dg1, dg2, dg13, dg14, dg15, sod
from devices.card.lds.dg14 import SecurityInfo
from devices.card.lds.pki import SigningPki, derive_ec_key, issue_certificate
from devices.card.profiles import CardProfile

__all__ = ["CA_VARIANTS", "ChipFileSet", "Forgery", "build_chip_files", "chip_auth_keys",
           "dg13_from_profile"]

NO_EXPIRY_TEXT = "Không thời hạn"
PACE_ECDH_GM_AES128 = "0.4.0.127.0.7.2.2.4.2.2"
CA_ECDH_AES128 = "0.4.0.127.0.7.2.2.3.2.2"
PK_ECDH = "0.4.0.127.0.7.2.2.1.2"
PK_DH = "0.4.0.127.0.7.2.2.1.1"
CA_VARIANTS = {"ecdh-aes128": "0.4.0.127.0.7.2.2.3.2.2", "ecdh-3des": "0.4.0.127.0.7.2.2.3.2.1",
               "dh-aes128": "0.4.0.127.0.7.2.2.3.1.2", "dh-3des": "0.4.0.127.0.7.2.2.3.1.1",
               "none": ""}
ECDSA_PLAIN_SHA256 = "0.4.0.127.0.7.1.1.4.1.3"
BRAINPOOL_P256R1_PARAM_ID = 13


class Forgery(enum.Enum):
    NONE = "none"
    TAMPERED_DG = "tampered_dg"
    BAD_SIGNATURE = "bad_signature"
    UNTRUSTED_SIGNER = "untrusted_signer"


@dataclasses.dataclass(frozen=True)
class ChipFileSet:
    com: bytes
    dgs: dict[int, bytes]            # DG number -> file bytes (DG3 is EAC-protected: deny it)
    sod: bytes
    aa_private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey  # what the chip signs with
    ca_private_key: EphemeralKey | None  # what the chip agrees chip-authentication keys with
    ca_oid: str = ""
    protected: frozenset[int] = frozenset({3})  # answer 6982 (needs extended access control)

    def __repr__(self) -> str:
        return f"ChipFileSet(dgs={sorted(self.dgs)})"

    def by_fid(self) -> dict[int, bytes]:
        files = {DG_FIDS[n]: data for n, data in self.dgs.items()}
        files[FID_COM] = self.com
        files[FID_SOD] = self.sod
        return files


def _dmy(day: object) -> str | None:
    return None if day is None else day.strftime("%d/%m/%Y")  # type: ignore[attr-defined]


def dg13_from_profile(profile: CardProfile) -> dg13.Dg13Fields:
    chip_id = hashlib.sha256(b"chip-id/" + profile.id_number.encode()).hexdigest()[:16].upper()
    return dg13.Dg13Fields(
        id_number=profile.id_number, full_name=profile.full_name,
        date_of_birth_text=_dmy(profile.date_of_birth),
        sex_text="Nữ" if profile.sex.value == "F" else "Nam",
        nationality=profile.nationality, ethnicity=profile.ethnicity,
        religion=profile.religion, place_of_origin=profile.place_of_origin,
        residence=profile.residence, identifying_marks=profile.identifying_marks,
        issue_date_text=_dmy(profile.issue_date),
        expiry_text=_dmy(profile.expiry_date) or NO_EXPIRY_TEXT,
        father_name=profile.father_name, mother_name=profile.mother_name,
        spouse_name=profile.spouse_name, old_id_number=profile.old_id_number, chip_id=chip_id,
    )


def _face(profile: CardProfile, image_format: str) -> dg2.FaceImage | None:
    data = profile.portrait_bytes()
    if data is None:
        return None
    import cv2
    import numpy as np

    pixels = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if pixels is None:
        raise ValueError("the profile's portrait is not a readable image")
    if image_format == "jp2":
        ok, encoded = cv2.imencode(".jp2", pixels)
        data = encoded.tobytes()
    mime = dg2.detect_mime(data)
    if mime is None:
        raise ValueError("the profile's portrait must be JPEG (or converted to JPEG 2000)")
    return dg2.FaceImage(mime, data, pixels.shape[1], pixels.shape[0])


def _ca_secret(pki: SigningPki, label: str, modulus: int) -> int:
    """A chip-authentication secret derived from the TEST CA key (repeatable, never real)."""
    seed = pki.ca_key.private_numbers().private_value.to_bytes(64, "big")
    return int.from_bytes(hashlib.sha512(seed + label.encode()).digest(), "big") % (modulus - 1) + 1


def chip_auth_keys(pki: SigningPki, ca: str, *, explicit: bool = False, clone: bool = False
                   ) -> tuple[bytes, EphemeralKey, str] | None:
    """DG14's public key (SubjectPublicKeyInfo), the chip's private key and the CA protocol OID
    for the ``ca`` variant; a ``clone`` chip's private key does not match the public one."""
    if ca not in CA_VARIANTS:
        raise ValueError(f"ca must be one of {', '.join(CA_VARIANTS)}")
    if ca == "none":
        return None
    if ca.startswith("dh"):
        domain = RFC5114_1024_160
        assert domain.q is not None
        x = _ca_secret(pki, "dh", domain.q)
        spki = spki_for((domain, pow(domain.g, x, domain.p)))
    else:
        x = pki.ca_key.private_numbers().private_value
        spki = spki_for(pki.ca_key.public_key(), explicit=explicit)
    public = load_public_key(spki)
    if clone:
        order = public.dh.q if public.dh is not None else public.curve.order  # type: ignore[union-attr]
        x = _ca_secret(pki, "clone", order or 3)
    return spki, private_key_for(public, x), CA_VARIANTS[ca]


def _dg14(aa_is_ec: bool, ca: tuple[bytes, EphemeralKey, str] | None) -> dg14.Dg14:
    infos = []
    if ca is not None:
        spki, _private, oid = ca
        pk_oid = PK_DH if oid.startswith("0.4.0.127.0.7.2.2.3.1.") else PK_ECDH
        infos += [SecurityInfo.chip_auth_public_key(pk_oid, spki), SecurityInfo.integers(oid, 1)]
    infos.append(SecurityInfo.integers(PACE_ECDH_GM_AES128, 2, BRAINPOOL_P256R1_PARAM_ID))
    if aa_is_ec:
        infos.append(SecurityInfo.active_authentication(ECDSA_PLAIN_SHA256))
    return dg14.Dg14(tuple(infos))


def _broken_dg13(good: bytes) -> bytes:
    """DG13 with field 9 holding a control character and field 11 bytes that are not UTF-8."""
    fields = dataclasses.replace(dg13.parse(good), residence="Số 12\x00Lê Lợi",
                                 issue_date_text="10/05/2021")
    raw = dg13.build(fields)
    issue = b"10/05/2021"
    return raw.replace(issue, b"\xff\xfe/05/2021")


def _data_groups(profile: CardProfile, pki: SigningPki, aa_is_ec: bool,
                 image_format: str, ca: tuple[bytes, EphemeralKey, str] | None,
                 broken: frozenset[str] = frozenset()) -> dict[int, bytes]:
    aa_public = (pki.aa_ec_key if aa_is_ec else pki.aa_rsa_key).public_key()
    files = {
        1: dg1.build(dg1.Mrz.from_lines(profile.mrz())),
        3: bytes.fromhex("63067F6103020100"),  # placeholder fingerprint group (never readable)
        13: dg13.build(dg13_from_profile(profile)),
        14: dg14.build(_dg14(aa_is_ec, ca)),
        15: dg15.build(dg15.Dg15.from_key(aa_public)),
    }
    face = _face(profile, image_format)
    if face is not None:
        files[2] = dg2.build(dg2.Dg2((face,)))
    if "dg2" in broken:  # a biometric block that is no image at all
        files[2] = bytes.fromhex("7514") + bytes.fromhex("7F6111020101") + bytes.fromhex(
            "7F600B5F2E08") + b"NOTANIMG"
    if "dg13" in broken:
        files[13] = _broken_dg13(files[13])
    return dict(sorted(files.items()))


def _rogue_signer(pki: SigningPki) -> tuple[ec.EllipticCurvePrivateKey, object]:
    key = derive_ec_key(b"rogue", "ds", ec.BrainpoolP256R1())
    rogue_ca = derive_ec_key(b"rogue", "csca", ec.BrainpoolP384R1())
    cert = issue_certificate(pki.ds_cert.subject, key.public_key(), pki.csca_cert.subject,
                             rogue_ca, serial=0x6661, not_before=pki.ds_cert.not_valid_before_utc,
                             not_after=pki.ds_cert.not_valid_after_utc, ca=False)
    return key, cert


def _sign(files: dict[int, bytes], pki: SigningPki, forgery: Forgery) -> bytes:
    key, cert = pki.ds_key, pki.ds_cert
    if forgery is Forgery.UNTRUSTED_SIGNER:
        key, cert = _rogue_signer(pki)  # type: ignore[assignment]
    raw = sod.sign(files, key, cert)
    if forgery is Forgery.BAD_SIGNATURE:
        parsed = sod.parse(raw)
        index = raw.rindex(parsed.signature) + len(parsed.signature) // 2
        raw = raw[:index] + bytes([raw[index] ^ 0x01]) + raw[index + 1:]
    return raw


def build_chip_files(profile: CardProfile, pki: SigningPki, *, aa: str = "rsa",
                     forgery: Forgery = Forgery.NONE, clone: bool = False,
                     image_format: str = "jpeg", ca: str = "ecdh-aes128",
                     ca_explicit: bool = False, ca_clone: bool = False,
                     broken: frozenset[str] = frozenset()) -> ChipFileSet:
    """All files of the profile's chip; ``aa`` is "rsa" or "ecdsa", ``image_format`` "jpeg"/"jp2"."""
    if aa not in ("rsa", "ecdsa"):
        raise ValueError("aa must be 'rsa' or 'ecdsa'")
    aa_is_ec = aa == "ecdsa"
    chip_auth = chip_auth_keys(pki, ca, explicit=ca_explicit, clone=ca_clone)
    files = _data_groups(profile, pki, aa_is_ec, image_format, chip_auth, broken)
    sod_raw = _sign(files, pki, forgery)
    if forgery is Forgery.TAMPERED_DG:
        edited = dataclasses.replace(dg13.parse(files[13]), residence="Số 1 Đường Giả Mạo")
        files[13] = dg13.build(edited)
    if clone:
        aa_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey = (
            pki.clone_ec_key if aa_is_ec else pki.clone_rsa_key)
    else:
        aa_key = pki.aa_ec_key if aa_is_ec else pki.aa_rsa_key
    com_raw = com.build(com.Com(data_groups=tuple(files)))
    ca_private, ca_oid = (None, "") if chip_auth is None else (chip_auth[1], chip_auth[2])
    return ChipFileSet(com_raw, files, sod_raw, aa_key, ca_private, ca_oid)
