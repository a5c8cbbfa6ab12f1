"""The synthetic QR corpus: deterministic, valid payloads, the promised sizes and conditions."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.qr.classify import Unrecognised, classify
from devices.qr.corpus import CONDITIONS, RESOLUTIONS, ensure_corpus, generate, make_frame, random_payload
from devices.qr.pipeline import QrPipeline



def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_and_other_seed_differs(tmp_path):
    generate(tmp_path / "a", seed=3, per_resolution=2)
    generate(tmp_path / "b", seed=3, per_resolution=2)
    generate(tmp_path / "c", seed=4, per_resolution=2)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a") != digest(tmp_path / "c")


def test_manifest_lists_each_frame_with_a_valid_payload(tmp_path):
    manifest = json.loads(generate(tmp_path, seed=5, per_resolution=3).read_text(encoding="utf-8"))
    assert len(manifest["frames"]) == 6
    for frame in manifest["frames"]:
        image = cv2.imread(str(tmp_path / frame["file"]), cv2.IMREAD_COLOR)
        assert (image.shape[1], image.shape[0]) == (frame["width"], frame["height"])
        assert (frame["width"], frame["height"]) in RESOLUTIONS
        assert not isinstance(classify(frame["payload"]), Unrecognised)
    assert {f["kind"] for f in manifest["frames"]} == {"cccd", "receipt", "vietqr"}


@pytest.mark.parametrize("condition", CONDITIONS)
def test_every_condition_renders_a_frame_the_pipeline_reads(condition):
    """Not a rate test (that is ``kiosk bench qr``): each condition yields a plausible, readable frame."""
    read = 0
    for i in range(3):
        rng = np.random.default_rng([11, i])
        text = random_payload(rng, ("cccd", "receipt", "vietqr")[i])
        frame = make_frame(rng, text, (1280, 720), condition)
        assert frame.shape == (720, 1280, 3) and frame.dtype == np.uint8
        read += any(d.text == text for d in QrPipeline().decode(frame))
    assert read >= 2


def test_vietnamese_text_survives_rendering():
    rng = np.random.default_rng(1)
    text = random_payload(rng, "cccd")
    assert not text.isascii()
    [decoded] = QrPipeline().decode(make_frame(rng, text, (1280, 720), "clean"))
    assert decoded.text == text


def test_ensure_corpus_reuses_a_matching_corpus_and_rebuilds_a_broken_one(tmp_path):
    first = ensure_corpus(tmp_path, seed=2, per_resolution=1)
    stamp = (tmp_path / "manifest.json").stat().st_mtime_ns
    assert ensure_corpus(tmp_path, seed=2, per_resolution=1) == first
    assert (tmp_path / "manifest.json").stat().st_mtime_ns == stamp
    (tmp_path / first["frames"][0]["file"]).unlink()
    assert ensure_corpus(tmp_path, seed=2, per_resolution=1) == first
    assert (tmp_path / first["frames"][0]["file"]).is_file()
