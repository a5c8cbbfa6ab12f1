"""ChipVerification: the UI's verdict follows the checks, for any combination of outcomes."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from devices.card.base import CardRead, ChipVerification, Verdict
from devices.card.lds.active import AaResult
from devices.card.lds.passive import Check, PassiveReport, Status
from kiosk.domain.identity import CitizenIdentity, IdSource

NAMES = ("sod_format", "dg_hash[1]", "dg_hash[2]", "sod_signature", "ds_certificate_chain")
checks = st.lists(st.builds(Check, st.sampled_from(NAMES), st.sampled_from(Status),
                            st.sampled_from(("hash differs", "no trusted CSCA", "ok"))),
                  max_size=6)
actives = st.none() | st.builds(AaResult, st.sampled_from(Status), st.just("reason"))


@dataclasses.dataclass
class FakeDocument:  # the attributes ChipVerification.from_document reads from a ChipDocument
    access: str
    passive: PassiveReport
    active: AaResult | None

    @property
    def verified(self) -> bool:  # ChipDocument.verified, verbatim
        aa_ok = self.active is None or self.active.status is not Status.FAILED
        return self.passive.ok and aa_ok


@given(checks, actives, st.sampled_from(("PACE", "BAC")))
def test_outcome_follows_the_checks(passive, active, access):
    doc = FakeDocument(access, PassiveReport(tuple(passive)), active)
    result = ChipVerification.from_document(doc)
    assert result.verified is doc.verified
    assert result.access == access and len(result.passive) == len(passive)
    any_failed = any(c.status is Status.FAILED for c in passive) or not passive or (
        active is not None and active.status is Status.FAILED)
    assert (result.outcome == "failed") is any_failed
    assert (result.outcome == "verified") is result.verified
    assert result.outcome in ("verified", "unchecked", "failed") and result.summary
    if any_failed:
        assert result.summary.startswith("Warning")
    problems = [c for c in result.problems if c.status is not Verdict.PASSED]
    assert problems == list(result.problems)
    assert bool(problems) or result.verified or not passive  # no checks at all: "failed"


def test_repr_of_a_card_read_shows_no_personal_data():
    identity = CitizenIdentity("079195012345", IdSource.CHIP, full_name="Trần Thị Minh Anh")
    doc = FakeDocument("PACE", PassiveReport((Check("sod_signature", Status.PASSED, "ok"),)), None)
    read = CardRead(identity, b"\xff\xd8\xff" + b"x" * 100, 12.0,
                    ChipVerification.from_document(doc), "image/jpeg", b"png")
    text = repr(read)
    assert "079195012345" not in text and "Minh Anh" not in text and "xxx" not in text
    assert "verification=verified" in text and "103 bytes" in text
    assert read.verified and read.portrait_jpeg == read.portrait
