"""``kiosk bench qr``: decode rate and time per frame on the synthetic QR corpus, three decoders.

Decoders: the kiosk's ``QrPipeline`` (QR only, staged), plain ``zxingcpp.read_barcodes`` with its
defaults (all formats) and OpenCV's ``QRCodeDetector``. A frame counts as decoded when a result's
bytes (or text) equal the manifest's payload. Timing is wall time of the decode call on an image
already in memory, after one warm-up call, with OpenCV limited to one thread and the process pinned
to one CPU where the OS allows it, so the figures mean "one core". Targets (issue 4): pipeline rate
>= plain zxing-cpp's and >= 98 %; median <= 10 ms at 1280x720 and <= 20 ms at 1920x1080.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

from devices.qr.corpus import default_corpus_dir, ensure_corpus
from devices.qr.pipeline import QrPipeline

__all__ = ["register", "run_bench"]

Decoder = Callable[[np.ndarray], list[tuple[bytes | None, str]]]
TARGET_RATE = 0.98
TARGET_MEDIAN_MS = {"720p": 10.0, "1080p": 20.0}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("qr", help="QR decode rate and time per frame on the synthetic corpus")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: the cache; generated if absent)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-resolution", type=int, default=90, help="frames per resolution when generating")
    parser.add_argument("--decoders", default="pipeline,zxing_plain,opencv", help="comma-separated subset")
    parser.set_defaults(func=_main)


def _pipeline() -> Decoder:
    pipeline = QrPipeline()
    return lambda image: [(d.raw, d.text) for d in pipeline.decode(image)]


def _zxing_plain() -> Decoder:
    return lambda image: [(bytes(r.bytes), r.text) for r in zxingcpp.read_barcodes(image)]


def _opencv() -> Decoder:
    detector = cv2.QRCodeDetector()

    def decode(image: np.ndarray) -> list[tuple[bytes | None, str]]:
        text, _, _ = detector.detectAndDecode(image)
        return [(None, text)] if text else []

    return decode


DECODERS: dict[str, Callable[[], Decoder]] = {"pipeline": _pipeline, "zxing_plain": _zxing_plain, "opencv": _opencv}


def _matches(results: list[tuple[bytes | None, str]], expected: str) -> bool:
    want = expected.encode("utf-8")
    for raw, text in results:
        if raw == want or unicodedata.normalize("NFC", text) == expected:
            return True
        try:  # OpenCV returns byte-mode UTF-8 as Latin-1 characters
            if text.encode("latin-1") == want:
                return True
        except UnicodeEncodeError:
            pass
    return False


def _pin_one_core() -> str:
    cv2.setNumThreads(1)
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to CPU {core}"
    return "not pinned (OS has no sched_setaffinity)"


def _summary(times: list[float], hits: int) -> dict:
    times_sorted = sorted(times)
    p95 = times_sorted[min(len(times_sorted) - 1, int(round(0.95 * (len(times_sorted) - 1))))] if times else None
    return {"frames": len(times), "decoded": hits, "rate": round(hits / len(times), 4) if times else None,
            "median_ms": round(statistics.median(times), 2) if times else None,
            "p95_ms": round(p95, 2) if p95 is not None else None}


def run_bench(corpus: Path, manifest: dict, names: list[str]) -> dict:
    """Decode every frame with every decoder; figures per resolution, overall, and per condition."""
    decoders = {name: DECODERS[name]() for name in names}
    frames = manifest["frames"]
    first = cv2.imread(str(corpus / frames[0]["file"]), cv2.IMREAD_COLOR)
    for decode in decoders.values():
        decode(first)  # warm-up: first-call allocations are not what a running kiosk pays
    samples: dict[str, list[tuple[str, str, float, bool]]] = {name: [] for name in names}
    for frame in frames:
        image = cv2.imread(str(corpus / frame["file"]), cv2.IMREAD_COLOR)
        resolution = f"{frame['height']}p"
        for name, decode in decoders.items():
            started = time.perf_counter()
            results = decode(image)
            elapsed = (time.perf_counter() - started) * 1000
            samples[name].append((resolution, frame["condition"], elapsed, _matches(results, frame["payload"])))
    report: dict = {"corpus": str(corpus), "frames": len(frames), "decoders": {}, "by_condition": {}}
    for name, rows in samples.items():
        groups = {"overall": rows} | {res: [r for r in rows if r[0] == res] for res in ("720p", "1080p")}
        report["decoders"][name] = {g: _summary([r[2] for r in rs], sum(r[3] for r in rs)) for g, rs in groups.items()}
        conditions = sorted({r[1] for r in rows})
        report["by_condition"][name] = {
            c: round(sum(r[3] for r in rows if r[1] == c) / sum(1 for r in rows if r[1] == c), 4) for c in conditions
        }
    if "pipeline" in samples:
        report["pipeline_failures"] = [f["file"] for f, r in zip(frames, samples["pipeline"]) if not r[3]]
        report["targets"] = _targets(report["decoders"])
    return report


def _targets(figures: dict) -> dict:
    pipeline = figures["pipeline"]
    targets = {"rate_ge_98": pipeline["overall"]["rate"] >= TARGET_RATE}
    if "zxing_plain" in figures:
        targets["rate_ge_zxing_plain"] = pipeline["overall"]["rate"] >= figures["zxing_plain"]["overall"]["rate"]
    for res, limit in TARGET_MEDIAN_MS.items():
        if pipeline[res]["frames"]:
            targets[f"median_{res}_le_{limit:g}ms"] = pipeline[res]["median_ms"] <= limit
    targets["all_met"] = all(targets.values())
    return targets


def _main(args: argparse.Namespace) -> int:
    names = [n.strip() for n in args.decoders.split(",") if n.strip()]
    unknown = [n for n in names if n not in DECODERS]
    if unknown or not names:
        print(f"kiosk bench qr: unknown decoder(s) {unknown}; choose from {', '.join(DECODERS)}", file=sys.stderr)
        return 2
    cpu = _pin_one_core()
    corpus = args.corpus or default_corpus_dir(args.seed, args.per_resolution)
    manifest = ensure_corpus(corpus, seed=args.seed, per_resolution=args.per_resolution)
    report = {"cpu": cpu} | run_bench(corpus, manifest, names)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for name, groups in report["decoders"].items():
            for group, s in groups.items():
                print(f"{name:12} {group:8} rate {s['rate']:.1%}  median {s['median_ms']:.1f} ms  p95 {s['p95_ms']:.1f} ms")
        if "targets" in report:
            print("targets:", ", ".join(f"{k}={'yes' if v else 'NO'}" for k, v in report["targets"].items()))
    return 0
