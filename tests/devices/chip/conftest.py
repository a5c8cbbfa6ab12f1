"""Fixtures for the virtual chip tests: the PC/SC harness and a small chip with known files."""

from __future__ import annotations

import pytest
from chip_helpers import BAC_SEED, CAN, plain_files
from pcsc_harness import pcsc_service, virtual_reader  # noqa: F401 - fixtures

from devices.card.chip import ChipKeys, VirtualChip


@pytest.fixture
def chip() -> VirtualChip:
    return VirtualChip(plain_files(), ChipKeys(can=CAN, bac_seed=BAC_SEED))
