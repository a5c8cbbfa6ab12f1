"""Benchmarks behind ``kiosk bench <name>``: each module has ``register(subparsers)`` and prints JSON.

Performance targets are met here, in benchmarks, never in timed tests.
"""

BENCHMARKS = ("outbox", "qr", "card", "chaos")
