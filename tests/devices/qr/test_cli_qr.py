"""`kiosk qr decode|make` (driven through the command module's own parser, in process) and
`kiosk bench qr` on a tiny corpus, as a real subprocess."""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.qr.receipt import build_receipt_qr
from devices.qr.vietqr import build_vietqr
from kiosk.app.cli import qr as qr_cli

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "assets" / "samples" / "qr" / "079195012345.png"


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="kiosk")
    qr_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["qr", *argv])
    return args.func(args)


def test_make_then_decode_round_trips_each_payload_type(tmp_path, capsys):
    receipt = build_receipt_qr("H12.22.10-261127-0001", "H12.22.10", dt.date(2026, 11, 27))
    vietqr = build_vietqr("970436", "0123456789", amount=50000, purpose="LE PHI")
    files = []
    for name, text in (("r.png", receipt), ("v.svg", vietqr), ("u.png", "Xin chào")):
        assert run("make", text, "-o", str(tmp_path / name)) == 0
        files.append(tmp_path / name)
    capsys.readouterr()
    pngs = [str(f) for f in files if f.suffix == ".png"]
    assert run("decode", "--json", "--show-personal-data", str(SAMPLE), *pngs) == 0
    images = json.loads(capsys.readouterr().out)["images"]
    [cccd], [rec], [other] = (i["codes"] for i in images)
    assert cccd["type"] == "cccd" and cccd["fields"]["full_name"] == "Trần Thị Minh Anh"
    assert cccd["fields"]["date_of_birth"] == "1995-03-14" and cccd["fields"]["sex"] == "F"
    assert rec == {"type": "receipt", "fields": {"reference": "H12.22.10-261127-0001", "reference_kind": "dossier",
                                                 "unit_code": "H12.22.10", "day": "2026-11-27"}}
    assert other == {"type": "unrecognised", "fields": {"raw": "Xin chào"}}
    assert (tmp_path / "v.svg").read_text().lstrip().startswith("<?xml")


@pytest.mark.parametrize("as_json", [False, True])
def test_decode_masks_personal_data_by_default(tmp_path, capsys, as_json):
    """stdout lands in journald under systemd: no full name, ID, address or raw text there."""
    assert run("make", "Xin chào 079195012345", "-o", str(tmp_path / "u.png")) == 0
    card = tmp_path / "card.png"  # the sample's own file name is the ID number
    card.write_bytes(SAMPLE.read_bytes())
    capsys.readouterr()
    assert run("decode", *(["--json"] if as_json else []), str(card), str(tmp_path / "u.png")) == 0
    out = capsys.readouterr().out
    assert run("decode", "--json", "--show-personal-data", str(card)) == 0
    full = json.loads(capsys.readouterr().out)["images"][0]["codes"][0]["fields"]
    secrets = [full[k] for k in ("full_name", "id_number", "date_of_birth", "residence")]
    assert all(secrets) and "Trần Thị Minh Anh" in secrets
    for secret in [*secrets, "Xin chào"]:
        assert secret not in out
    assert "T. T. M. A." in out and "***345" in out and "1995" in out
    if as_json:
        [cccd], [other] = (i["codes"] for i in json.loads(out)["images"])
        assert "residence" not in cccd["fields"] and cccd["fields"]["sex"] == "F"
        assert other["fields"]["raw"].startswith("(21 characters")


def test_decode_reports_refused_payloads_and_images_without_codes(tmp_path, capsys):
    bad = build_vietqr("970436", "0123456789", amount=50000)[:-1] + "0"
    bad = bad if not bad.endswith(build_vietqr("970436", "0123456789", amount=50000)[-1:]) else bad[:-1] + "1"
    assert run("make", bad, "-o", str(tmp_path / "bad.png")) == 0
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((200, 200, 3), 255, np.uint8))
    capsys.readouterr()
    assert run("decode", str(tmp_path / "bad.png")) == 0  # a code was there, though refused
    out = capsys.readouterr().out
    assert "vietqr code refused (bad_crc)" in out
    assert run("decode", str(tmp_path / "bad.png"), str(blank)) == 1
    assert "blank.png: no QR code found" in capsys.readouterr().out
    (tmp_path / "junk.png").write_bytes(b"not an image")
    assert run("decode", str(tmp_path / "junk.png")) == 3


def test_make_refuses_bad_outputs(tmp_path, capsys):
    assert run("make", "x", "-o", str(tmp_path / "x.gif")) == 2
    assert run("make", "x" * 8000, "-o", str(tmp_path / "x.png")) == 2
    assert "too long" in capsys.readouterr().err


def _photo_folder(folder: Path) -> Path:
    """Two "photographs": a receipt code warped into a scene, and a code nobody can read (expected
    text differs), with the manifest format the benchmark reads."""
    from devices.qr.corpus import make_frame

    folder.mkdir()
    rng = np.random.default_rng(3)
    text = build_receipt_qr("Q-261127-0001", "H12.22.10", dt.date(2026, 11, 27))
    cv2.imwrite(str(folder / "a.png"), make_frame(rng, text, (640, 480), "perspective"))
    cv2.imwrite(str(folder / "b.png"), make_frame(rng, text, (640, 480), "clean"))
    frames = [{"file": "a.png", "payload_b64": base64.b64encode(text.encode()).decode()},
              {"file": "b.png", "payload_b64": base64.b64encode(b"something else").decode()}]
    (folder / "manifest.json").write_text(json.dumps({"version": 1, "frames": frames}))
    return folder


@pytest.mark.slow
def test_bench_qr_json_on_a_small_corpus(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    photos = _photo_folder(tmp_path / "photos")
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "bench", "qr", "--json", "--corpus", str(tmp_path / "c"),
         "--per-resolution", "3", "--seed", "4", "--empty", "4", "--photos", str(photos)],
        cwd=ROOT, capture_output=True, text=True, timeout=110, env=env,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (tmp_path / "c" / "manifest.json").is_file()
    generated = report["generated"]["figures"]
    assert set(generated) == {"pipeline", "zxing_qr", "zxing_all", "opencv"}
    for figures in generated.values():
        assert set(figures) == {"overall", "720p", "1080p"}
        assert figures["720p"]["frames"] == 3 and figures["overall"]["median_ms"] > 0
    assert generated["pipeline"]["overall"]["decoded"] >= 5
    empty = report["empty"]["figures"]
    assert set(empty) == {"pipeline", "zxing_qr", "pipeline_stream"}
    assert empty["pipeline_stream"]["overall"]["frames"] == 4 and empty["pipeline"]["overall"]["false_reads"] == 0
    assert report["photos"]["figures"]["pipeline"]["photo"]["decoded"] == 1
    assert report["photos"]["pipeline_misses"] == ["b.png"]
    assert {"generated_720p", "empty_stream_overall_mean", "photos"} <= set(report["ratios"])
    assert report["targets"]["photos_rate_ge_95_and_above_zxing_qr"] is False
    assert "all_met" in report["targets"]


def test_bench_qr_refuses_unknown_decoders_and_a_folder_without_manifest(tmp_path, capsys):
    from kiosk.app.bench import qr as bench_qr

    parser = argparse.ArgumentParser(prog="kiosk")
    bench_qr.register(parser.add_subparsers(dest="bench_name", required=True))
    args = parser.parse_args(["qr", "--decoders", "pipeline,zbar"])
    assert args.func(args) == 2
    args = parser.parse_args(["qr", "--photos", str(tmp_path)])
    assert args.func(args) == 2
    assert "no manifest.json" in capsys.readouterr().err
