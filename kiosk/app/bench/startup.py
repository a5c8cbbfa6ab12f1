"""``kiosk bench startup``: how long a person waits for the kiosk's commands and for its first screen.

- ``cli``: each command started as a person starts it (``python -m kiosk ...`` in a fresh process),
  wall time from exec to exit: ``kiosk --help``, ``kiosk config show`` and every command's
  ``--help``; ``python -c pass`` is timed alongside as the floor no command can beat.
- ``first_frame``: ``kiosk run --windowed`` in demo mode on a private Xvfb display, from exec to the
  first frame painted (the welcome screen), then stopped with SIGTERM.

Bytecode is compiled once (the warm-up) into a private cache, as an installed kiosk has it.

Medians over ``--runs`` runs, each command's runs interleaved with the others' so a burst of load
on the machine spreads over all of them; with each wall time, the CPU time the process used (for
the kiosk, until its first frame), which another program's load changes much less. Targets (wall
time, on a quiet machine): every command <= 0.3 s, first frame <= 1.0 s.
"""

from __future__ import annotations

from typing import Any

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kiosk.app.bench.display import BenchError, KioskProcess, bench_env, process_cpu_s, xvfb_display

__all__ = ["cli_commands", "measure_cli", "measure_first_frame", "register"]

TARGET_CLI_S = 0.3
TARGET_FIRST_FRAME_S = 1.0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("startup", help="start-up time of every command and of the kiosk's first frame")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (medians reported)")
    parser.add_argument("--frame-runs", type=int, default=5, help="kiosk starts timed to the first frame")
    parser.add_argument("--skip-frame", action="store_true", help="time the commands only (no Xvfb)")
    parser.set_defaults(func=_main)


def cli_commands() -> dict[str, list[str]]:
    from kiosk.app.cli import COMMANDS

    commands = {"--help": ["--help"], "config show": ["config", "show"]}
    commands |= {f"{name} --help": [name, "--help"] for name, _, _ in COMMANDS}
    return commands


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _wall(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run: the CPU time is what the command itself did, which
    a busy machine changes much less than the wall time."""
    cpu_before, started = _children_cpu_s(), time.perf_counter()
    result = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
    elapsed, cpu = time.perf_counter() - started, _children_cpu_s() - cpu_before
    if result.returncode != 0:
        raise BenchError(f"{' '.join(argv[2:])} failed ({result.returncode}): {result.stderr.decode()[-300:]}")
    return elapsed, cpu


def measure_cli(runs: int) -> dict[str, Any]:
    pycache = tempfile.TemporaryDirectory(prefix="kiosk-bench-pycache-")
    env = bench_env(Path(pycache.name))  # the warm-up compiles, the timed runs reuse
    commands = {name: [sys.executable, "-m", "kiosk", *args] for name, args in cli_commands().items()}
    commands["python -c pass (floor)"] = [sys.executable, "-c", "pass"]
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for argv in commands.values():  # warm-up: the first start also fills the disk cache
        _wall(argv, env)
    for _ in range(runs):
        for name, argv in commands.items():
            samples[name].append(_wall(argv, env))
    pycache.cleanup()
    return {name: {"median_s": round(statistics.median(w for w, _ in runs_), 3),
                   "min_s": round(min(w for w, _ in runs_), 3), "max_s": round(max(w for w, _ in runs_), 3),
                   "cpu_median_s": round(statistics.median(c for _, c in runs_), 3)}
            for name, runs_ in samples.items()}


def measure_first_frame(runs: int) -> dict[str, Any]:
    times, cpu = [], []
    with xvfb_display() as display, tempfile.TemporaryDirectory(prefix="kiosk-bench-pycache-") as pycache:
        with KioskProcess(display, Path(pycache)) as kiosk:  # warm-up: disk cache, compiled bytecode
            kiosk.wait_first_frame()
        for _ in range(runs):
            with KioskProcess(display, Path(pycache)) as kiosk:
                times.append(kiosk.wait_first_frame())
                assert kiosk.process is not None
                cpu.append(process_cpu_s(kiosk.process.pid))
    return {"runs": runs, "median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3),
            "max_s": round(max(times), 3), "cpu_median_s": round(statistics.median(cpu), 3)}


def _main(args: argparse.Namespace) -> int:
    if args.runs < 1 or args.frame_runs < 1:
        print("kiosk bench startup: --runs and --frame-runs must be at least 1", file=sys.stderr)
        return 2
    try:
        report: dict[str, Any] = {"cli": measure_cli(args.runs)}
        if not args.skip_frame:
            report["first_frame"] = measure_first_frame(args.frame_runs)
    except BenchError as exc:
        print(f"kiosk bench startup: {exc}", file=sys.stderr)
        return 1
    commands = {k: v for k, v in report["cli"].items() if not k.endswith("(floor)")}
    targets = {"every_command_le_0.3s": all(v["median_s"] <= TARGET_CLI_S for v in commands.values())}
    if "first_frame" in report:
        targets["first_frame_le_1.0s"] = report["first_frame"]["median_s"] <= TARGET_FIRST_FRAME_S
    report["targets"] = targets | {"all_met": all(targets.values())}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    for name, figures in report["cli"].items():
        print(f"kiosk {name:24} median {figures['median_s']:.3f} s")
    if "first_frame" in report:
        print(f"kiosk run: first frame   median {report['first_frame']['median_s']:.3f} s")
    print("targets:", ", ".join(f"{k}={'yes' if v else 'NO'}" for k, v in report["targets"].items()))
    return 0
