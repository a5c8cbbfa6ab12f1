"""``kiosk bench qr``: the kiosk's QR pipeline against plain zxing-cpp restricted to QR, same frames.

Three sets of frames: the generated corpus (``devices/qr/corpus.py``: cards, receipts and VietQR codes
at 1280x720 and 1920x1080 under nine conditions), generated empty frames (the same cluttered scenes
with no code: what the camera sees most of the day), and, with ``--photos DIR``, real photographs of
QR codes listed in ``DIR/manifest.json`` (see docs/benchmarks.md for the set used and its sources).

Decoders: ``pipeline`` (``QrPipeline``, thorough: what a single image or one cycle of the scan
worker gets), ``zxing_qr`` (``zxingcpp.read_barcodes`` with its defaults but only the QR format: the
honest peer), ``zxing_all`` (its defaults, every format) and ``opencv`` (``cv2.QRCodeDetector``). On
empty frames the pipeline is also timed as the scan worker runs it (``pipeline_stream``: the cheap
pass on every frame, the fallbacks on every ``THOROUGH_EVERY``-th), which is what a kiosk pays while
nobody holds up a code. A frame counts as read when a result's bytes (or NFC text) equal the
expected payload. Each frame is decoded by every decoder in turn, after a warm-up, on one CPU with
OpenCV single-threaded; ratios are pipeline / zxing_qr medians from the same run.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import zxingcpp

from devices.qr.corpus import default_corpus_dir, empty_frame, ensure_corpus
from devices.qr.pipeline import QrPipeline

__all__ = ["THOROUGH_EVERY", "load_photos", "register", "run_bench"]

Decoder = Callable[[np.ndarray], list[tuple[bytes | None, str]]]
Frame = tuple[str, str, np.ndarray, bytes | None]  # (name, group, image, expected payload or None)
THOROUGH_EVERY = 4  # as ScanWorker's default
TARGET_RATE_GENERATED = 0.98
TARGET_RATE_PHOTOS = 0.95
TARGET_EMPTY_RATIO = 1.2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("qr", help="QR decode rate and time per frame against zxing-cpp (QR only)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--corpus", type=Path, help="generated corpus folder (default: the cache; generated if absent)")
    parser.add_argument("--photos", type=Path, help="folder of real photographs with a manifest.json")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-resolution", type=int, default=90, help="frames per resolution when generating")
    parser.add_argument("--empty", type=int, default=60, help="empty frames (half 720p, half 1080p)")
    parser.add_argument("--decoders", default="pipeline,zxing_qr,zxing_all,opencv", help="comma-separated subset")
    parser.set_defaults(func=_main)


def _pipeline() -> Decoder:
    pipeline = QrPipeline()
    return lambda image: [(d.raw, d.text) for d in pipeline.run(image, thorough=True).decoded]


def _zxing(formats: str | None) -> Callable[[], Decoder]:
    def make() -> Decoder:
        chosen = zxingcpp.barcode_formats_from_str(formats) if formats else None
        if chosen is None:
            return lambda image: [(bytes(r.bytes), r.text) for r in zxingcpp.read_barcodes(image)]
        return lambda image: [(bytes(r.bytes), r.text) for r in zxingcpp.read_barcodes(image, formats=chosen)]
    return make


def _opencv() -> Decoder:
    detector = cv2.QRCodeDetector()

    def decode(image: np.ndarray) -> list[tuple[bytes | None, str]]:
        text, _, _ = detector.detectAndDecode(image)
        return [(None, text)] if text else []

    return decode


DECODERS: dict[str, Callable[[], Decoder]] = {
    "pipeline": _pipeline, "zxing_qr": _zxing("QRCode"), "zxing_all": _zxing(None), "opencv": _opencv,
}


def _matches(results: list[tuple[bytes | None, str]], expected: bytes) -> bool:
    try:
        expected_text = unicodedata.normalize("NFC", expected.decode("utf-8"))
    except UnicodeDecodeError:
        expected_text = None
    for raw, text in results:
        if raw == expected or (expected_text is not None and unicodedata.normalize("NFC", text) == expected_text):
            return True
        try:  # OpenCV returns byte-mode UTF-8 as Latin-1 characters
            if text.encode("latin-1") == expected:
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


def _summary(rows: list[tuple[float, bool]], expect_codes: bool = True) -> dict[str, Any]:
    times = sorted(t for t, _ in rows)
    if not times:
        return {"frames": 0}
    summary = {"frames": len(times), "median_ms": round(statistics.median(times), 3),
               "mean_ms": round(statistics.fmean(times), 3),
               "p95_ms": round(times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], 3)}
    hits = sum(ok for _, ok in rows)
    if expect_codes:
        return summary | {"decoded": hits, "rate": round(hits / len(times), 4)}
    return summary | {"false_reads": len(times) - hits}


def generated_frames(corpus: Path, manifest: dict[str, Any]) -> Iterable[Frame]:
    for frame in manifest["frames"]:
        image = cv2.imread(str(corpus / frame["file"]), cv2.IMREAD_COLOR)
        if image is None:
            raise ValueError(f"{frame['file']}: not a readable image (delete the corpus folder)")
        yield frame["file"], f"{frame['height']}p", image, frame["payload"].encode("utf-8")


def empty_frames(count: int, seed: int) -> Iterable[Frame]:
    for i in range(count):
        size = (1280, 720) if i % 2 == 0 else (1920, 1080)
        yield f"empty-{i}", f"{size[1]}p", empty_frame(np.random.default_rng([seed, 7, i]), size), None


def load_photos(folder: Path) -> list[Frame]:
    """The photographs listed in ``folder/manifest.json`` (``file``, ``payload_b64``)."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    frames: list[Frame] = []
    for entry in manifest["frames"]:
        image = cv2.imread(str(folder / entry["file"]), cv2.IMREAD_COLOR)
        if image is None:
            raise ValueError(f"{entry['file']}: not a readable image")
        frames.append((entry["file"], "photo", image, base64.b64decode(entry["payload_b64"])))
    return frames


