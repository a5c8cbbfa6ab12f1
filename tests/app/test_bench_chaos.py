"""The fault campaign, bounded for `make test`: submissions through the kiosk's own services in
real processes while every kind of fault happens at least once (kills of the kiosk, the sync
worker and the portal, clock jumps both ways, a damaged outbox, a wrong URL, a trickling portal).
`kiosk bench chaos --json` runs the long form."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.app.bench.chaos import FAULTS, Plan, run_campaign

pytestmark = [pytest.mark.slow, pytest.mark.campaign]

#: `make test` runs the bounded campaign; `make test-campaigns` (CHAOS_SUBMISSIONS=400) the long one
SUBMISSIONS = int(os.environ.get("CHAOS_SUBMISSIONS", "80"))


@pytest.mark.timeout(600)
def test_no_receipt_is_lost_duplicated_or_stranded_under_every_fault(tmp_path: Path) -> None:
    plan = Plan(submissions=SUBMISSIONS, seed=int(os.environ.get("CHAOS_SEED", "20261127")),
                fault_every_s=(0.8, 2.0), window_s=(2.0, 4.0), max_s=240 + SUBMISSIONS,
                drain_s=120, pause_s=0.2)
    report = run_campaign(tmp_path, plan)
    print(report)
    assert report.acknowledged == SUBMISSIONS, report
    assert (report.lost, report.duplicated, report.stranded) == (0, 0, 0), report.details
    assert all(report.faults[kind] >= 1 for kind in FAULTS), report.faults
    assert report.kiosk_lives >= 4
