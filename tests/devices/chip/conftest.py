"""Fixtures for the virtual chip tests: a small chip with known files (the PC/SC harness's fixtures
come from ``tests/devices/conftest.py``: registered once, so its session fixture starts once)."""

from __future__ import annotations

import pytest
from chip_helpers import BAC_SEED, CAN, CSCA, plain_files

from devices.card.chip import ChipKeys, VirtualChip
from devices.card.lds.csca import CscaStore
from devices.card.profiles import CardProfile


@pytest.fixture
def chip() -> VirtualChip:
    return VirtualChip(plain_files(), ChipKeys(can=CAN, bac_seed=BAC_SEED))


@pytest.fixture(scope="module")
def csca() -> CscaStore:
    """The TEST PKI's CSCA: what the profile-built chips are signed under."""
    return CscaStore.from_folder(CSCA)


@pytest.fixture
def profile(profiles: list[CardProfile]) -> CardProfile:
    return profiles[0]
