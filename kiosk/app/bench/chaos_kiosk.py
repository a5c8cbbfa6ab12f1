"""One kiosk life for the fault campaign (`kiosk bench chaos`): the GUI's own services, no GUI.

Run as `python -m kiosk.app.bench.chaos_kiosk ...` by `kiosk.app.bench.chaos`, which SIGKILLs it
at random. It builds `Services` from a config exactly as `kiosk run` does (outbox with its
recovery, sync thread, submission service, audit and staff files; virtual card reader, no camera,
no metrics port) and submits citizens through `SubmissionService.submit`, the call the consent
screen makes, printing one line per receipt handed out:

    ack <local_ref> <sent|queued|needs_attention> <dossier code or -> <monotonic time>

Clock jumps: the campaign writes a wall-clock offset (seconds) to `--clock-file`; this process
adds it to `time.time` for everything it runs, as a machine whose clock was set wrong would (the
monotonic clock, as on a real machine, does not move). The patch is installed before the kiosk's
modules are imported, so every default `clock=time.time` sees it.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from pathlib import Path

_real_time = time.time
_offset = 0.0


def _follow(path: Path, stop: threading.Event) -> None:
    """Keep `_offset` equal to the number in the clock file (a missing or bad file means 0)."""
    global _offset
    while not stop.wait(0.1):
        try:
            _offset = float(path.read_text(encoding="ascii").strip() or 0)
        except (OSError, ValueError):
            _offset = 0.0


def _install_clock(path: Path) -> threading.Event:
    global _offset
    try:
        _offset = float(path.read_text(encoding="ascii").strip() or 0)
    except (OSError, ValueError):
        _offset = 0.0
    time.time = lambda: _real_time() + _offset
    stop = threading.Event()
    threading.Thread(target=_follow, args=(path, stop), name="chaos-clock", daemon=True).start()
    return stop


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def citizen(serial: int, kiosk_id: str) -> dict[str, object]:
    return {"unit_code": "H12.22.10", "kiosk_id": kiosk_id, "procedure_code": "1.001193",
            "applicant": {"id_number": f"0791{serial % 10**8:08d}", "full_name": "Trần Thị Minh Anh",
                          "date_of_birth": "1995-03-14", "sex": "F",
                          "residence": "12 Lê Lợi, Phường Bến Nghé", "identified_by": "chip"},
            "form": {"phone": "0912345678", "copies": 1 + serial % 3},
            "submitted_at": "2026-11-27T09:30:00+07:00"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--clock-file", type=Path, required=True)
    parser.add_argument("--first", type=int, required=True, help="serial of the first citizen")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--pause-s", type=float, default=0.2, help="between two citizens")
    args = parser.parse_args()
    _install_clock(args.clock_file)

    from kiosk.domain.config import load_config  # after the clock: defaults capture it
    from kiosk.services.composition import Services

    config = load_config(args.config, env={})
    services = Services.build(config)
    say("up")
    pause = threading.Event()
    try:
        for serial in range(args.first, args.first + args.count):
            receipt = services.submission.submit("1.001193",
                                                 citizen(serial, config.kiosk.kiosk_id))
            say(f"ack {receipt.local_ref} {receipt.status.value} {receipt.dossier_code or '-'} "
                f"{time.monotonic():.3f}")
            pause.wait(args.pause_s)
        say("done")
        pause.wait(3600)  # keep sending until the campaign ends this life
    finally:
        services.close()


if __name__ == "__main__":
    main()
