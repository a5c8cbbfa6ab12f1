"""``kiosk bench all``: every benchmark, one JSON document, with a description of the machine.

Each benchmark runs as its own process (``python -m kiosk bench NAME --json``), one after another,
so one's imports, pinning or threads never colour the next. The document holds the machine (CPU,
cores, memory, OS, Python, load average before and after), each benchmark's report, or, for one
that failed, its exit status and the end of what it printed, and every benchmark's targets. The
fault campaign (``chaos``) is left out unless named with ``--with-chaos``: it takes minutes and
measures robustness, not speed. The card bench goes through the machine's pcscd and vpcd ports:
run this where nothing else uses them.
"""

from __future__ import annotations

from typing import Any

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["machine", "register", "run_all"]

DEFAULT_ORDER = ("startup", "idle", "qr", "card", "outbox", "journey")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("all", help="every benchmark in turn, one JSON document with the machine's description")
    parser.add_argument("--json", action="store_true", help="print the document as JSON (the default is a summary)")
    parser.add_argument("--skip", action="append", default=[], metavar="NAME", help="leave a benchmark out (repeatable)")
    parser.add_argument("--with-chaos", action="store_true", help="also run the fault campaign")
    parser.add_argument("--qr-photos", type=Path, help="folder of real QR photographs for the QR bench")
    parser.add_argument("--timeout", type=float, default=1800.0, help="longest run of one benchmark, seconds")
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes (a check that every benchmark runs; the figures mean little)")
    parser.set_defaults(func=_main)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def machine() -> dict[str, Any]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {"cpu": _cpu_model(), "cores": os.cpu_count(), "memory_gib": _memory_gib(),
            "os": platform.platform(), "python": platform.python_version(),
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "load_average": [round(x, 2) for x in load] if load else None}


QUICK = {
    "startup": ["--runs", "1", "--frame-runs", "1"], "idle": ["--seconds", "3", "--settle", "1"],
    "qr": ["--per-resolution", "3", "--empty", "4", "--decoders", "pipeline,zxing_qr"],
    "card": ["--runs", "1", "--no-pcsc"], "outbox": ["--enqueue", "20", "--drain", "20", "--entries", "500"],
    "journey": ["--runs", "1"], "chaos": ["--submissions", "20"],
}


def _arguments(name: str, args: argparse.Namespace) -> list[str]:
    extra = list(QUICK.get(name, [])) if args.quick else (["--runs", "3"] if name == "journey" else [])
    if name == "qr" and args.qr_photos:
        extra += ["--photos", str(args.qr_photos)]
    return [sys.executable, "-m", "kiosk", "bench", name, "--json", *extra]


def _run_one(name: str, args: argparse.Namespace) -> dict[str, Any]:
    started = time.monotonic()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    try:
        done = subprocess.run(_arguments(name, args), capture_output=True, text=True, env=env, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": f"did not finish within {args.timeout:g} s"}
    seconds = round(time.monotonic() - started, 1)
    if done.returncode != 0:
        return {"ok": False, "exit_status": done.returncode, "seconds": seconds,
                "error": (done.stderr or done.stdout)[-800:]}
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        return {"ok": False, "seconds": seconds, "error": "the benchmark printed no JSON: " + done.stdout[-300:]}
    return {"ok": True, "seconds": seconds, "report": report}


def run_all(args: argparse.Namespace) -> dict[str, Any]:
    names = [n for n in DEFAULT_ORDER if n not in args.skip]
    if args.with_chaos and "chaos" not in args.skip:
        names.append("chaos")
    document: dict[str, Any] = {"machine": machine(), "benchmarks": {}}
    for name in names:
        document["benchmarks"][name] = _run_one(name, args)
    document["machine"]["load_average_after"] = machine()["load_average"]
    targets = {name: result["report"].get("targets") for name, result in document["benchmarks"].items()
               if result["ok"] and isinstance(result["report"], dict) and "targets" in result["report"]}
    failed = [name for name, result in document["benchmarks"].items() if not result["ok"]]
    document["summary"] = {"targets": targets, "failed": failed,
                           "all_met": not failed and all(t.get("all_met", True) for t in targets.values() if t)}
    return document


def _main(args: argparse.Namespace) -> int:
    unknown = [n for n in args.skip if n not in (*DEFAULT_ORDER, "chaos")]
    if unknown:
        print(f"kiosk bench all: unknown benchmark(s) {unknown}", file=sys.stderr)
        return 2
    document = run_all(args)
    if args.json:
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        m = document["machine"]
        print(f"{m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, Python {m['python']}, load {m['load_average']}")
        for name, result in document["benchmarks"].items():
            if not result["ok"]:
                print(f"{name:8} FAILED: {result['error'][:200]}")
                continue
            met = (result["report"].get("targets") or {}).get("all_met") if isinstance(result["report"], dict) else None
            print(f"{name:8} {result['seconds']:7.1f} s  targets met: {met}")
    return 0 if not document["summary"]["failed"] else 1
