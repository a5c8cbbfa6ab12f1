"""Shared test data for the virtual chip tests (a helper module: conftest names collide)."""

from __future__ import annotations

from devices.card.chip.files import EF_CARD_ACCESS, EF_COM, EF_SOD, dg_fid
from devices.card.icao.bac import mrz_key_seed
from devices.card.icao.card_access import PaceInfo, build_card_access

# CCCD: PACE-ECDH-GM-AES-CBC-CMAC-128, version 2, brainpoolP256r1 (cccd.md section 4)
CARD_ACCESS = build_card_access([PaceInfo("0.4.0.127.0.7.2.2.4.2.2", 2, 13)])
# cccd.md section 5's example card: document number = last 9 digits of the ID
BAC_SEED = mrz_key_seed("195012345", "950314", "350314")
CAN = "012345"


def plain_files() -> dict[int, bytes]:
    """Recognisable contents (not valid LDS: these tests are about access and lengths)."""
    return {
        EF_CARD_ACCESS: CARD_ACCESS,
        EF_COM: bytes.fromhex("60145F0104303130375F36063034303030305C02616D"),
        dg_fid(1): bytes(range(256)) * 2 + b"DG1-end",
        dg_fid(2): bytes((i * 7) & 0xFF for i in range(40_000)),
        dg_fid(3): b"fingerprints",
        EF_SOD: b"\x77" * 300,
    }

