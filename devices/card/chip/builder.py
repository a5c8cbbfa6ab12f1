"""A profile (the TOML card-holders in assets/profiles) -> a virtual chip with signed files and keys.

The LDS layer (``devices.card.lds.build_chip_files``) makes and signs the data groups with the
TEST-ONLY PKI; this module adds what the chip needs around them: EF.CardAccess advertising
PACE-CAN as the CCCD does, the CAN (last 6 digits of the ID), the BAC key seed from the MRZ, and
the active-authentication private key.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric import ec, rsa

from devices.card.chip.emulator import ChipKeys, VirtualChip
from devices.card.chip.files import EF_CARD_ACCESS
from devices.card.chip.hostile import Hostile
from devices.card.chip.quirks import Quirks
from devices.card.icao.bac import mrz_key_seed
from devices.card.icao.card_access import PaceInfo, build_card_access
from devices.card.icao.ca_keys import EphemeralKey
from devices.card.lds import pki as pki_mod
from devices.card.lds.build_chip_files import (
    BRAINPOOL_P256R1_PARAM_ID,
    PACE_ECDH_GM_AES128,
    Forgery,
    build_chip_files,
)
from devices.card.profiles import CardProfile

__all__ = ["CCCD_CARD_ACCESS", "chip_from_profile", "default_pki", "keys_for"]

#: EF.CardAccess of a CCCD: PACE-ECDH-GM-AES-CBC-CMAC-128, version 2, brainpoolP256r1.
CCCD_CARD_ACCESS = build_card_access(
    [PaceInfo(PACE_ECDH_GM_AES128, 2, BRAINPOOL_P256R1_PARAM_ID)]
)


def default_pki() -> pki_mod.SigningPki:
    """The TEST-ONLY PKI in assets/test-pki (scripts/make_test_pki.py), else a fresh one."""
    try:
        return pki_mod.load()
    except (OSError, ValueError):
        return pki_mod.generate()


def keys_for(profile: CardProfile, aa_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = None,
             ca_key: EphemeralKey | None = None, ca_oid: str = "") -> ChipKeys:
    """CAN = last 6 digits of the ID; BAC from the MRZ (a card without expiry has fillers
    ``<<<<<<`` in its MRZ expiry field, and so in its BAC key)."""
    expiry = "<<<<<<" if profile.expiry_date is None else profile.expiry_date.strftime("%y%m%d")
    seed = mrz_key_seed(profile.id_number[3:12], profile.date_of_birth.strftime("%y%m%d"), expiry)
    return ChipKeys(can=profile.id_number[-6:], bac_seed=seed, aa_key=aa_key, ca_key=ca_key,
                    ca_oid=ca_oid)


def chip_from_profile(
    profile: CardProfile,
    pki: pki_mod.SigningPki | None = None,
    *,
    aa: str = "rsa",
    forgery: Forgery = Forgery.NONE,
    clone: bool = False,
    image_format: str = "jpeg",
    pace: bool = True,
    ca: str = "ecdh-aes128",
    ca_explicit: bool = False,
    ca_clone: bool = False,
    broken: frozenset[str] = frozenset(),
    hostile: Hostile | None = None,
    quirks: Quirks | None = None,
    extended_length: bool = False,
    rng: Callable[[int], bytes] = os.urandom,
) -> VirtualChip:
    """A chip for ``profile``; ``pace=False`` makes a BAC-only chip (no EF.CardAccess, no CAN).
    ``ca``, ``ca_explicit``, ``ca_clone``: its chip authentication; ``broken``: data groups
    written badly but signed (see ``build_chip_files``)."""
    file_set = build_chip_files(
        profile, pki or default_pki(), aa=aa, forgery=forgery, clone=clone,
        image_format=image_format, ca=ca, ca_explicit=ca_explicit, ca_clone=ca_clone,
        broken=broken,
    )
    files = file_set.by_fid()
    keys = keys_for(profile, file_set.aa_private_key, file_set.ca_private_key, file_set.ca_oid)
    if pace:
        files[EF_CARD_ACCESS] = CCCD_CARD_ACCESS
    else:
        keys = dataclasses.replace(keys, can=None)
    return VirtualChip(files, keys, hostile=hostile, quirks=quirks,
                       extended_length=extended_length, rng=rng)
