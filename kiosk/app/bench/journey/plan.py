"""``kiosk bench journey``: the Qt-free half (the plan, the record of a run, medians, text).

The journey itself is walked by ``walk`` and tapped by ``driver`` (Qt), which ``kiosk bench
journey`` imports inside the command, so the rest of the command line never loads Qt. What one
run measures:

- ``touches``: every simulated tap on the real window (buttons, tiles, fields, each on-screen
  keyboard key, a tap on a scroll bar or on "Hide keyboard" when something is out of reach, and
  each "Continue" between the form's pages, which asks one question or a small group at a time);
  placing the card on the reader is the citizen's hand, not a touch;
- ``screens``: distinct pages of the window shown (WELCOME ... RECEIPT, and any other page);
- ``wall_ms``: ``total`` from the card placed to the receipt shown, ``from_first_touch``,
  ``card_read`` (card placed -> the chip's details shown), ``submit`` (the consent tap -> the
  receipt shown, through the outbox and the portal), ``ui`` (the window's own time after the
  first touch: handling each tap and what it starts, until the window has done what the tap
  asked; the chip read and the submission excluded) and ``bench`` (the benchmark's own time
  after the first touch: finding the next widget, checking the answers; not the kiosk's).

The targets: at most 15 touches from welcome to receipt, and at most 0.3 s of the UI's own path
after the first touch (``ui``).
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["DEFAULT_ANSWERS", "DEFAULT_PROCEDURE", "JourneyPlan", "JourneyRun", "SAMPLE_PROFILE",
           "StepRecord", "TARGET_TOUCHES", "render_text", "summarise"]

TARGET_TOUCHES = 15
TARGET_UI_MS = 300.0  # the UI's own path after the first touch (card read and submit excluded)
DEFAULT_PROCEDURE = "3.000347"  # driving-licence renewal (assets/procedures/)
SAMPLE_PROFILE = "01-tran-thi-minh-anh.toml"  # assets/profiles
_WALL_KEYS = ("total", "from_first_touch", "card_read", "submit", "ui", "bench")

#: what the scripted citizen answers when the form asks (only what the card cannot know)
DEFAULT_ANSWERS: Mapping[str, str] = {
    "phone": "0912345678",
    "licence_number": "790123456789",
    "licence_class": "B",
    "delivery": "counter",
    "certificate_type": "1",  # so other procedures can be walked too (--procedure)
    "copies": "1",
}


@dataclasses.dataclass(frozen=True)
class JourneyPlan:
    """Who walks up and what they answer. ``answers`` are given only when the form requires them
    (the citizen does the least); ``also_answer`` names optional fields they fill in anyway."""

    procedure: str = DEFAULT_PROCEDURE
    profile: str = SAMPLE_PROFILE
    answers: Mapping[str, str] = dataclasses.field(default_factory=lambda: dict(DEFAULT_ANSWERS))
    also_answer: tuple[str, ...] = ()
    sms: bool = False  # asks for an SMS on the consent screen (typing the number there if empty)
    read_aloud: bool = False  # turns read aloud on at the welcome screen (one touch) first


@dataclasses.dataclass
class StepRecord:
    """One page of the journey: when it was shown, when it went, the taps made on it."""

    page: str
    started: float
    touches: int = 0
    ended: float | None = None


@dataclasses.dataclass
class JourneyRun:
    """What one journey measured (times in seconds from ``time.perf_counter``)."""

    touches: int = 0
    pages: list[str] = dataclasses.field(default_factory=list)
    steps: list[StepRecord] = dataclasses.field(default_factory=list)
    placed: float = 0.0
    first_touch: float | None = None
    receipt: float | None = None
    card_read_s: float = 0.0
    submit_s: float = 0.0
    ui_s: float = 0.0  # the window's own time after the first touch (see ``Driver``)
    taps: list[str] = dataclasses.field(default_factory=list)  # what was tapped, in order

    def as_dict(self) -> dict[str, Any]:
        end = self.receipt if self.receipt is not None else time.perf_counter()
        total = end - self.placed
        after_touch = end - (self.first_touch or end)
        return {
            "touches": self.touches, "screens": len(set(self.pages)), "pages": list(self.pages),
            "wall_ms": {"total": _ms(total),
                        "from_first_touch": _ms(after_touch),
                        "card_read": _ms(self.card_read_s), "submit": _ms(self.submit_s),
                        "ui": _ms(self.ui_s),
                        "bench": _ms(max(0.0, after_touch - self.submit_s - self.ui_s))},
            "steps": [{"page": s.page, "touches": s.touches,
                       "ms": _ms((s.ended if s.ended is not None else end) - s.started)}
                      for s in self.steps],
            "taps": list(self.taps),
        }


def _ms(seconds: float) -> float:
    return round(seconds * 1000.0, 1)


def _median(values: Sequence[float]) -> float:
    return round(statistics.median(values), 1)


def summarise(runs: Sequence[Mapping[str, Any]], *, procedure: str, versions: Mapping[str, str],
              target: int = TARGET_TOUCHES) -> dict[str, Any]:
    """Medians over the runs. Touches and screens come from the path, so every run should give
    the same; if not, the spread is reported (``touches_per_run``) and the median is used."""
    if not runs:
        raise ValueError("no runs to summarise")
    touches = [r["touches"] for r in runs]
    screens = [r["screens"] for r in runs]
    same_path = all(r["pages"] == runs[0]["pages"] and
                    [s["touches"] for s in r["steps"]] == [s["touches"] for s in runs[0]["steps"]]
                    for r in runs)
    steps = [{"page": step["page"], "touches": step["touches"],
              "ms": _median([r["steps"][i]["ms"] for r in runs]) if same_path else step["ms"]}
             for i, step in enumerate(runs[0]["steps"])]
    median_touches = int(statistics.median(touches))
    report: dict[str, Any] = {
        "procedure": procedure,
        "touches": median_touches,
        "screens": int(statistics.median(screens)),
        "wall_ms": {key: _median([r["wall_ms"][key] for r in runs]) for key in _WALL_KEYS},
        "wall_ms_max": {key: round(max(r["wall_ms"][key] for r in runs), 1) for key in _WALL_KEYS},
        "steps": steps,
        "pages": list(runs[0]["pages"]),
        "taps": list(runs[0]["taps"]),
        "receipt": runs[0].get("receipt"),
        "sms_requested": runs[0].get("sms_requested"),
        "target_touches": target,
        "met": median_touches <= target,
        "runs": len(runs),
        **versions,
    }
    if len(set(touches)) > 1 or not same_path:
        report["touches_per_run"] = touches
    targets = {"touches_le_15": report["met"], "ui_path_le_0.3s": report["wall_ms"]["ui"] <= TARGET_UI_MS}
    report["targets"] = targets | {"all_met": all(targets.values())}
    return report


def render_text(report: Mapping[str, Any]) -> str:
    """A few lines for a person at a terminal."""
    wall = report["wall_ms"]
    lines = [
        f"procedure {report['procedure']}: {report['touches']} touches "
        f"(target <= {report['target_touches']}: {'met' if report['met'] else 'NOT met'}), "
        f"{report['screens']} screens, median of {report['runs']} run(s)",
        f"wall {wall['total']} ms (card read {wall['card_read']} ms, submit {wall['submit']} ms, "
        f"UI {wall['ui']} ms after the first touch, the bench's own {wall['bench']} ms; "
        f"from the first touch {wall['from_first_touch']} ms)",
    ]
    lines += [f"  {s['page']:<14} {s['touches']:>3} touches {s['ms']:>9} ms"
              for s in report["steps"]]
    return "\n".join(lines)