def _time(decode: Decoder, image: np.ndarray) -> tuple[float, list[Any]]:
    started = time.perf_counter()
    results = decode(image)
    return (time.perf_counter() - started) * 1000, results


def _measure(frames: Iterable[Frame], decoders: dict[str, Decoder], stream: QrPipeline | None) -> dict[str, Any]:
    """Per decoder, per group: (ms, read) rows; ``stream`` adds the worker's schedule on the pipeline."""
    rows: dict[str, dict[str, list[tuple[float, bool]]]] = {}
    misses: list[str] = []
    seen: dict[str, int] = {}
    for name, group, image, expected in frames:
        for decoder_name, decode in decoders.items():
            elapsed, results = _time(decode, image)
            read = _matches(results, expected) if expected is not None else not results
            rows.setdefault(decoder_name, {}).setdefault(group, []).append((elapsed, read))
            if decoder_name == "pipeline" and expected is not None and not read:
                misses.append(name)
        if stream is not None:
            seen[group] = seen.get(group, 0) + 1
            thorough = (seen[group] - 1) % THOROUGH_EVERY == 0
            def decode_stream(im: np.ndarray, pipeline: QrPipeline = stream,
                              thorough: bool = thorough) -> list[Any]:
                return pipeline.run(im, thorough=thorough).decoded

            elapsed, result = _time(decode_stream, image)
            rows.setdefault("pipeline_stream", {}).setdefault(group, []).append((elapsed, not result))
    codes = stream is None  # empty frames have no rate: a "read" there is a false positive
    figures = {d: {g: _summary(r, codes) for g, r in groups.items()} for d, groups in rows.items()}
    for decoder_name, groups in rows.items():
        if len(groups) > 1:
            figures[decoder_name]["overall"] = _summary([r for g in groups.values() for r in g], codes)
    return {"figures": figures, "pipeline_misses": misses} if codes else {"figures": figures}


def _ratio(figures: dict[str, Any], group: str, decoder: str = "pipeline", figure: str = "median_ms") -> float | None:
    ours, peer = figures.get(decoder, {}).get(group), figures.get("zxing_qr", {}).get(group)
    if not ours or not peer or not peer.get(figure):
        return None
    return round(ours[figure] / peer[figure], 3)


