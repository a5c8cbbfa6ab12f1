"""The benches' helpers: the reference portal in a process of its own (``kiosk bench idle``)."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from kiosk.app.bench.display import separate_portal


def test_the_separate_portal_answers_and_is_gone_afterwards(tmp_path: Path):
    with separate_portal(tmp_path) as url:
        with urllib.request.urlopen(f"{url}/api/v1/health", timeout=10) as answer:
            assert json.loads(answer.read())["status"] == "ok"
    try:
        urllib.request.urlopen(f"{url}/api/v1/health", timeout=5)
    except OSError:
        pass  # refused: the process has ended
    else:
        raise AssertionError("the portal still answers after the bench ended")
