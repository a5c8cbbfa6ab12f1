"""A profile (the TOML card-holders in assets/profiles) -> a virtual chip with signed files and keys.

The LDS layer (``devices.card.lds.build_chip_files``) makes and signs the data groups with the
TEST-ONLY PKI; this module adds what the chip needs around them: EF.CardAccess advertising
PACE-CAN as the CCCD does, the CAN (last 6 digits of the ID), the BAC key seed from the MRZ, and
the active-authentication private key.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from devices.card.chip.emulator import ChipKeys, VirtualChip
from devices.card.chip.files import EF_CARD_ACCESS
from devices.card.chip.hostile import Hostile
from devices.card.icao.bac import mrz_key_seed
from devices.card.icao.card_access import PaceInfo, build_card_access
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


def keys_for(profile: CardProfile, aa_key: object | None = None) -> ChipKeys:
    """CAN = last 6 digits of the ID; BAC from the MRZ (none for a card without expiry date,
    whose MRZ expiry field is fillers: the BAC key derivation here takes digits only)."""
    seed = None
    if profile.expiry_date is not None:
        seed = mrz_key_seed(
            profile.id_number[3:12],
            profile.date_of_birth.strftime("%y%m%d"),
            profile.expiry_date.strftime("%y%m%d"),
        )
    return ChipKeys(can=profile.id_number[-6:], bac_seed=seed, aa_key=aa_key)


def chip_from_profile(
    profile: CardProfile,
    pki: pki_mod.SigningPki | None = None,
    *,
    aa: str = "rsa",
    forgery: Forgery = Forgery.NONE,
    clone: bool = False,
    image_format: str = "jpeg",
    pace: bool = True,
    hostile: Hostile | None = None,
    extended_length: bool = False,
    rng: Callable[[int], bytes] = os.urandom,
) -> VirtualChip:
    """A chip for ``profile``; ``pace=False`` makes a BAC-only chip (no EF.CardAccess, no CAN)."""
    file_set = build_chip_files(
        profile, pki or default_pki(), aa=aa, forgery=forgery, clone=clone,
        image_format=image_format,
    )
    files = file_set.by_fid()
    keys = keys_for(profile, file_set.aa_private_key)
    if pace:
        files[EF_CARD_ACCESS] = CCCD_CARD_ACCESS
    else:
        keys = ChipKeys(can=None, bac_seed=keys.bac_seed, aa_key=keys.aa_key)
    return VirtualChip(files, keys, hostile=hostile, extended_length=extended_length, rng=rng)
