"""Fixtures for the offline store: real SQLite files in tmp_path and the real reference portal."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.portal.client import PortalClient
from kiosk.portal.embedded import EmbeddedPortal
from offline_store.outbox import Outbox
from offline_store.sync import SyncEngine
from outbox_helpers import TOKEN, FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def open_outbox(tmp_path: Path, clock: FakeClock) -> Iterator[Callable[..., Outbox]]:
    opened: list[Outbox] = []

    def factory(**kwargs: object) -> Outbox:
        kwargs.setdefault("clock", clock)
        box = Outbox.open(tmp_path / "outbox.sqlite3", tmp_path / "outbox.key", **kwargs)
        opened.append(box)
        return box

    yield factory
    for box in opened:
        box.close()


@pytest.fixture
def outbox(open_outbox: Callable[..., Outbox]) -> Outbox:
    return open_outbox()


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[EmbeddedPortal]:
    p = EmbeddedPortal(tmp_path / "portal.sqlite3", token=TOKEN)
    p.start()
    yield p
    p.stop()


@pytest.fixture
def client(portal: EmbeddedPortal) -> Iterator[PortalClient]:
    with PortalClient(portal.url, TOKEN, connect_timeout=2.0, read_timeout=5.0) as c:
        yield c


@pytest.fixture
def engine(outbox: Outbox, client: PortalClient, clock: FakeClock) -> SyncEngine:
    return SyncEngine(outbox, client, clock=clock, rng=random.Random(1234))
