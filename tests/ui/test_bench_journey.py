"""``kiosk bench journey``: the scripted citizen taps the real window; touches and screens come from
that path (an extra answer costs exactly its taps), a stuck journey fails loudly, and the CLI
prints the JSON. No timing is asserted: times are only checked to be there."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from kiosk.app.bench.journey.plan import TARGET_TOUCHES, JourneyPlan, summarise
from kiosk.domain.flow import Step
from kiosk.app.bench.journey.walk import Driver, JourneyStuck, drive, run_bench, run_once
from ui_helpers import make_config

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

ROOT = Path(__file__).resolve().parents[2]
KIOSK = ROOT / ".venv" / "bin" / "kiosk"
REACH_TAPS = {"scroll down", "scroll up", "hide keyboard"}
WALL_KEYS = {"total", "from_first_touch", "card_read", "submit", "ui", "bench"}


@pytest.fixture
def kiosk_config(tmp_path):
    """The shared GUI config, with a short chip-read timeout (the stuck-card test waits on it)."""
    return make_config(tmp_path, **{"devices.read_timeout_s": 2.0})


def check_shape(report: dict) -> None:
    assert report["procedure"] == "3.000347"
    assert report["target_touches"] == TARGET_TOUCHES == 15
    assert report["met"] is (report["touches"] <= 15)
    assert set(report["wall_ms"]) == WALL_KEYS
    assert all(value >= 0 for value in report["wall_ms"].values())
    wall = report["wall_ms"]
    if report["runs"] == 1:  # the UI's time is a part of the time after the first touch
        assert 0 < wall["ui"] <= wall["from_first_touch"] - wall["submit"] + 0.2
    assert report["python"].startswith("3.") and report["qt"].startswith("6.")
    assert report["pages"][0] == "WELCOME" and report["pages"][-1] == "RECEIPT"
    assert report["screens"] == len(set(report["pages"]))
    assert [s["page"] for s in report["steps"]] == report["pages"]
    assert report["touches"] == len(report["taps"]) == sum(s["touches"] for s in report["steps"])
    assert report["receipt"] == "sent"


def test_bench_in_process_reports_the_real_path(qapp):
    report = run_bench(runs=1)

    check_shape(report)
    assert report["runs"] == 1 and report["also_answered"] == []
    assert {"CHOOSE", "REQUIREMENTS", "FORM", "REVIEW", "CONSENT"} <= set(report["pages"])
    # the touches a citizen must make whatever the form holds: confirm the chip, the tile,
    # continue, check answers, continue to consent, agree
    for tap in ("this is me", "tile 3.000347", "continue", "check answers", "continue to consent",
                "agree"):
        assert tap in report["taps"]
    # the form's pages: the card's details, "Receive the result", the licence: two "Continue"
    assert report["taps"].count("next page") == 2
    form = report["taps"][report["taps"].index("continue") + 1:report["taps"].index("check answers")]
    assert form == ["next page", "delivery=counter", "next page"]
    assert report["steps"][0] == {**report["steps"][0], "page": "WELCOME", "touches": 0}


def test_each_extra_answer_costs_exactly_its_taps(qapp):
    """The licence number typed on the on-screen keyboard: one tap on the field and one per
    character; the licence class: one tap; plus whatever a finger needs to reach them (a tap on
    the scroll bar or on "Hide keyboard"), each counted. Nothing else on the path changes."""
    base = run_once(JourneyPlan())
    more = run_once(JourneyPlan(also_answer=("licence_number", "licence_class")))

    number = JourneyPlan().answers["licence_number"]
    extra = list(more["taps"])
    for tap in base["taps"]:
        extra.remove(tap)
    reach = [tap for tap in extra if tap in REACH_TAPS]
    answers = [tap for tap in extra if tap not in REACH_TAPS]
    assert sorted(answers) == sorted(["field licence_number", *(f"key {d}" for d in number),
                                      "licence_class=B"])
    assert more["touches"] == base["touches"] + len(number) + 2 + len(reach)
    assert more["pages"] == base["pages"] and more["screens"] == base["screens"]
    form = [s for s in more["steps"] if s["page"] == "FORM"][0]
    base_form = [s for s in base["steps"] if s["page"] == "FORM"][0]
    assert form["touches"] == base_form["touches"] + len(number) + 2 + len(reach)


def test_with_read_aloud_on_the_journey_costs_one_touch_and_every_screen_is_said(qapp):
    """The citizen turns read aloud on at the welcome screen: one more touch, the same path, and
    the voice says each screen as it appears (Qt's silent engine)."""
    base = run_once(JourneyPlan())
    aloud = run_once(JourneyPlan(read_aloud=True))

    assert aloud["taps"] == ["read aloud", *base["taps"]]
    assert aloud["touches"] == base["touches"] + 1 and aloud["pages"] == base["pages"]
    assert base["spoken"] == 0
    assert aloud["spoken"] >= len(set(aloud["pages"])) - 1  # each screen after the welcome


def test_drive_on_the_shared_test_window_reaches_the_portal(qtbot, window, services):
    """The shared GUI fixture (demo panel shown): the dossier really is at the portal."""
    result = drive(window, services, JourneyPlan())

    assert window.flow.step is Step.RECEIPT and result["receipt"] == "sent"
    assert services.embedded_portal.store.count_dossiers() == 1
    assert result["touches"] == len(result["taps"])
    assert summarise([result], procedure="3.000347", versions={})["touches"] == result["touches"]


def test_an_sms_asked_for_on_the_consent_screen_costs_the_choice_and_the_digits(qtbot, window,
                                                                                 services):
    window.activateWindow()  # the number is typed: the field must be able to take the focus
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    result = drive(window, services, JourneyPlan(sms=True))

    phone = JourneyPlan().answers["phone"]
    assert result["sms_requested"] is True and window.flow.sms_phone == phone
    consent = [s for s in result["steps"] if s["page"] == "CONSENT"][0]
    assert consent["touches"] == 1 + len(phone) + 1  # "Yes, SMS", the digits, "I agree"
    assert "sms yes" in result["taps"] and "agree" in result["taps"]


def test_a_hidden_or_covered_widget_is_never_tapped_through(qtbot, window):
    driver = Driver(window, timeout_s=0.2)
    try:
        driver.start()
        with pytest.raises(JourneyStuck, match="not visible or is covered"):
            driver.tap(window.screens[Step.FORM].primary_button, "check answers")
        assert driver.run.touches == 0
        with pytest.raises(JourneyStuck, match="stuck on WELCOME: the receipt did not happen"):
            driver.wait_for(lambda: False, "the receipt", 0.05)
    finally:
        driver.close()


def test_a_chip_that_never_opens_makes_the_journey_fail_with_its_step(qtbot, window, services):
    services.card_reader.access = "required"  # like a real reader: needs the key first
    with pytest.raises(JourneyStuck, match="stuck on IDENTIFY: the chip's details"):
        drive(window, services, JourneyPlan(), timeout_s=0.5)
    assert window.flow.step is Step.IDENTIFY


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([str(KIOSK), "bench", "journey", *args], capture_output=True, text=True,
                          timeout=100, env=env, cwd=ROOT, check=False)


@pytest.mark.skipif(not KIOSK.exists(), reason="the kiosk command is not installed in .venv")
def test_cli_prints_the_json(tmp_path):
    done = run_cli("--json", "--runs", "1")

    assert done.returncode == 0, done.stderr
    check_shape(json.loads(done.stdout))


@pytest.mark.skipif(not KIOSK.exists(), reason="the kiosk command is not installed in .venv")
def test_cli_fails_loudly_when_the_journey_cannot_finish():
    done = run_cli("--json", "--runs", "1", "--procedure", "0.000000")

    assert done.returncode == 1
    assert done.stdout == ""  # no figures at all, never a pass
    assert "FAILED" in done.stderr and "0.000000" in done.stderr


def fake_run(touches: int, total: float, pages=("WELCOME", "RECEIPT")) -> dict:
    steps = [{"page": p, "touches": touches if i == 0 else 0, "ms": total / len(pages)}
             for i, p in enumerate(pages)]
    wall = dict.fromkeys(WALL_KEYS, total)
    return {"touches": touches, "screens": len(set(pages)), "pages": list(pages), "steps": steps,
            "wall_ms": wall, "taps": ["tap"] * touches, "receipt": "sent"}


def test_summary_takes_medians_and_shows_a_spread_of_touches():
    same = summarise([fake_run(8, 100.0), fake_run(8, 300.0), fake_run(8, 200.0)],
                     procedure="x", versions={"python": "3"})
    assert same["touches"] == 8 and same["met"] and same["wall_ms"]["total"] == 200.0
    assert same["wall_ms_max"]["total"] == 300.0 and "touches_per_run" not in same
    assert same["steps"][0]["ms"] == 100.0 and same["runs"] == 3 and same["python"] == "3"

    spread = summarise([fake_run(16, 1.0), fake_run(18, 1.0), fake_run(16, 1.0)],
                       procedure="x", versions={})
    assert spread["touches"] == 16 and not spread["met"]
    assert spread["touches_per_run"] == [16, 18, 16]
    with pytest.raises(ValueError):
        summarise([], procedure="x", versions={})
