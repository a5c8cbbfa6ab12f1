"""The kiosk's real submit-and-sync path, run as a process the crash test SIGKILLs at random points.

Why a zygote: starting Python and importing requests and cryptography takes ~0.5 s
here; 200+ restarts would spend most of the test in imports. The zygote imports everything ONCE,
opens nothing, and forks a fresh kiosk process per `spawn N` line on stdin. Each forked kiosk opens
the outbox itself (integrity check, migrations, lease recovery, orphan clean-up: the real start-up
path), starts the sync thread and submits citizens until it is killed.

Protocol on stdout (one `os.write` per line, so nothing sits in a buffer when SIGKILL comes):
  zygote:  `ready`, then `pid <P>` after each fork and `dead <P> <status>` once it has been reaped
  kiosk:   `up <ms>` once it is open and syncing (start-up time, for the record), then
           `ack <local_ref> <sent|queued|needs_attention> <dossier code or ->` after the receipt
           is handed to the citizen (printed only once `submit` has returned)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from kiosk.portal.client import PortalClient
from kiosk.services.submission import SubmissionService
from offline_store.breaker import CircuitBreaker
from offline_store.outbox import Outbox
from offline_store.sync import SyncEngine, SyncThread

TOKEN = "crash-test-token"


def citizen(generation: int, n: int) -> dict[str, Any]:
    return {
        "unit_code": "H12.22.10", "kiosk_id": "KIOSK-CRASH-01", "procedure_code": "1.001193",
        "applicant": {"id_number": f"07919{generation % 10**4:04d}{n % 1000:03d}",
                      "full_name": "Trần Thị Minh Anh", "date_of_birth": "1995-03-14", "sex": "F",
                      "residence": "12 Lê Lợi, Phường Bến Nghé", "identified_by": "chip"},
        "form": {"phone": "0912345678", "copies": 1},
        "submitted_at": "2026-11-27T09:30:00+07:00",
    }


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def kiosk(args: argparse.Namespace, generation: int) -> None:
    """One kiosk life: open, sync, submit until killed."""
    born = time.perf_counter()
    outbox = Outbox.open(args.db, args.key, lease_s=args.lease_s, orphan_grace_s=0.0)
    client = PortalClient(args.portal, TOKEN, connect_timeout=1.0, read_timeout=2.0)
    engine = SyncEngine(outbox, client, backoff_base_s=0.02, backoff_cap_s=0.2,
                        breaker=CircuitBreaker(clock=time.time, open_s=0.2))
    thread = SyncThread(engine, idle_interval_s=0.05)
    thread.start()
    service = SubmissionService(outbox, thread, engine, wait_s=2.0)
    say(f"up {(time.perf_counter() - born) * 1000:.1f}")
    for n in range(args.per_life):
        if n % 3 == 0:
            # Files the payload does not list: the relay never uploads them, but the store's
            # file-then-row crash safety is exercised here, straight on the outbox.
            entry = outbox.enqueue("1.001193", citizen(generation, n),
                                   [f"scan {generation}/{n}".encode()])
            thread.wake()
            say(f"ack {entry.local_ref} queued -")
            continue
        receipt = service.submit("1.001193", citizen(generation, n))
        say(f"ack {receipt.local_ref} {receipt.status.value} {receipt.dossier_code or '-'}")
    service.close()
    thread.stop()
    client.close()
    outbox.close()


def zygote(args: argparse.Namespace) -> None:
    say("ready")
    for line in sys.stdin:
        command, _, value = line.strip().partition(" ")
        if command != "spawn":
            continue
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                kiosk(args, int(value))
            except BaseException:  # noqa: BLE001 - report and leave without the zygote's cleanup
                import traceback

                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        say(f"pid {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"dead {pid} {status}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--key", type=Path, required=True)
    parser.add_argument("--portal", required=True)
    parser.add_argument("--lease-s", type=float, default=0.5)
    parser.add_argument("--per-life", type=int, default=999)
    zygote(parser.parse_args())


if __name__ == "__main__":
    main()
