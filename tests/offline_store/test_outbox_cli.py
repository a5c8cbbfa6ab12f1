"""`kiosk outbox status|list` as staff run it: a real subprocess on a real outbox file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from offline_store.outbox import Outbox
from outbox_helpers import ID_NUMBER, NAME, FakeClock, make_payload

ROOT = Path(__file__).resolve().parents[2]


def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env=env)


def _fill(data_dir: Path) -> list[int]:
    clock = FakeClock()
    with Outbox.open(data_dir / "outbox.sqlite3", data_dir / "outbox.key", clock=clock) as box:
        ids = [box.enqueue("1.001193", make_payload(i, id_number=ID_NUMBER)).id for i in range(3)]
        box.claim_next()
        box.mark_sent(ids[0], "H12.22.10-261127-0001")
        box.claim_next()
        box.mark_retryable(ids[1], "PortalUnreachable: network down", clock() + 60)
    return ids


def test_status_json_counts_by_state(tmp_path: Path) -> None:
    _fill(tmp_path)
    result = kiosk("outbox", "status", "--json", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["counts"] == {"queued": 1, "sending": 0, "sent": 1, "failed_retryable": 1,
                              "needs_attention": 0}
    assert data["oldest_queued_age_s"] > 0
    assert data["last_error"] == "PortalUnreachable: network down"


def test_status_text_and_explicit_db(tmp_path: Path) -> None:
    _fill(tmp_path)
    result = kiosk("outbox", "status", "--db", str(tmp_path / "outbox.sqlite3"))
    assert result.returncode == 0, result.stderr
    assert "failed_retryable" in result.stdout and "PortalUnreachable" in result.stdout


def test_list_shows_metadata_but_no_personal_data(tmp_path: Path) -> None:
    ids = _fill(tmp_path)
    result = kiosk("outbox", "list", "--json", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == ids[::-1]
    assert rows[-1]["dossier_code"] == "H12.22.10-261127-0001"
    assert NAME not in result.stdout and ID_NUMBER not in result.stdout
    only = kiosk("outbox", "list", "--json", "--state", "sent", "--data-dir", str(tmp_path))
    assert [r["id"] for r in json.loads(only.stdout)] == [ids[0]]


def test_missing_outbox_is_reported_not_created(tmp_path: Path) -> None:
    result = kiosk("outbox", "status", "--data-dir", str(tmp_path / "nowhere"))
    assert result.returncode == 3
    assert "no outbox" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "nowhere" / "outbox.sqlite3").exists()
    assert not (tmp_path / "nowhere" / "outbox.key").exists()


def test_unsafe_key_file_is_reported(tmp_path: Path) -> None:
    _fill(tmp_path)
    os.chmod(tmp_path / "outbox.key", 0o644)
    result = kiosk("outbox", "status", "--data-dir", str(tmp_path))
    assert result.returncode == 3 and "chmod 600" in result.stderr
