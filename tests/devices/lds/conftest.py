"""Fixtures for the LDS tests: the TEST PKI from assets/test-pki and a fixed 'now'."""

from __future__ import annotations

import datetime as dt

import pytest

from devices.card.lds import pki as pki_mod
from devices.card.lds.build_chip_files import ChipFileSet, build_chip_files
from devices.card.lds.csca import CscaStore
from devices.card.profiles import CardProfile


@pytest.fixture(scope="session")
def pki() -> pki_mod.SigningPki:
    return pki_mod.load()


@pytest.fixture(scope="session")
def store() -> CscaStore:
    return CscaStore.from_folder(pki_mod.TEST_PKI_DIR / "csca")


@pytest.fixture
def now() -> dt.datetime:
    return dt.datetime(2026, 11, 27, 4, 15, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def anh(profiles: list[CardProfile]) -> CardProfile:
    return next(p for p in profiles if p.id_number == "079195012345")


@pytest.fixture(scope="session")
def chip(anh: CardProfile, pki: pki_mod.SigningPki) -> ChipFileSet:
    return build_chip_files(anh, pki)
