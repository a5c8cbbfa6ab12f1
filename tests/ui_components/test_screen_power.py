"""Keeping the screen on: the X settings are read from `xset q`, switched off in kiosk mode and put
back exactly at exit; DPMS (which Xvfb lacks, so the process test cannot see it) against a twin of
xset that keeps a server's state and answers in xset's own format."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence

import pytest

from ui.screen_power import ScreenPower, XSettings, parse_xset_query

QUERY = """Screen Saver:
  prefer blanking:  {blank}    allow exposures:  yes
  timeout:  {timeout}    cycle:  {cycle}
Colors:
  default colormap:  0x20    BlackPixel:  0x0    WhitePixel:  0xffffff
DPMS (Energy Star):
{dpms}
"""


class XsetTwin:
    """The parts of an X server's state that `xset` reads and changes."""

    def __init__(self, *, dpms: bool | None = True) -> None:
        self.timeout, self.cycle, self.blank, self.dpms = 600, 600, True, dpms
        self.calls: list[list[str]] = []

    def __call__(self, argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
        args = list(argv[1:])
        self.calls.append(args)
        if args == ["q"]:
            dpms = ("  Server does not have the DPMS Extension" if self.dpms is None else
                    f"  Standby: 600    Suspend: 600    Off: 600\n  DPMS is {'Enabled' if self.dpms else 'Disabled'}")
            text = QUERY.format(blank="yes" if self.blank else "no", timeout=self.timeout,
                                cycle=self.cycle, dpms=dpms)
            return subprocess.CompletedProcess(argv, 0, text, "")
        while args:
            word = args.pop(0)
            if word == "s":
                value = args.pop(0)
                if value == "off":
                    self.timeout = 0
                elif value in ("blank", "noblank"):
                    self.blank = value == "blank"
                else:
                    self.timeout, self.cycle = int(value), int(args.pop(0))
            elif word in ("+dpms", "-dpms"):
                if self.dpms is None:
                    return subprocess.CompletedProcess(argv, 1, "", "no DPMS extension")
                self.dpms = word == "+dpms"
        return subprocess.CompletedProcess(argv, 0, "", "")

    def state(self) -> tuple:
        return self.timeout, self.cycle, self.blank, self.dpms


@pytest.mark.parametrize("dpms", [True, False, None])
def test_kiosk_mode_switches_blanking_off_and_restores_it(dpms):
    xset = XsetTwin(dpms=dpms)
    xset.blank = False if dpms is False else True
    before = xset.state()
    power = ScreenPower("xcb", runner=xset, xset="/usr/bin/xset")
    assert power.keep_on()
    assert xset.timeout == 0 and xset.blank is False and xset.dpms in (False, None)
    power.restore()
    assert xset.state() == before
    power.restore()  # twice is harmless
    assert xset.state() == before


def test_wayland_and_a_missing_xset_change_nothing(caplog):
    xset = XsetTwin()
    assert not ScreenPower("wayland", runner=xset, xset="/usr/bin/xset").keep_on()
    assert not ScreenPower("xcb", runner=xset, xset="").keep_on()
    assert xset.calls == []
    assert "apt-get install x11-xserver-utils" in caplog.text


def test_an_unreadable_or_failing_xset_is_logged_not_raised(caplog):
    def broken(argv):
        raise subprocess.TimeoutExpired(argv, 5)

    power = ScreenPower("xcb", runner=broken, xset="/usr/bin/xset")
    assert not power.keep_on()
    power.restore()
    assert "xset did not answer (TimeoutExpired)" in caplog.text


def test_parse_reads_the_screen_saver_and_dpms():
    text = QUERY.format(blank="no", timeout=300, cycle=120, dpms="  DPMS is Enabled")
    assert parse_xset_query(text) == XSettings(300, 120, False, True)
    assert parse_xset_query("garbage") is None
