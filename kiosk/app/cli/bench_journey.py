"""``kiosk bench journey``: a scripted citizen journey through the real GUI (touches, screens, time).

It drives the real window, so it is the one benchmark that loads Qt: it imports
``kiosk.app.bench.journey.walk`` inside the command (as ``kiosk run`` imports ``ui.app``), never at
import time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from kiosk.app.bench.journey.plan import DEFAULT_PROCEDURE, TARGET_TOUCHES, JourneyPlan, render_text

EXIT_STUCK = 1  # the journey did not reach the receipt (or could not start): no figures


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "journey", help="a scripted citizen journey through the real GUI: touches, screens, time",
        description="Place the sample card on the virtual reader and drive a procedure from the "
                    "welcome screen to the receipt with taps only (the on-screen keyboard for any "
                    f"typing). Target: at most {TARGET_TOUCHES} touches. Runs offscreen when there "
                    "is no display. Exit status 1 if the journey gets stuck.")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--runs", type=int, default=3, help="journeys to run (medians reported)")
    parser.add_argument("--procedure", default=DEFAULT_PROCEDURE, metavar="CODE",
                        help=f"procedure code (default {DEFAULT_PROCEDURE}: driving licence)")
    parser.add_argument("--also-answer", action="append", default=[], metavar="FIELD",
                        help="also fill in this optional field (e.g. phone; repeatable)")
    parser.add_argument("--sms", action="store_true",
                        help="the citizen asks for an SMS on the consent screen")
    parser.add_argument("--read-aloud", action="store_true",
                        help="the citizen turns read aloud on first (one touch; Qt's silent engine)")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                        help="longest wait for any one step before the journey counts as stuck")
    parser.set_defaults(func=_journey)


def _journey(args: argparse.Namespace) -> int:
    if args.runs < 1 or args.timeout <= 0:
        print("bench journey: --runs must be at least 1 and --timeout positive", file=sys.stderr)
        return 2
    # QtMultimedia (read-aloud) complains once about a missing pipewire: not the bench's business
    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
    from kiosk.app.bench.journey.walk import JourneyError, JourneyStuck, run_bench  # Qt loads here, only here

    try:
        plan = JourneyPlan(procedure=args.procedure, also_answer=tuple(args.also_answer),
                           sms=args.sms, read_aloud=args.read_aloud)
        report = run_bench(runs=args.runs, plan=plan, timeout_s=args.timeout)
    except JourneyStuck as exc:
        print(f"bench journey: FAILED, the journey did not reach the receipt: {exc}",
              file=sys.stderr)
        return EXIT_STUCK
    except JourneyError as exc:
        print(f"bench journey: FAILED, nothing was measured: {exc}", file=sys.stderr)
        return EXIT_STUCK
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else render_text(report))
    return 0
