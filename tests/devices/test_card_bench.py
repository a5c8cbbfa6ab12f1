"""``kiosk bench card``: the figures are measured from a real read, not made up (targets are
checked by running the benchmark, never in timed tests)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

from kiosk.app.bench import card as bench

ROOT = Path(__file__).resolve().parents[2]


def test_portrait_is_made_to_the_asked_size(tmp_path, profiles):
    for kb in (12, 20):
        path = bench.make_portrait(profiles[0].portrait, kb * 1024, tmp_path)
        assert kb * 1024 <= path.stat().st_size <= kb * 1024 * 1.05
        assert path.read_bytes()[:3] == b"\xff\xd8\xff"


def test_in_process_figures_come_from_the_read():
    report = bench.run_bench(runs=1, portrait_kb=20, pcsc=False)
    local = report["in_process"]
    assert local["access"] == "PACE" and local["verified"]
    assert 20 * 1024 <= local["portrait_bytes"] <= 21.5 * 1024
    assert local["file_bytes"] > local["portrait_bytes"]
    assert local["apdu_limit"] == math.ceil(local["file_bytes"] / 0xDF) + 14
    # every file block is an APDU, plus PACE (5), SELECT of the application, CA (2) and AA
    assert local["apdus"] >= math.ceil(local["file_bytes"] / 0xDF) + 9
    assert local["authentications"] == {"PA": True, "AA": True, "CA": True}
    assert local["wire_bytes"] > local["file_bytes"]  # secure messaging wraps every answer
    assert local["host_cpu_ms"] > 0 and local["card_cpu_ms"] > 0 and local["wall_ms"] > 0
    assert report["pcsc_vpcd"] == {"available": False, "reason": "skipped (--no-pcsc)"}
    assert report["met"]["pcsc_wall"] is None
    assert report["met"]["apdus"] is (local["apdus"] <= local["apdu_limit"])
    extended = report["extended"]["in_process"]
    assert extended["extended"] and extended["verified"]
    assert extended["file_bytes"] == local["file_bytes"] and extended["apdus"] < local["apdus"]
    assert report["met"]["extended_apdus"] is (extended["apdus"] <= 25)


def test_a_smaller_block_size_needs_more_apdus():
    small = bench.run_bench(runs=1, portrait_kb=8, block_size=0x80, pcsc=False)["in_process"]
    assert small["apdus"] >= math.ceil(small["file_bytes"] / 0x80) + 7


def test_cli_prints_json(vpcd_port):
    """Through ``kiosk bench card`` with pcscd available (the session's): both paths measured."""
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "bench", "card", "--json", "--runs", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    remote = report["pcsc_vpcd"]
    assert remote["available"], remote
    assert remote["pcscd"] == "running" and remote["verified"]
    assert remote["apdus"] == report["in_process"]["apdus"]
    remote_extended = report["extended"]["pcsc_vpcd"]
    assert remote_extended["available"] and remote_extended["extended"]
    assert remote_extended["apdus"] == report["extended"]["in_process"]["apdus"]
