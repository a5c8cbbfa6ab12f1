"""``kiosk bench idle``: what a kiosk costs while its welcome screen waits for a citizen.

``kiosk run --windowed`` in demo mode (virtual camera and card reader, the metrics server) on a
private Xvfb display, with the reference portal in a process of its own (a deployed kiosk's portal
is another machine; ``--portal embedded`` measures `make run`'s kiosk, the portal inside it). The
kiosk is started once beforehand so that its bytecode is compiled, as an installed kiosk has it
(compiling in the measured process would leave its garbage in the figures). After its first frame
and a settling time (the deferred start: devices, decoder, connection check), the kiosk process's
CPU time (user + system, all its threads, from /proc) is read at the start and the end of
``--seconds``, and its resident memory once a second. Targets: <= 1 % of one core, <= 150 MB
resident.
"""

from __future__ import annotations

from typing import Any

import argparse
import contextlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kiosk.app.bench.display import (BenchError, KioskProcess, process_cpu_s, separate_portal,
                                     xvfb_display)

__all__ = ["measure_idle", "register"]

TARGET_CPU_PERCENT = 1.0
TARGET_RSS_MB = 150.0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("idle", help="CPU and memory of the kiosk waiting on its welcome screen")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to watch (default 60)")
    parser.add_argument("--settle", type=float, default=10.0, help="seconds after the first frame before watching")
    parser.add_argument("--portal", choices=("separate", "embedded"), default="separate",
                        help="the reference portal in its own process, as deployed (default), or "
                             "embedded in the kiosk as `make run` has it")
    parser.set_defaults(func=_main)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise BenchError("no VmRSS for the kiosk process")


def measure_idle(seconds: float, settle: float, portal: str = "separate") -> dict[str, Any]:
    if not Path("/proc/self/stat").exists():
        raise BenchError("this benchmark reads /proc (Linux)")
    with contextlib.ExitStack() as stack:
        display = stack.enter_context(xvfb_display())
        pycache = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kiosk-bench-pycache-")))
        extra: tuple[str, ...] = ()
        if portal == "separate":
            extra = ("--portal", stack.enter_context(separate_portal(pycache)))
        with KioskProcess(display, pycache, extra) as warm_up:  # compiles the bytecode, as installing does
            warm_up.wait_first_frame()
        with KioskProcess(display, pycache, extra) as kiosk:
            first_frame_s = kiosk.wait_first_frame()
            assert kiosk.process is not None
            pid = kiosk.process.pid
            time.sleep(settle)  # the bench waits; the kiosk finishes its deferred start
            cpu_start, started = process_cpu_s(pid), time.monotonic()
            rss = []
            while time.monotonic() - started < seconds:
                rss.append(_rss_mb(pid))
                time.sleep(1.0)
                if kiosk.process.poll() is not None:
                    raise BenchError(f"the kiosk exited ({kiosk.process.returncode}) while idle")
            cpu_used, elapsed = process_cpu_s(pid) - cpu_start, time.monotonic() - started
    return {"portal": portal, "seconds": round(elapsed, 1), "first_frame_s": round(first_frame_s, 3),
            "cpu_percent_of_one_core": round(100 * cpu_used / elapsed, 2),
            "rss_mb_median": round(statistics.median(rss), 1), "rss_mb_max": round(max(rss), 1)}


def _main(args: argparse.Namespace) -> int:
    if args.seconds <= 0 or args.settle < 0:
        print("kiosk bench idle: --seconds must be positive and --settle not negative", file=sys.stderr)
        return 2
    try:
        report = measure_idle(args.seconds, args.settle, args.portal)
    except BenchError as exc:
        print(f"kiosk bench idle: {exc}", file=sys.stderr)
        return 1
    targets = {"cpu_le_1_percent": report["cpu_percent_of_one_core"] <= TARGET_CPU_PERCENT,
               "rss_le_150_mb": report["rss_mb_max"] <= TARGET_RSS_MB}
    report["targets"] = targets | {"all_met": all(targets.values())}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"idle over {report['seconds']} s: CPU {report['cpu_percent_of_one_core']} % of a core, "
              f"RSS median {report['rss_mb_median']} MB, max {report['rss_mb_max']} MB")
        print("targets:", ", ".join(f"{k}={'yes' if v else 'NO'}" for k, v in report["targets"].items()))
    return 0
