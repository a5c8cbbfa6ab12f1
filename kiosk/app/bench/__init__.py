"""Benchmarks behind ``kiosk bench <name>``: each module has ``register(subparsers)`` and prints JSON.

Performance targets are met here, in benchmarks, never in timed tests.
"""

#: (name, module with register(subparsers), the one-line help it gives; a test keeps them equal)
BENCHMARKS: tuple[tuple[str, str, str], ...] = (
    ("outbox", "kiosk.app.bench.outbox", "outbox enqueue latency, drain rate, status at 100k"),
    ("qr", "kiosk.app.bench.qr", "QR decode rate and time per frame against zxing-cpp (QR only)"),
    ("card", "kiosk.app.bench.card", "a full chip read: APDUs, bytes, CPU and wall time"),
    ("chaos", "kiosk.app.bench.chaos", "fault campaign: kills, clock jumps, damage, wrong URL, trickling portal"),
    ("startup", "kiosk.app.bench.startup", "start-up time of every command and of the kiosk's first frame"),
    ("idle", "kiosk.app.bench.idle", "CPU and memory of the kiosk waiting on its welcome screen"),
    ("journey", "kiosk.app.cli.bench_journey",
     "a scripted citizen journey through the real GUI: touches, screens, time"),
    ("all", "kiosk.app.bench.all", "every benchmark in turn, one JSON document with the machine's description"),
)
