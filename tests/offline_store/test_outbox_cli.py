"""`kiosk outbox status|list` as staff run it: a real subprocess on a real outbox file."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

from kiosk.portal.embedded import EmbeddedPortal
from offline_store.outbox import Outbox
from outbox_helpers import ID_NUMBER, NAME, TOKEN, FakeClock, make_payload

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


# -- retry, export/import, sync ------------------------------------------------------------------


def _config(tmp_path: Path, token: str = TOKEN) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[portal]\ntoken = "{token}"\nconnect_timeout_s = 1.0\nread_timeout_s = 3.0\n'
                    '[sync]\nbackoff_base_s = 0.05\nbackoff_cap_s = 0.2\n', encoding="utf-8")
    return path


def test_status_shows_the_breaker(tmp_path: Path) -> None:
    _fill(tmp_path)
    with Outbox.open(tmp_path / "outbox.sqlite3", tmp_path / "outbox.key") as box:
        box.set_breaker_state("open", 1_900_000_000.0, "PortalUnreachable: down")
    text = kiosk("outbox", "status", "--data-dir", str(tmp_path))
    assert "portal breaker   open (next probe 2030-" in text.stdout
    data = json.loads(kiosk("outbox", "status", "--json", "--data-dir", str(tmp_path)).stdout)
    assert data["breaker"] == "open" and data["breaker_reason"] == "PortalUnreachable: down"


def test_retry_moves_needs_attention_back_to_queued(tmp_path: Path) -> None:
    ids = _fill(tmp_path)
    with Outbox.open(tmp_path / "outbox.sqlite3", tmp_path / "outbox.key") as box:
        box.claim_next()
        box.mark_needs_attention(ids[2], "PortalRejected 422: bad id")
    result = kiosk("outbox", "retry", str(ids[2]), "--json", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["state"] == "queued"
    with Outbox.open(tmp_path / "outbox.sqlite3", tmp_path / "outbox.key") as box:
        assert box.get(ids[2]).state == "queued"
    sent = kiosk("outbox", "retry", str(ids[0]), "--data-dir", str(tmp_path))
    assert sent.returncode == 5 and "'sent'" in sent.stderr  # a sent entry is never re-sent
    missing = kiosk("outbox", "retry", "999", "--data-dir", str(tmp_path))
    assert missing.returncode == 5 and "no outbox entry with id 999" in missing.stderr


def test_retry_all_is_one_audited_staff_action(tmp_path: Path) -> None:
    ids = _fill(tmp_path)
    with Outbox.open(tmp_path / "outbox.sqlite3", tmp_path / "outbox.key") as box:
        box.mark_needs_attention(ids[2], "PortalRejected 404: an old misrouted answer")
        refs = sorted(box.get(i).local_ref for i in ids[1:])
    result = kiosk("outbox", "retry", "--all", "--by", "NV001", "--json", "--data-dir",
                   str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert sorted(json.loads(result.stdout)["local_refs"]) == refs  # parked and backed off
    with Outbox.open(tmp_path / "outbox.sqlite3", tmp_path / "outbox.key") as box:
        assert box.stats().counts["queued"] == 2
    [line] = [json.loads(x) for x in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert (line["actor"], line["action"], line["details"]["count"]) == (
        "NV001", "outbox.retry_all", 2)


def test_status_names_lost_entries_and_the_alarm(tmp_path: Path) -> None:
    _fill(tmp_path)
    with Outbox.open(tmp_path / "outbox.sqlite3", tmp_path / "outbox.key") as box:
        box.set_breaker_state("open", None, "PortalMisrouted: html", alarm="misrouted")
        box._conn.execute("INSERT INTO lost_entry (source, local_ref, reason, found_at)"
                          " VALUES ('x.corrupt', 'Q-261127-0042', 'destroyed', 1)")
    plain = kiosk("outbox", "status", "--data-dir", str(tmp_path))
    assert plain.returncode == 0  # informative by default
    checked = kiosk("outbox", "status", "--check", "--data-dir", str(tmp_path))
    assert checked.returncode == 6
    assert "ALARM" in checked.stdout and "portal.url" in checked.stdout
    assert "LOST             1" in checked.stdout and "Q-261127-0042" in checked.stdout
    listed = kiosk("outbox", "lost", "--json", "--data-dir", str(tmp_path))
    [row] = json.loads(listed.stdout)
    assert row["local_ref"] == "Q-261127-0042"
    refused = kiosk("outbox", "lost", "--resolve", str(row["id"]), "--data-dir", str(tmp_path))
    assert refused.returncode == 5 and "--note" in refused.stderr
    done = kiosk("outbox", "lost", "--resolve", str(row["id"]), "--note", "applied again",
                 "--by", "NV001", "--data-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert json.loads(kiosk("outbox", "lost", "--json", "--data-dir", str(tmp_path)).stdout) == []


def test_export_then_import_keeps_keys_and_skips_what_is_there(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    _fill(old)
    with Outbox.open(old / "outbox.sqlite3", old / "outbox.key") as box:
        box.enqueue("1.001193", make_payload(9, id_number=ID_NUMBER), attachments=[b"scan-1", b"x"])
        unsent = {e.idempotency_key: e for e in box.list(states=["queued", "failed_retryable"])}
    with Outbox.open(new / "outbox.sqlite3", new / "outbox.key") as box:
        box.enqueue("1.001193", make_payload())  # the new kiosk's own Q-261127-0001 (today)
    out = tmp_path / "handover.json"
    secret = tmp_path / "passphrase.txt"
    secret.write_text("mật khẩu bàn giao 2026\n", encoding="utf-8")
    pw = ("--passphrase-file", str(secret))
    no_tty = kiosk("outbox", "export", "-o", str(out), "--data-dir", str(old))
    assert no_tty.returncode == 2 and "--passphrase-file" in no_tty.stderr and not out.exists()
    result = kiosk("outbox", "export", "--json", "-o", str(out), "--data-dir", str(old), *pw)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["exported"] == 3
    assert "personal data" in result.stderr and "shred" in result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    raw = out.read_bytes()
    for clear in (NAME, ID_NUMBER, "0912345678", "scan-1", *unsent):  # nothing readable
        assert clear.encode("utf-8") not in raw
    again = kiosk("outbox", "export", "-o", str(out), "--data-dir", str(old), *pw)
    assert again.returncode == 3 and "already exists" in again.stderr  # never overwritten
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase at all\n", encoding="utf-8")
    refused = kiosk("outbox", "import", str(out), "--data-dir", str(new),
                    "--passphrase-file", str(wrong))
    assert refused.returncode == 3 and "wrong passphrase" in refused.stderr
    first = kiosk("outbox", "import", str(out), "--json", "--data-dir", str(new), *pw)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["imported"] == 3
    second = kiosk("outbox", "import", str(out), "--json", "--data-dir", str(new), *pw)
    assert json.loads(second.stdout) == {"imported": 0, "skipped": 3, "renamed_refs": 0}
    with Outbox.open(new / "outbox.sqlite3", new / "outbox.key") as box:
        adopted = {e.idempotency_key: e for e in box.list() if e.idempotency_key in unsent}
        assert set(adopted) == set(unsent)
        for entry in adopted.values():
            assert entry.outcome_unknown and entry.state == "queued"  # asks the portal first
            full = box.get(entry.id, with_payload=True)
            assert full.payload is not None and full.payload["applicant"]["full_name"] == NAME
        with_files = [e for e in adopted.values() if box.attachments(e.id)]
        assert [box.attachments(e.id) for e in with_files] == [[b"scan-1", b"x"]]
        own = box.enqueue("1.001193", make_payload())  # never collides with an adopted reference
        refs = [e.local_ref for e in box.list()]
        assert len(refs) == len(set(refs)) and own.local_ref in refs


def test_import_refuses_a_file_that_is_not_an_export(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"entries": []}', encoding="utf-8")
    secret = tmp_path / "passphrase.txt"
    secret.write_text("long enough passphrase", encoding="utf-8")
    result = kiosk("outbox", "import", str(bad), "--data-dir", str(tmp_path),
                   "--passphrase-file", str(secret))
    assert result.returncode == 3 and "not an outbox export" in result.stderr


def test_sync_until_empty_sends_everything_once(tmp_path: Path, portal: EmbeddedPortal) -> None:
    _fill(tmp_path)  # one sent (locally only), one queued, one backed off for a minute
    result = kiosk("outbox", "sync", "--until-empty", "--timeout", "30", "--json",
                   "--config", str(_config(tmp_path)), "--portal-url", portal.url,
                   "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["sent"] == 2 and data["left"] == 0
    stats = portal.store.stats()
    assert stats.dossiers == 2 and stats.keys_with_multiple_dossiers == 0


def test_sync_times_out_with_entries_left(tmp_path: Path, portal: EmbeddedPortal) -> None:
    _fill(tmp_path)
    url = portal.url
    portal.stop()
    started = time.monotonic()
    result = kiosk("outbox", "sync", "--until-empty", "--timeout", "1.5", "--json",
                   "--config", str(_config(tmp_path)), "--portal-url", url,
                   "--data-dir", str(tmp_path))
    assert result.returncode == 4, result.stderr
    assert time.monotonic() - started < 45  # --timeout 1.5 plus two interpreter starts on a busy CI
    assert json.loads(result.stdout)["left"] == 2
    embedded = kiosk("outbox", "sync", "--config", str(_config(tmp_path)),
                     "--data-dir", str(tmp_path))
    assert embedded.returncode == 2 and "--portal-url" in embedded.stderr


def test_lost_check_portal_resolves_what_arrived_after_all(tmp_path: Path,
                                                          portal: EmbeddedPortal) -> None:
    from kiosk.portal.client import PortalClient

    _fill(tmp_path)
    arrived, never = "6f0c1a56-8c55-4a8e-9d5c-0d3f1e4b7a21", "0b7d2f3e-1c4a-4e6b-8f9a-2d5c7e1b3a40"
    with PortalClient(portal.url, TOKEN) as client:
        code = client.submit_dossier(make_payload(7), arrived).code
    with Outbox.open(tmp_path / "outbox.sqlite3", tmp_path / "outbox.key") as box:
        for ref, key in (("Q-261127-0041", arrived), ("Q-261127-0042", never)):
            box._conn.execute("INSERT INTO lost_entry (source, local_ref, idempotency_key, reason,"
                              " found_at) VALUES ('x.corrupt', ?, ?, 'destroyed', 1)", (ref, key))
    config = _config(tmp_path)
    config.write_text(config.read_text().replace("[portal]\n", f'[portal]\nurl = "{portal.url}"\n'))
    result = kiosk("outbox", "lost", "--check-portal", "--json", "--config", str(config),
                   "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert [row["local_ref"] for row in json.loads(result.stdout)] == ["Q-261127-0042"]
    resolved = kiosk("outbox", "lost", "--all", "--json", "--data-dir", str(tmp_path))
    done = [r for r in json.loads(resolved.stdout) if r["resolved_at"]]
    assert [(r["local_ref"], r["resolution"]) for r in done] == [
        ("Q-261127-0041", f"the portal holds it as {code}")]
