"""Kiosk operations without Qt: audit log, staff accounts, structured logs, metrics (``kiosk doctor``
lives in ``kiosk.app``).

See docs/operations.md for how IT uses them.
"""
