"""Kiosk operations without Qt: audit log, staff accounts, structured logs, doctor, metrics.

See docs/operations.md for how IT uses them.
"""
