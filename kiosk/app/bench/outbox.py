"""``kiosk bench outbox``: durable enqueue latency, drain throughput vs bare requests, status at 100k.

What is measured, and why that way:
- enqueue: `Outbox.enqueue` of a realistic payload, each one durable (WAL, synchronous=FULL, fsync)
  when it returns, timed one by one: p50/p99/max in ms. Target p99 <= 25 ms.
- drain: `SyncEngine.step()` in a loop until idle, sending N queued entries to a reference portal
  running in its OWN process on loopback; and in the same run, N bare `requests.post` calls
  (one keep-alive session, same bodies, fresh idempotency keys) to the same portal. The ratio is
  what the outbox's bookkeeping (claim with a lease, mark sent, two durable commits) costs.
  Target >= 50 % of the bare rate.
- status: `Outbox.stats()` (counts by state, oldest age, last error, breaker) on a store holding
  100,000 entries (bulk-inserted in one transaction, mostly `sent` as on a kiosk after months):
  p50/p99 in ms. Target <= 20 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["register", "run_bench"]

TOKEN = "bench-token"
TARGETS = {"enqueue_p99_ms": 25.0, "drain_ratio": 0.5, "status_p99_ms": 20.0}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("outbox", help="outbox enqueue latency, drain rate, status at 100k")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--enqueue", type=int, default=500, metavar="N", help="entries to time")
    parser.add_argument("--drain", type=int, default=500, metavar="N", help="entries to send")
    parser.add_argument("--entries", type=int, default=100_000, metavar="N",
                        help="store size for the status query")
    parser.add_argument("--dir", type=Path, default=None,
                        help="work folder (default: a temporary folder; the disk matters)")
    parser.set_defaults(func=_main)


def _payload(i: int) -> dict[str, Any]:
    return {"unit_code": "H12.22.10", "kiosk_id": "KIOSK-BENCH-01", "procedure_code": "1.001193",
            "applicant": {"id_number": f"079195{i % 10**6:06d}", "full_name": "Trần Thị Minh Anh",
                          "date_of_birth": "1995-03-14", "sex": "F",
                          "residence": "12 Lê Lợi, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh",
                          "identified_by": "chip"},
            "form": {"phone": "0912345678", "copies": 1},
            "submitted_at": "2026-11-27T09:30:00+07:00"}


def _ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 3),
            "p99_ms": round(p99 * 1000, 3), "max_ms": round(ordered[-1] * 1000, 3)}


def bench_enqueue(folder: Path, n: int) -> dict[str, Any]:
    from offline_store.outbox import Outbox

    times = []
    with Outbox.open(folder / "enqueue.sqlite3", folder / "enqueue.key") as box:
        for i in range(n):
            payload = _payload(i)
            started = time.perf_counter()
            box.enqueue("1.001193", payload)
            times.append(time.perf_counter() - started)
    return {"n": n, **_ms(times)}


@contextmanager
def _portal_process(folder: Path, timeout_s: float = 30.0) -> Iterator[str]:
    """The reference portal in its own process; yields its URL once it accepts connections."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "kiosk.portal.server", "--port", str(port),
                             "--db", str(folder / "portal.sqlite3"), "--token", TOKEN],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        deadline = time.monotonic() + timeout_s
        while True:
            ready, _, _ = select.select([proc.stderr], [], [], max(0.0, deadline - time.monotonic()))
            line = proc.stderr.readline() if ready else ""
            if "listening on" in line:
                break
            if not ready or not line:
                raise RuntimeError("the reference portal did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        if proc.stderr is not None:
            proc.stderr.close()


def _bare_posts(url: str, bodies: list[bytes]) -> float:
    """Seconds for sequential bare POSTs over one keep-alive session (after one warm-up GET)."""
    import requests

    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    with requests.Session() as session:
        session.get(f"{url}/api/v1/health", timeout=10)
        started = time.perf_counter()
        for body in bodies:
            resp = session.post(f"{url}/api/v1/dossiers", data=body, timeout=10,
                                headers={**headers, "Idempotency-Key": str(uuid.uuid4())})
            resp.raise_for_status()
        return time.perf_counter() - started


def bench_drain(folder: Path, n: int) -> dict[str, Any]:
    """Bare half, outbox drain, bare half: the portal's own drift (its database grows, the disk
    warms up) affects both sides alike."""
    from kiosk.portal.client import PortalClient
    from offline_store.outbox import Outbox
    from offline_store.sync import StepKind, SyncEngine

    bodies = [json.dumps(_payload(n + i), ensure_ascii=False).encode() for i in range(n)]
    with _portal_process(folder) as url, Outbox.open(folder / "drain.sqlite3",
                                                     folder / "drain.key") as box:
        for i in range(n):
            box.enqueue("1.001193", _payload(i))
        bare_s = _bare_posts(url, bodies[: n // 2])
        with PortalClient(url, TOKEN) as client:
            engine = SyncEngine(box, client)
            client.health()
            started = time.perf_counter()
            sent = 0
            while (result := engine.step()).kind is not StepKind.IDLE:
                sent += result.kind is StepKind.SENT
            drain_s = time.perf_counter() - started
        bare_s += _bare_posts(url, bodies[n // 2:])
    bare_rate, drain_rate = n / bare_s, sent / drain_s
    return {"n": n, "sent": sent, "drain_per_s": round(drain_rate, 1),
            "bare_requests_per_s": round(bare_rate, 1), "ratio": round(drain_rate / bare_rate, 3)}


def build_store(folder: Path, entries: int) -> tuple[Path, Path]:
    """A store of `entries` rows, bulk-inserted in one transaction (the bench's setup, not timed)."""
    from offline_store.outbox import Outbox

    db, key = folder / "big.sqlite3", folder / "big.key"
    Outbox.open(db, key).close()  # schema and key
    now = time.time()
    blob = os.urandom(600)
    states = ["sent"] * 98 + ["queued", "failed_retryable"]

    def rows() -> Iterator[tuple[Any, ...]]:
        for i in range(entries):
            state = "needs_attention" if i % 1000 == 7 else states[i % len(states)]
            created = now - (entries - i) * 60.0
            yield (str(uuid.uuid4()), f"Q-B-{i:06d}", "1.001193", state, created, created, created,
                   None if state != "needs_attention" else "PortalRejected 422: bench",
                   f"H12.22.10-261127-{i % 10000:04d}" if state == "sent" else None,
                   created + 5 if state == "sent" else None, os.urandom(12), blob)

    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO outbox (idempotency_key, local_ref, procedure_code, state, created_at,"
            " updated_at, next_attempt_at, last_error, dossier_code, sent_at, nonce, ciphertext)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return db, key


def bench_status(folder: Path, entries: int, repeats: int = 200) -> dict[str, Any]:
    from offline_store.outbox import Outbox

    started = time.perf_counter()
    db, key = build_store(folder, entries)
    build_s = time.perf_counter() - started
    times = []
    with Outbox.open(db, key) as box:
        stats = box.stats()
        for _ in range(repeats):
            t = time.perf_counter()
            box.stats()
            times.append(time.perf_counter() - t)
    return {"entries": sum(stats.counts.values()), "counts": stats.counts,
            "build_s": round(build_s, 2), **_ms(times)}


def run_bench(folder: Path, *, enqueue: int, drain: int, entries: int) -> dict[str, Any]:
    report: dict[str, Any] = {
        "enqueue": bench_enqueue(folder, enqueue),
        "drain": bench_drain(folder, drain),
        "status": bench_status(folder, entries),
        "folder": str(folder), "cpus": os.cpu_count(),
    }
    report["targets"] = {
        "enqueue_p99_ms<=25": report["enqueue"]["p99_ms"] <= TARGETS["enqueue_p99_ms"],
        "drain_ratio>=0.5": report["drain"]["ratio"] >= TARGETS["drain_ratio"],
        "status_p99_ms<=20": report["status"]["p99_ms"] <= TARGETS["status_p99_ms"],
    }
    return report


def _main(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="outbox-bench-", dir=args.dir) as tmp:
        report = run_bench(Path(tmp), enqueue=args.enqueue, drain=args.drain,
                           entries=args.entries)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    e, d, s = report["enqueue"], report["drain"], report["status"]
    print(f"enqueue  p50 {e['p50_ms']} ms  p99 {e['p99_ms']} ms  (n={e['n']})")
    print(f"drain    {d['drain_per_s']}/s vs bare requests {d['bare_requests_per_s']}/s "
          f"= {d['ratio']:.0%}")
    print(f"status   p50 {s['p50_ms']} ms  p99 {s['p99_ms']} ms at {s['entries']} entries")
    print("targets:", ", ".join(f"{k}={'yes' if v else 'NO'}" for k, v in report["targets"].items()))
    return 0