def _targets(report: dict[str, Any]) -> dict[str, Any]:
    targets: dict[str, bool] = {}
    generated = report["generated"]["figures"]
    if "pipeline" in generated and "zxing_qr" in generated:
        ours, peer = generated["pipeline"]["overall"], generated["zxing_qr"]["overall"]
        targets["generated_rate_ge_98_and_ge_zxing_qr"] = ours["rate"] >= max(TARGET_RATE_GENERATED, peer["rate"])
        for group in ("720p", "1080p"):
            ratio = report["ratios"].get(f"generated_{group}")
            if ratio is not None:
                targets[f"generated_{group}_median_le_zxing_qr"] = ratio <= 1.0
    for figure in ("median", "mean"):
        empty_ratio = report["ratios"].get(f"empty_stream_overall_{figure}")
        if empty_ratio is not None:
            targets[f"empty_{figure}_le_1.2x_zxing_qr"] = empty_ratio <= TARGET_EMPTY_RATIO
    photos = report.get("photos", {}).get("figures", {})
    if "pipeline" in photos and "zxing_qr" in photos:
        ours, peer = photos["pipeline"]["photo"]["rate"], photos["zxing_qr"]["photo"]["rate"]
        targets["photos_rate_ge_95_and_above_zxing_qr"] = ours >= TARGET_RATE_PHOTOS and ours > peer
    targets["all_met"] = all(targets.values())
    return targets


def run_bench(corpus: Path, manifest: dict[str, Any], names: list[str], *, photos: Path | None = None,
              empty: int = 60, seed: int = 1) -> dict[str, Any]:
    """Every set through every decoder; figures per group and overall, ratios and targets."""
    decoders = {name: DECODERS[name]() for name in names}
    warm = next(iter(generated_frames(corpus, manifest)))[2]
    for decode in decoders.values():
        decode(warm)  # first-call allocations are not what a running kiosk pays
    report: dict[str, Any] = {"corpus": str(corpus), "thorough_every": THOROUGH_EVERY}
    report["generated"] = _measure(generated_frames(corpus, manifest), decoders, None)
    empty_decoders = {n: d for n, d in decoders.items() if n in ("zxing_qr", "pipeline")}
    report["empty"] = _measure(empty_frames(empty, seed), empty_decoders, QrPipeline() if "pipeline" in names else None)
    if photos is not None:
        report["photos"] = _measure(load_photos(photos), decoders, None) | {"folder": str(photos)}
    ratios = {f"generated_{g}": _ratio(report["generated"]["figures"], g) for g in ("720p", "1080p", "overall")}
    for figure in ("median", "mean"):
        ratios |= {f"empty_stream_{g}_{figure}": _ratio(report["empty"]["figures"], g, "pipeline_stream", f"{figure}_ms")
                   for g in ("720p", "1080p", "overall")}
    ratios |= {f"empty_thorough_{g}": _ratio(report["empty"]["figures"], g) for g in ("720p", "1080p", "overall")}
    if photos is not None:
        ratios["photos"] = _ratio(report["photos"]["figures"], "photo")
    report["ratios"] = {k: v for k, v in ratios.items() if v is not None}
    if "pipeline" in names:
        report["targets"] = _targets(report)
    return report


def _main(args: argparse.Namespace) -> int:
    names = [n.strip() for n in args.decoders.split(",") if n.strip()]
    unknown = [n for n in names if n not in DECODERS]
    if unknown or not names:
        print(f"kiosk bench qr: unknown decoder(s) {unknown}; choose from {', '.join(DECODERS)}", file=sys.stderr)
        return 2
    if args.photos is not None and not (args.photos / "manifest.json").is_file():
        print(f"kiosk bench qr: {args.photos} has no manifest.json", file=sys.stderr)
        return 2
    cpu = _pin_one_core()
    corpus = args.corpus or default_corpus_dir(args.seed, args.per_resolution)
    manifest = ensure_corpus(corpus, seed=args.seed, per_resolution=args.per_resolution)
    report = {"cpu": cpu} | run_bench(corpus, manifest, names, photos=args.photos, empty=args.empty, seed=args.seed)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    for set_name in ("generated", "empty", "photos"):
        for decoder, groups in report.get(set_name, {}).get("figures", {}).items():
            for group, s in groups.items():
                rate = f"rate {s['rate']:6.1%}  " if "rate" in s else ""
                print(f"{set_name:9} {decoder:15} {group:7} {rate}median {s['median_ms']:6.2f} ms  p95 {s['p95_ms']:6.2f} ms")
    print("ratios (pipeline / zxing-cpp QR only):", ", ".join(f"{k}={v}" for k, v in report["ratios"].items()))
    if "targets" in report:
        print("targets:", ", ".join(f"{k}={'yes' if v else 'NO'}" for k, v in report["targets"].items()))
    return 0
