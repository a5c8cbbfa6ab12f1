"""``kiosk bench all``: every benchmark as its own process, one document with the machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def bench(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    return subprocess.run([sys.executable, "-m", "kiosk", "bench", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env=env)


@pytest.mark.slow
def test_one_document_with_the_machine_and_each_report():
    result = bench("all", "--json", "--quick", "--skip", "startup", "--skip", "idle", "--skip", "card",
                   "--skip", "journey")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    machine = document["machine"]
    assert machine["cores"] >= 1 and machine["python"] and machine["cpu"] and machine["load_average_after"]
    assert list(document["benchmarks"]) == ["qr", "outbox"]
    qr = document["benchmarks"]["qr"]
    assert qr["ok"] and qr["report"]["generated"]["figures"]["pipeline"]["overall"]["frames"] == 6
    assert document["summary"]["failed"] == [] and "qr" in document["summary"]["targets"]


def test_an_unknown_benchmark_is_refused():
    result = bench("all", "--skip", "nope")
    assert result.returncode == 2 and "unknown benchmark" in result.stderr


def test_machine_description_is_plain_data():
    from kiosk.app.bench.all import machine

    described = machine()
    assert json.loads(json.dumps(described)) == described
    assert {"cpu", "cores", "memory_gib", "os", "python", "date", "load_average"} <= set(described)
