"""Fixtures shared by the device tests: backends behind one harness, so one suite tests them all."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import pytest
from device_helpers import PROFILES_DIR, TEST_CSCA_DIR, VPCD_READER, ChipCard, Recorder
from pcsc_harness import READER_PORTS, pcsc_service, virtual_reader  # noqa: F401 - fixtures, registered here only

from devices.card import CardInserted, CardReader, open_reader
from devices.card.profiles import CardProfile, list_profiles
from devices.card.virtual import profile_access_key


@pytest.fixture(scope="session")
def profiles() -> list[CardProfile]:
    return list_profiles(PROFILES_DIR)


@pytest.fixture(scope="session")
def profile_chip(profiles: list[CardProfile]):
    """The first profile's chip (signed by the TEST PKI); built once: building signs things."""
    from devices.card.chip.builder import chip_from_profile

    return chip_from_profile(profiles[0])


@pytest.fixture
def vpcd_port(pcsc_service) -> int:
    """The TCP port of our vpcd slot on the shared pcscd (skips only if pcscd cannot run)."""
    return READER_PORTS[VPCD_READER]


@dataclasses.dataclass
class CardHarness:
    """A backend plus the 'hand' that puts a card on it, as the contract suite needs."""

    reader: CardReader
    reader_name: str
    insert: Callable[[], None]
    remove: Callable[[], None]
    expected_identity: object
    key: object  # the AccessKey the citizen gave (typed ID / QR)

    def start_with_card(self) -> Recorder:
        """Subscribe a recorder, start the reader, put the card on it and wait until it is seen."""
        events = Recorder()
        self.reader.subscribe(events)
        self.reader.start()
        self.insert()
        events.wait_for(lambda e: e == CardInserted(self.reader_name))
        return events


@pytest.fixture(params=["virtual", "pcsc"])
def card_harness(request: pytest.FixtureRequest, profiles: list[CardProfile]) -> Iterator[CardHarness]:
    if request.param == "virtual":
        reader = open_reader("virtual", read_delay_s=0.05)
        profile = profiles[0]
        harness = CardHarness(
            reader, "Virtual Kiosk Reader", lambda: reader.insert(profile), reader.remove,
            profile.identity(), profile_access_key(profile),
        )
        yield harness
        reader.stop()
        return
    port = request.getfixturevalue("vpcd_port")
    profile = profiles[0]
    reader = open_reader("pcsc", reader=VPCD_READER, csca_dir=TEST_CSCA_DIR)
    card = ChipCard(port, request.getfixturevalue("profile_chip"))
    yield CardHarness(reader, VPCD_READER, card.insert, card.remove, profile.identity(),
                      profile_access_key(profile))
    card.remove()
    reader.stop()
