"""``kiosk bench chaos``: the fault campaign. Submissions through the GUI's own services in real
processes while the campaign kills, misroutes, trickles, damages and turns the clock.

What runs: the reference portal (`python -m kiosk.portal.server`, its own process and database),
a kiosk (`kiosk.app.bench.chaos_kiosk`: `Services.build` from a config, citizens submitted through
`SubmissionService.submit`, receipts printed as they are handed out) and, beside it, a second
worker (`kiosk outbox sync --until-empty`). Faults, one at a time at random intervals (seeded):
SIGKILL of the kiosk, of the sync worker and of the portal (restarted on the same port and
database after a pause); the kiosk's wall clock jumped a year ahead, a year back or to local time
instead of UTC (`time.time` only, as on a real machine; back to right later); a sector of the
outbox file zeroed while the kiosk is down (it recovers at its next start); the kiosk started for a
while with a wrong portal path; the portal restarted for a while trickling every answer one byte
per 1.5 s. Then the faults stop and the queue must drain.

What it reports (`--json`): `lost` (receipts handed out that are neither on the portal nor listed
by reference as lost), `duplicated` (idempotency keys with two dossiers, or a receipt reference
handed out twice), `stranded` (entries left unsent once the queue had time to drain),
`reported_lost` (receipts whose application a damaged outbox lost and that staff see by reference:
not silent, but counted), and the longest time from a receipt to the portal's receipt of it. The
first three must be 0 (exit status 1 otherwise).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

__all__ = ["Plan", "register", "run_campaign"]

TOKEN = "chaos-campaign-token"
FAULTS = ("kill_kiosk", "kill_sync", "kill_portal", "clock_ahead", "clock_back", "clock_local",
          "damage", "wrong_url", "trickle")


@dataclass
class Plan:
    submissions: int = 200
    seed: int = 20261127
    fault_every_s: tuple[float, float] = (1.5, 5.0)
    window_s: tuple[float, float] = (3.0, 8.0)     # how long a wrong URL or a trickle lasts
    max_s: float = 1200.0                           # the whole campaign, faults and drain
    drain_s: float = 180.0                          # after the faults, to send everything
    pause_s: float = 0.3                            # between two citizens at the kiosk
    rounds: int = 1                                 # every kind of fault at least this often


@dataclass
class Report:
    submissions: int = 0
    acknowledged: int = 0
    lost: int = 0
    duplicated: int = 0
    stranded: int = 0
    reported_lost: int = 0
    longest_enqueue_to_sent_s: float = 0.0
    faults: dict[str, int] = field(default_factory=dict)
    kiosk_lives: int = 0
    recoveries: int = 0
    seconds: float = 0.0
    details: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.lost == self.duplicated == self.stranded == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _kill(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is not None and proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)


class Campaign:
    """The processes and the faults; `run()` returns the report."""

    def __init__(self, folder: Path, plan: Plan) -> None:
        self.folder, self.plan = folder, plan
        self.rng = random.Random(plan.seed)
        self.data = folder / "kiosk"
        self.data.mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.clock_file = folder / "clock-offset"
        self.clock_file.write_text("0")
        self.configs = {name: self._config(name, url) for name, url in
                        (("ok", self.url), ("wrong", self.url + "/wrong"))}
        self.portal: subprocess.Popen[bytes] | None = None
        self.kiosk: subprocess.Popen[bytes] | None = None
        self.sync: subprocess.Popen[bytes] | None = None
        self.acks: list[tuple[str, str, str, float]] = []
        self.keys: dict[str, str] = {}  # local reference -> idempotency key, as last seen
        self.report = Report(submissions=plan.submissions, faults=dict.fromkeys(FAULTS, 0))
        self._buffer = b""
        self._life_first = 0
        self._life_acks = 0
        self._done = False
        self._stopping = False
        self._log = (folder / "processes.log").open("ab")

    def _config(self, name: str, url: str) -> Path:
        path = self.folder / f"kiosk-{name}.toml"
        path.write_text(
            f'[kiosk]\nkiosk_id = "KIOSK-CHAOS-01"\n[devices]\ncamera = "none"\n'
            f'[portal]\nurl = "{url}"\ntoken = "{TOKEN}"\nconnect_timeout_s = 1.0\n'
            f'read_timeout_s = 3.0\ndeadline_s = 4.0\nupload_deadline_s = 8.0\n'
            f'[store]\ndata_dir = "{self.data}"\n'
            f'[sync]\nidle_interval_s = 0.5\nbackoff_base_s = 0.1\nbackoff_cap_s = 2.0\n'
            f'submit_wait_s = 2.0\n[ops]\nmetrics_enabled = false\n', encoding="utf-8")
        return path

    # -- processes ----------------------------------------------------------------------------

    def start_portal(self, trickle_ms: int = 0) -> None:
        self.portal = subprocess.Popen(
            [sys.executable, "-m", "kiosk.portal.server", "--port", str(self.port), "--db",
             str(self.folder / "portal.sqlite3"), "--token", TOKEN, "--trickle-ms",
             str(trickle_ms)], stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as s:
                s.settimeout(0.5)
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            self._pump(0.05)
        raise RuntimeError("the reference portal did not start")

    def start_kiosk(self, config: str = "ok") -> None:
        self._life_first += self._life_acks
        self._life_acks = 0
        remaining = self.plan.submissions - len(self.acks)
        self.kiosk = subprocess.Popen(
            [sys.executable, "-m", "kiosk.app.bench.chaos_kiosk", "--config",
             str(self.configs[config]), "--clock-file", str(self.clock_file), "--first",
             str(self._life_first), "--count", str(max(remaining, 0)), "--pause-s",
             str(self.plan.pause_s)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=self._log)
        assert self.kiosk.stdout is not None
        os.set_blocking(self.kiosk.stdout.fileno(), False)
        self._buffer = b""
        self.report.kiosk_lives += 1

    def start_sync(self) -> None:
        self.sync = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "outbox", "sync", "--until-empty", "--timeout", "20",
             "--config", str(self.configs["ok"])], stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=self._log)

    def kill_kiosk(self) -> None:
        if self.kiosk is None:
            return
        self._pump(0)
        _kill(self.kiosk)
        self._pump_rest()
        self.kiosk = None

    def _pump(self, wait_s: float) -> None:
        """Read the kiosk's receipts (waiting up to `wait_s`); restart the sync worker if it ended."""
        if self.sync is not None and self.sync.poll() is not None and not self._stopping:
            self.start_sync()
        stdout = self.kiosk.stdout if self.kiosk is not None else None
        if stdout is None:
            time.sleep(wait_s)
            return
        ready, _, _ = select.select([stdout], [], [], wait_s)
        if ready:
            self._take(stdout.read() or b"")

    def _pump_rest(self) -> None:
        if self.kiosk is not None and self.kiosk.stdout is not None:
            os.set_blocking(self.kiosk.stdout.fileno(), True)
            self._take(self.kiosk.stdout.read() or b"")
            self.kiosk.stdout.close()

    def _take(self, data: bytes) -> None:
        *lines, self._buffer = (self._buffer + data).split(b"\n")
        for raw in lines:
            parts = raw.decode("utf-8", "replace").split()
            if parts[:1] == ["ack"] and len(parts) == 5:
                self.acks.append((parts[1], parts[2], parts[3], float(parts[4])))
                self._life_acks += 1
            elif parts[:1] == ["done"]:
                self._done = True

    # -- faults -------------------------------------------------------------------------------

    def fault(self, kind: str) -> None:
        self.report.faults[kind] += 1
        window = self.rng.uniform(*self.plan.window_s)
        if kind == "kill_kiosk":
            self.kill_kiosk()
            self._wait(self.rng.uniform(0.0, 1.0))
            self.start_kiosk()
        elif kind == "kill_sync":
            _kill(self.sync)
            self.start_sync()
        elif kind == "kill_portal":
            _kill(self.portal)
            self._wait(self.rng.uniform(0.0, 3.0))
            self.start_portal()
        elif kind.startswith("clock_"):
            offset = {"clock_ahead": 365 * 86400, "clock_back": -365 * 86400,
                      "clock_local": 7 * 3600}[kind]
            self.clock_file.write_text(str(offset))
            self._wait(window)
            self.clock_file.write_text("0")
        elif kind == "damage":
            self.kill_kiosk()
            _kill(self.sync)
            self._damage()
            self.start_kiosk()
            self.start_sync()
        elif kind == "wrong_url":
            self.kill_kiosk()
            self.start_kiosk("wrong")
            self._wait(window)
            self.kill_kiosk()
            self.start_kiosk()
        elif kind == "trickle":
            _kill(self.portal)
            self.start_portal(trickle_ms=1500)
            self._wait(window)
            _kill(self.portal)
            self.start_portal()

    def _damage(self) -> None:
        """Zero one 512-byte sector (a failed flash sector) of a b-tree page of the outbox file
        that its WAL does not hold a newer copy of (there the damage would be invisible)."""
        from offline_store.salvage import _wal_frames

        import sqlite3

        self._remember_keys()
        db = self.data / "outbox.sqlite3"
        if db.exists():  # as after the kiosk's own checkpoints: the rows live in the main file
            conn = sqlite3.connect(db, isolation_level=None)
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
        data = db.read_bytes() if db.exists() else b""
        in_wal = {n for n, _ in _wal_frames(db.with_name(db.name + "-wal"), 4096)}
        pages = [n for n in range(2, len(data) // 4096 + 1)
                 if n not in in_wal and data[(n - 1) * 4096] in (0x02, 0x05, 0x0A, 0x0D)]
        if not pages:
            return
        page = self.rng.choice(pages)
        start = (page - 1) * 4096
        content = int.from_bytes(data[start + 5:start + 7], "big") or 4096
        sector = self.rng.choice([0, *range(content // 512, 8)])  # its header, or cells in use
        with db.open("r+b") as f:
            f.seek(start + 512 * sector)
            f.write(bytes(512))
        self.report.details.append(f"damage: page {page}, sector {sector}")

    def _remember_keys(self) -> None:
        """Which idempotency key each reference has (to find a destroyed row's dossier later)."""
        from offline_store.outbox import Outbox

        try:
            with Outbox.open(self.data / "outbox.sqlite3", self.data / "outbox.key", create=False,
                             move_corrupt_aside=False) as box:
                self.keys.update((e.local_ref, e.idempotency_key) for e in box.list(limit=10**7))
        except Exception:  # noqa: BLE001 - not there yet, or damaged already: keep what we know
            return

    def _wait(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            self._pump(min(left, 0.2))

    # -- the run ------------------------------------------------------------------------------

    def run(self) -> Report:
        started = time.monotonic()
        wall_minus_mono = time.time() - time.monotonic()
        try:
            self.start_portal()
            self.start_kiosk()
            self.start_sync()
            limit = started + self.plan.max_s
            order: list[str] = []
            while time.monotonic() < limit and (
                    len(self.acks) < self.plan.submissions
                    or min(self.report.faults.values()) < self.plan.rounds):
                self._wait(self.rng.uniform(*self.plan.fault_every_s))
                if not order:  # every kind of fault once per round, in a random order
                    order = self.rng.sample(FAULTS, len(FAULTS))
                self.fault(order.pop())
                if self.kiosk is not None and self.kiosk.poll() is not None:
                    self.start_kiosk()  # it died on its own (a bug): the log says why
            self.clock_file.write_text("0")
            self._drain(min(limit + self.plan.drain_s, time.monotonic() + self.plan.drain_s))
        finally:
            self._stopping = True
            self.kill_kiosk()
            _kill(self.sync)
            _kill(self.portal)
            self._log.close()
        self._judge(wall_minus_mono)
        self.report.seconds = round(time.monotonic() - started, 1)
        return self.report

    def _unsent(self) -> int:
        from offline_store.outbox import Outbox

        try:
            with Outbox.open(self.data / "outbox.sqlite3", self.data / "outbox.key", create=False,
                             move_corrupt_aside=False) as box:
                counts = box.stats().counts
        except Exception:  # noqa: BLE001 - busy or not there yet: not drained
            return -1
        return counts["queued"] + counts["sending"] + counts["failed_retryable"]

    def _drain(self, until: float) -> None:
        while time.monotonic() < until:
            self._wait(1.0)
            if self.kiosk is None or self.kiosk.poll() is not None:
                self.start_kiosk()
            if (self._done or len(self.acks) >= self.plan.submissions) and self._unsent() == 0:
                return

    def _judge(self, wall_minus_mono: float) -> None:
        from kiosk.portal.store import PortalStore
        from offline_store.outbox import Outbox
        from offline_store.recovery import set_aside_files

        report = self.report
        report.acknowledged = len(self.acks)
        report.recoveries = len(set_aside_files(self.data / "outbox.sqlite3"))
        with Outbox.open(self.data / "outbox.sqlite3", self.data / "outbox.key", create=False,
                         move_corrupt_aside=False) as box:
            entries = {e.local_ref: e for e in box.list(limit=10**7)}
            lost_refs = {e.local_ref for e in box.lost_entries()}
        portal = PortalStore(self.folder / "portal.sqlite3")
        report.duplicated = portal.stats().keys_with_multiple_dossiers + (
            len(self.acks) - len({ref for ref, *_ in self.acks}))
        report.stranded = sum(1 for e in entries.values() if e.state != "sent")
        for ref, _status, _code, acked_mono in self.acks:
            entry = entries.get(ref)
            key = entry.idempotency_key if entry is not None else self.keys.get(ref)
            found = portal.find_by_key(key) if key is not None else None
            if found is None:
                if ref in lost_refs:
                    report.reported_lost += 1
                elif entry is None or entry.state == "sent":
                    report.lost += 1
                    report.details.append(f"{ref}: not on the portal and not reported")
                continue
            received = datetime.fromisoformat(found["received_at"]).timestamp()
            waited = received - (acked_mono + wall_minus_mono)
            report.longest_enqueue_to_sent_s = max(report.longest_enqueue_to_sent_s,
                                                   round(waited, 1))
        report.details.extend(f"{e.local_ref}: left {e.state} ({e.last_error})"
                              for e in entries.values() if e.state != "sent")


def run_campaign(folder: Path, plan: Plan) -> Report:
    return Campaign(folder, plan).run()


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "chaos", help="fault campaign: kills, clock jumps, damage, wrong URL, trickling portal",
        description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--submissions", type=int, default=200, metavar="N")
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--max-minutes", type=float, default=20.0)
    parser.add_argument("--dir", type=Path, default=None, help="work folder (kept if given)")
    parser.set_defaults(func=_main)


def _main(args: argparse.Namespace) -> int:
    plan = Plan(submissions=args.submissions, seed=args.seed, max_s=args.max_minutes * 60)
    if args.dir is not None:
        args.dir.mkdir(parents=True, exist_ok=True)
        report = run_campaign(args.dir, plan)
    else:
        with tempfile.TemporaryDirectory(prefix="chaos-") as tmp:
            report = run_campaign(Path(tmp), plan)
    data = {**asdict(report), "ok": report.ok}
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(f"{report.acknowledged}/{report.submissions} receipts; lost {report.lost}, "
              f"duplicated {report.duplicated}, stranded {report.stranded}, reported lost "
              f"{report.reported_lost}; longest enqueue to sent {report.longest_enqueue_to_sent_s}"
              f" s; faults {report.faults}; {report.seconds} s")
    return 0 if report.ok else 1
