"""Fixtures for the portal tests: a real reference portal on loopback and a client talking to it."""

from __future__ import annotations

from pathlib import Path
from collections.abc import Iterator

import pytest
from portal_helpers import PROCEDURES, TOKEN, FakeClock

from kiosk.portal.client import PortalClient
from kiosk.portal.embedded import EmbeddedPortal


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def portal(tmp_path: Path, clock: FakeClock) -> Iterator[EmbeddedPortal]:
    p = EmbeddedPortal(tmp_path / "portal.sqlite3", token=TOKEN, procedures_dir=PROCEDURES, clock=clock)
    p.start()
    try:
        yield p
    finally:
        p.stop()


@pytest.fixture
def client(portal: EmbeddedPortal) -> Iterator[PortalClient]:
    c = PortalClient(portal.url, TOKEN, connect_timeout=2.0, read_timeout=5.0)
    try:
        yield c
    finally:
        c.close()
